"""Logging for the IVR processes: to a file, since Asterisk treats an AGI script's stderr as errors."""
from __future__ import annotations

import logging

from hotline.settings import Settings


def setup(conf: Settings, name: str) -> None:
    """Log to <var_dir>/log/<name> at the configured level (idempotent)."""
    folder = conf.var_dir / "log"
    folder.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    if any(getattr(h, "baseFilename", None) == str(folder / name) for h in root.handlers):
        return
    handler = logging.FileHandler(folder / name, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(conf.log_level)
