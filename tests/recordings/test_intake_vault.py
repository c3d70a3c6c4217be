"""Intake: every Asterisk format round-trips through the vault; failures keep the spool file."""
from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import select

from recording_helpers import FORMAT_FILES, TONE_HZ, TONE_MS, dominant_hz, new_case, spool_copy, spooled
from hotline import db, events, settings
from hotline.errors import NotFound, SettingsError
from hotline.models import AuditEntry, Case, Recording
from recordings import intake, keyring, playback, sweeper


@pytest.mark.parametrize("fmt", sorted(FORMAT_FILES))
def test_every_format_round_trips(db_url, identity, tone_dir, fmt):
    path = spool_copy(tone_dir, fmt)
    with db.session_scope() as session:
        case = new_case(session)
        recording = intake.accept(session, spooled(session, path, fmt, case=case))
        rid = recording.id
    assert not path.exists()  # plaintext removed once the row was committed
    with db.session_scope() as session:
        row = session.get(Recording, rid)
        assert row.status == "stored" and row.vault_path and row.size > 0
        assert abs(row.duration_ms - TONE_MS) <= 40
        assert row.recipients == [keyring.fingerprint(settings.get().age_recipients[0])]
        wav = playback.load(session, rid)
    assert wav[:4] == b"RIFF" and len(wav) == row.size
    # A wrong decoding rate (pydub's 44.1 kHz default for raw input) would shift the tone.
    assert abs(dominant_hz(wav) - TONE_HZ) < 5


def test_format_taken_from_extension(db_url, identity, tone_dir):
    path = spool_copy(tone_dir, "wav49")  # "*.WAV": GSM in WAV
    with db.session_scope() as session:
        recording = intake.accept(session, spooled(session, path, None))
    assert recording.status == "stored" and abs(recording.duration_ms - TONE_MS) <= 40


@pytest.mark.parametrize("content", [b"", b"this is a text file, not audio\n", b"RIFF\x10\x00\x00\x00WAVEfmt "],
                         ids=["empty", "text", "corrupt"])
def test_not_audio_is_refused_and_kept(db_url, identity, content):
    spool = settings.get().spool_dir
    spool.mkdir(parents=True, exist_ok=True)
    path = spool / "broken.wav"
    path.write_bytes(content)
    with db.session_scope() as session:
        recording = intake.accept(session, spooled(session, path, "wav"))
        rid = recording.id
    assert path.read_bytes() == content and stat.S_IMODE(path.stat().st_mode) == 0o600
    with db.session_scope() as session:
        assert session.get(Recording, rid).status == "invalid"
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "recording.invalid")).one()
        assert entry.object_id == str(rid) and entry.detail["error"]
        with pytest.raises(NotFound):
            playback.load(session, rid)


def test_encryption_failure_keeps_spool_marks_case_and_sweeper_retries(db_url, identity, tone_dir):
    conf = settings.get()
    conf.recordings_dir.parent.mkdir(parents=True, exist_ok=True)
    conf.recordings_dir.write_text("not a folder")  # the vault is unreachable
    path = spool_copy(tone_dir, "wav")
    original = path.read_bytes()
    with db.session_scope() as session:
        case = new_case(session)
        recording = intake.accept(session, spooled(session, path, "wav", case=case))
        rid, case_id = recording.id, case.id
    assert path.read_bytes() == original and stat.S_IMODE(path.stat().st_mode) == 0o600
    with db.session_scope() as session:
        assert session.get(Recording, rid).status == "pending"
        assert session.get(Case, case_id).recording_pending
    warned = [e for e in events.recent() if e["type"] == "recording.pending"]
    assert warned and warned[-1]["payload"]["recording_id"] == rid and warned[-1]["case_id"] == case_id

    assert sweeper.sweep().still_pending == [rid]  # still unreachable: nothing lost
    assert path.exists()
    conf.recordings_dir.unlink()
    report = sweeper.sweep()
    assert report.stored == [rid] and not path.exists()
    with db.session_scope() as session:
        assert not session.get(Case, case_id).recording_pending
        assert playback.load(session, rid)[:4] == b"RIFF"


def test_rollback_keeps_the_plaintext(db_url, identity, tone_dir):
    path = spool_copy(tone_dir, "sln")
    with pytest.raises(RuntimeError):
        with db.session_scope() as session:
            intake.accept(session, spooled(session, path, "sln"))
            raise RuntimeError("the IVR's transaction failed")
    assert path.exists()


def test_playback_refuses_a_swapped_file(db_url, identity, tone_dir):
    with db.session_scope() as session:
        first = intake.accept(session, spooled(session, spool_copy(tone_dir, "wav"), "wav"))
        second = intake.accept(session, spooled(session, spool_copy(tone_dir, "sln16"), "sln16"))
        ids = first.id, second.id
        first.vault_path, second.vault_path = second.vault_path, first.vault_path
    from recordings.vault import IntegrityError

    with db.session_scope() as session:
        for rid in ids:
            with pytest.raises(IntegrityError):
                playback.load(session, rid)
        with pytest.raises(NotFound):
            playback.load(session, 99999)


def _networked(var_dir: Path, **overrides):
    """Settings of a scaled-out host (Redis configured): no local key is ever made."""
    from hotline import keyfiles
    from tests.conftest import make_settings

    key = var_dir / "pii.key"
    keyfiles.read_or_create(key, setting="pii_key_file")
    return make_settings(var_dir, redis_url="redis://127.0.0.1:6379/15", pii_key_file=str(key),
                         secret_key="s", **overrides)


def test_check_ready_refuses_start_without_recipient(tmp_path):
    settings.install(_networked(tmp_path / "var"))
    with pytest.raises(SettingsError, match="age_recipients"):
        intake.check_ready()
    assert not settings.get().age_identity_file.exists()  # an IVR host never makes a private key


def test_check_ready_with_recipients(tmp_path, escrow):
    recipient = str(keyring.read_identities(escrow)[0].to_public())
    settings.install(_networked(tmp_path / "var", age_recipients=[recipient]))
    assert intake.check_ready() == [recipient]
    assert settings.get().spool_dir.is_dir()


def test_check_ready_embedded_makes_a_key(isolated_settings):
    recipients = intake.check_ready()
    assert recipients and isolated_settings.age_identity_file.is_file()
