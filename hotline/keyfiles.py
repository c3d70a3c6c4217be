"""Secret key files: read them, or make them (mode 0600) for the embedded defaults."""
from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from hotline.errors import SettingsError


def read_or_create(path: Path, size: int = 32, *, setting: str) -> bytes:
    """The key in ``path`` (base64 text); a new random one is written if the file is missing."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = secrets.token_bytes(size)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.b64encode(key).decode() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        return key
    try:
        key = base64.b64decode(path.read_text().strip(), validate=True)
    except (ValueError, OSError) as exc:
        raise SettingsError(f"{setting}: {path} does not hold a base64 key ({exc})") from None
    if len(key) != size:
        raise SettingsError(f"{setting}: {path} holds {len(key)} bytes, expected {size}")
    return key
