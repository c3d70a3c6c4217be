"""Key rotation: interrupted half-way then resumed, every file stays readable; the keys command."""
from __future__ import annotations

import stat

import pytest
from sqlalchemy import select

from recording_helpers import spool_copy, spooled
from hotline import db, settings
from hotline.models import Recording
from recordings import intake, keyring, rotation, vault
from tests.conftest import run_command


def _store(tone_dir, count: int) -> list[int]:
    with db.session_scope() as session:
        return [intake.accept(session, spooled(session, spool_copy(tone_dir, "sln"), "sln")).id
                for _ in range(count)]


def _rows() -> list[Recording]:
    with db.session_scope() as session:
        return list(session.scalars(select(Recording).order_by(Recording.id)))


def _vault_files() -> list[str]:
    return sorted(p.name for p in settings.get().recordings_dir.rglob("*") if p.is_file())


class Interrupted(KeyboardInterrupt):
    """Ctrl-C in the middle of a rotation."""


def test_rotation_interrupted_then_resumed(db_url, identity, escrow, tone_dir):
    ids = _store(tone_dir, 5)
    headers_before = {row.id: row.header_sha256 for row in _rows()}
    old_keys, new_keys = keyring.read_identities(identity), keyring.read_identities(escrow)
    new_recipient = str(new_keys[0].to_public())
    seen = []

    def stop_half_way(relative):
        seen.append(relative)
        if len(seen) == 2:
            raise Interrupted()

    with pytest.raises(Interrupted):
        rotation.rotate([new_recipient], old_keys, on_file=stop_half_way)
    rows = _rows()
    rotated = [r for r in rows if r.recipients == [keyring.fingerprint(new_recipient)]]
    assert len(rotated) == 2
    for row in rows:  # every row names a whole file its recorded recipients can open
        keys = new_keys if row in rotated else old_keys
        assert vault.open_bytes(row.vault_path, row.sha256, keys)[:4] == b"RIFF"

    report = rotation.rotate([new_recipient], old_keys)
    assert (report.done, report.skipped, report.failed) == (3, 2, [])
    for row in _rows():
        assert vault.open_bytes(row.vault_path, row.sha256, new_keys)[:4] == b"RIFF"
        # The row records the new encryption's header: seeks (open_reader) accept it.
        assert row.header_sha256 and row.header_sha256 != headers_before[row.id]
        with vault.open_reader(row.vault_path, row.sha256, row.size, row.header_sha256,
                               new_keys) as reader:
            assert reader.read(0, 4) == b"RIFF"
        with pytest.raises(vault.WrongKey):
            vault.open_bytes(row.vault_path, row.sha256, old_keys)
    assert len(_vault_files()) == len(ids)  # the old copies are gone
    assert rotation.check_all(new_keys).failed == []


def test_crash_after_writing_before_commit_is_finished_by_resume(db_url, identity, escrow, tone_dir):
    [rid] = _store(tone_dir, 1)
    new_keys = keyring.read_identities(escrow)
    new_recipient = str(new_keys[0].to_public())
    row = _rows()[0]
    vault.reseal(row.vault_path, row.sha256, [new_recipient])  # the process died right after this
    assert len(_vault_files()) == 2
    assert vault.open_bytes(row.vault_path, row.sha256)  # the row still names a readable file
    assert rotation.rotate([new_recipient]).done == 1
    [row] = _rows()
    assert len(_vault_files()) == 1 and vault.open_bytes(row.vault_path, row.sha256, new_keys)


def test_rotation_reports_a_tampered_file_and_goes_on(db_url, identity, escrow, tone_dir):
    _store(tone_dir, 2)
    first = _rows()[0]
    vault.resolve(first.vault_path).write_bytes(b"age-encryption.org/v1\n-> garbage\n")
    new_recipient = str(keyring.read_identities(escrow)[0].to_public())
    report = rotation.rotate([new_recipient])
    assert report.done == 1 and [path for path, _ in report.failed] == [first.vault_path]
    assert vault.resolve(first.vault_path).exists()  # nothing is deleted on failure


def test_keys_command(db_url, isolated_settings, tone_dir, tmp_path):
    conf = settings.get()
    _store(tone_dir, 2)  # embedded mode: encrypted to the local identity
    out = tmp_path / "new-identity.txt"
    made = run_command(conf, "keys", "generate", "--out", str(out))
    assert made.returncode == 0, made.stderr
    recipient = made.stdout.strip()
    assert recipient.startswith("age1") and stat.S_IMODE(out.stat().st_mode) == 0o600
    again = run_command(conf, "keys", "generate", "--out", str(out))
    assert again.returncode != 0 and "refusing to overwrite" in again.stderr
    assert "Traceback" not in again.stderr

    checked = run_command(conf, "keys", "check")
    assert checked.returncode == 0 and "2 open, 0 failed" in checked.stdout, checked.stderr
    bad = run_command(conf, "keys", "rotate", "--to", "age1notakey")
    assert bad.returncode == 2 and "not a valid age X25519 recipient" in bad.stderr
    rotated = run_command(conf, "keys", "rotate", "--to", recipient)
    assert rotated.returncode == 0 and "re-encrypted 2" in rotated.stdout, rotated.stderr
    assert "rotate" in rotated.stderr  # the progress bar
    assert run_command(conf, "keys", "check").returncode == 1  # the old key no longer opens them
    assert run_command(conf, "keys", "check", "--identity", str(out)).returncode == 0
