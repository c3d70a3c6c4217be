"""Package discovery: the service packages, plus config/ shipped as `shakwa_config`."""
from setuptools import find_packages, setup

SERVICES = ["hotline", "ivr", "recordings", "transcription", "agent_console"]

setup(
    packages=find_packages(include=[p for s in SERVICES for p in (s, f"{s}.*")]) + ["shakwa_config"],
    package_dir={"shakwa_config": "config"},
)
