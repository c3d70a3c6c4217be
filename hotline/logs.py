"""Logging set-up for every command: one line per record on stderr."""
from __future__ import annotations

import logging

from hotline.settings import Settings


def setup(conf: Settings) -> None:
    """Configure the root logger at the configured level (idempotent)."""
    logging.basicConfig(level=conf.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
