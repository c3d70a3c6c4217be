"""Package discovery: the service packages, plus config/ shipped as `shakwa_config`.

Namespace discovery also lists the data folders (templates, static, translations) as packages,
which is what setuptools wants of folders whose files ship as package data.
"""
from setuptools import find_namespace_packages, setup

SERVICES = ["hotline", "ivr", "recordings", "transcription", "agent_console"]

setup(
    packages=find_namespace_packages(include=[p for s in SERVICES for p in (s, f"{s}.*")],
                                     exclude=["*.__pycache__"])
    + ["shakwa_config", "shakwa_config.templates"],
    package_dir={"shakwa_config": "config"},
)
