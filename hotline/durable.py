"""Writes that survive a crash: fsync a folder after creating or renaming a file in it."""
from __future__ import annotations

import os
from pathlib import Path


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries to disk, so a new or renamed file in it is not lost on power loss."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
