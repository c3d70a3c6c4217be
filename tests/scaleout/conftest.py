"""The scale-out test needs PostgreSQL: ``--db sqlite`` (SQLite alone) deselects it."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import backends

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    if "postgresql" in backends(config):
        return
    # A conftest hook sees every collected item: only this folder's are ours to deselect.
    ours = [item for item in items if HERE in item.path.parents]
    if ours:
        config.hook.pytest_deselected(items=ours)
        items[:] = [item for item in items if item not in ours]
