"""Fuzzing fixtures: one hypothesis profile that bounds every fuzzer in time (CI runs it as is)."""
from __future__ import annotations

from hypothesis import HealthCheck, settings

# Function-scoped fixtures (a database, an app) are shared by the examples of one test on
# purpose: each example must leave them consistent, which is what the fuzzers check.
settings.register_profile(
    "fuzz", max_examples=60, deadline=None, derandomize=False, print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large])
FUZZ = settings.get_profile("fuzz")
