"""Access to the shipped config/ folder, installed as the package ``shakwa_config``."""
from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml


@cache
def config_dir() -> Path:
    """The folder holding defaults.toml, the YAML reference data and the templates."""
    try:
        import shakwa_config
    except ImportError:  # running from a source tree that is not installed
        return Path(__file__).resolve().parent.parent / "config"
    return Path(shakwa_config.__file__).resolve().parent


def read_text(name: str) -> str:
    """The text of a file in config/."""
    return (config_dir() / name).read_text(encoding="utf-8")


@cache
def load_yaml(name: str):
    """A YAML file from config/, parsed once per process."""
    return yaml.safe_load(read_text(name))

