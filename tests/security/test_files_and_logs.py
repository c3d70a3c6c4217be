"""Keys, database, spool, anchor and error log are private by default, and no log line carries
an identity or a secret (issue 14: file modes, point 9)."""
from __future__ import annotations

import io
import logging
import os
import stat
import subprocess
import sys

from hotline import logs, settings
from tests.conftest import ROOT, make_settings, settings_environ

NID, PHONE = "29001011234567", "01012345678"


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_fresh_deployment_keeps_its_files_private(tmp_path):
    conf = make_settings(tmp_path / "var")
    env = settings_environ(conf)
    env.pop("HOTLINE_DATABASE_URL")
    env.pop("HOTLINE_PII_KEY_FILE")
    done = subprocess.run([sys.executable, str(ROOT / "run_ivr.py"), "init-db", "--quiet"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    var = tmp_path / "var"
    assert _mode(var / "shakwa.db") == 0o600
    assert _mode(var / "keys") == 0o700 and _mode(var / "keys" / "pii.key") == 0o600
    for extra in ("shakwa.db-wal", "shakwa.db-shm"):
        if (var / extra).exists():
            assert _mode(var / extra) == 0o600


def test_an_existing_world_readable_database_is_made_private(tmp_path):
    from hotline import db

    path = tmp_path / "old.db"
    path.write_bytes(b"")
    path.chmod(0o644)
    settings.install(make_settings(tmp_path / "var", database_url=f"sqlite:///{path}"))
    db.engine()
    assert _mode(path) == 0o600


def test_the_spool_is_private(tmp_path):
    from recordings import intake

    conf = settings.install(make_settings(tmp_path / "var")) or settings.get()
    intake.check_ready()
    assert _mode(conf.spool_dir) == 0o700
    assert _mode(conf.age_identity_file) == 0o600


def test_the_error_log_is_private_and_masked(isolated_settings):
    from hotline import cli

    try:
        raise ValueError(f"row for national ID {NID} and phone {PHONE} would not save")
    except ValueError as exc:
        assert cli._internal_error(exc) == 1
    path = isolated_settings.var_dir / "log" / "errors.log"
    text = path.read_text()
    assert "would not save" in text and NID not in text and PHONE not in text
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700


def test_no_log_line_carries_an_identity_or_a_secret(isolated_settings):
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        logs.setup(isolated_settings)
        log = logging.getLogger("shakwa.test")
        log.warning("GET /open311/v2/requests.json?api_key=o311_secret&service_code=garbage 200")
        log.warning("GET /recordings/4/audio?reason=%s 200", "listening%20to%20my%20neighbour")
        log.warning("lookup /cases?national_id=%s&page=2", NID)
        log.warning("citizen wrote: رقمي ٠١٠ ١٢٣٤ ٥٦٧٨ وبطاقتي %s", NID)
        try:
            raise RuntimeError(f"could not notify {PHONE}")
        except RuntimeError:
            log.exception("notification failed")
    finally:
        root.removeHandler(handler)
    text = out.getvalue()
    for secret in ("o311_secret", "neighbour", NID, PHONE, "٥٦٧٨"):
        assert secret not in text, secret
    assert "api_key=***" in text and "service_code=garbage" in text and "notification failed" in text
