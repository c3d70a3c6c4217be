"""Fixtures for the recordings tests: tones in every Asterisk format, key pairs."""
from __future__ import annotations

from pathlib import Path

import pytest

from hotline import settings
from recordings import keyring
from recording_helpers import tone_dir  # noqa: F401  (a session fixture)


@pytest.fixture
def identity(request, isolated_settings) -> Path:
    """An identity file made by `keys generate`'s code; settings name it and its recipient."""
    if "db_url" in request.fixturenames:
        request.getfixturevalue("db_url")  # it installs settings of its own: go after it
    path = isolated_settings.var_dir / "keys" / "reviewers.txt"
    recipient = keyring.write_identity(path)
    conf = settings.get().replace(age_identity_file=path, age_recipients=(recipient,))
    settings.install(conf)
    return path


@pytest.fixture
def escrow(tmp_path) -> Path:
    """A second key pair (an escrow key), not installed."""
    path = tmp_path / "escrow.txt"
    keyring.write_identity(path)
    return path
