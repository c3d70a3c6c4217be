"""Retention with legal hold and dry run; photos stripped of EXIF before they are encrypted."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from recording_helpers import new_case, spool_copy, spooled
from hotline import audit, db, settings
from hotline.errors import ValidationError
from hotline.models import Attachment, AuditEntry, Recording, utcnow
from recordings import intake, photos, retention, vault
from tests.conftest import run_command


def _recording(tone_dir, *, age_days: int, category=None, hold=False) -> int:
    with db.session_scope() as session:
        case = new_case(session, category=category)
        case.legal_hold = hold
        recording = spooled(session, spool_copy(tone_dir, "sln"), "sln", case=case)
        recording.created_at = utcnow() - timedelta(days=age_days)
        return intake.accept(session, recording).id


def _status(rid: int) -> str:
    with db.session_scope() as session:
        return session.get(Recording, rid).status


def _a_category() -> str:
    from hotline import reference

    return reference.categories()[0].code


def test_purge_dry_run_legal_hold_and_category(db_url, identity, tone_dir):
    category = _a_category()
    settings.install(settings.get().replace(retention_days=30,
                                            retention_days_by_category={category: 400}))
    old = _recording(tone_dir, age_days=40)
    fresh = _recording(tone_dir, age_days=5)
    held = _recording(tone_dir, age_days=40, hold=True)
    long_kept = _recording(tone_dir, age_days=100, category=category)
    with db.session_scope() as session:
        old_path = session.get(Recording, old).vault_path

    dry = retention.purge(dry_run=True)
    assert [i.id for i in dry.purged] == [old] and [i.id for i in dry.held] == [held]
    assert vault.resolve(old_path).exists() and _status(old) == "stored"

    report = retention.purge()
    assert [i.id for i in report.purged] == [old]
    assert not vault.resolve(old_path).exists()
    assert [_status(r) for r in (old, fresh, held, long_kept)] == ["purged", "stored", "stored", "stored"]
    with db.session_scope() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "recording.purged")).one()
        assert entry.object_id == str(old)
        assert audit.verify(session).ok
    assert retention.purge().purged == []  # nothing left to do


def test_retention_zero_keeps_forever(db_url, identity, tone_dir):
    settings.install(settings.get().replace(retention_days=0))
    _recording(tone_dir, age_days=5000)
    assert retention.purge().purged == []


def test_purge_command(db_url, isolated_settings, tone_dir):
    conf = settings.get()
    rid = _recording(tone_dir, age_days=conf.retention_days + 1)
    dry = run_command(conf, "purge", "--dry-run")
    assert dry.returncode == 0 and f"would delete recording {rid}" in dry.stdout, dry.stderr
    assert _status(rid) == "stored"
    done = run_command(conf, "purge")
    assert done.returncode == 0 and "deleted 1," in done.stdout
    assert _status(rid) == "purged"
    swept = run_command(conf, "purge", "--sweep")
    assert swept.returncode == 0 and "still pending 0" in swept.stdout


def _photo_with_exif(fmt="JPEG") -> bytes:
    image = Image.new("RGB", (64, 32), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to view
    exif[0x8825] = {2: (30.0, 2.0, 40.0), 1: "N"}  # GPS latitude
    out = io.BytesIO()
    image.save(out, fmt, exif=exif)
    return out.getvalue()


def test_photo_exif_stripped_before_encryption(db_url, identity):
    data = _photo_with_exif()
    assert b"SecretPhoneMaker" in data
    with db.session_scope() as session:
        case = new_case(session, channel_detail="whatsapp")
        attachment = photos.store_photo(session, case, data, "image/jpeg", source_id="wamid.1")
        again = photos.store_photo(session, case, data, "image/jpeg", source_id="wamid.1")
        assert again.id == attachment.id
        clean, media_type = photos.load_photo(session, attachment.id)
    assert media_type == "image/jpeg" and b"SecretPhoneMaker" not in clean
    with Image.open(io.BytesIO(clean)) as image:
        assert not image.getexif() and image.size == (32, 64)  # turned upright, then stripped
    assert (attachment.width, attachment.height) == (32, 64)


def test_png_text_chunks_stripped(identity):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "home address 12 Tahrir")
    out = io.BytesIO()
    Image.new("RGBA", (8, 8)).save(out, "PNG", pnginfo=info)
    clean, media_type, *_ = photos.strip_metadata(out.getvalue())
    assert media_type == "image/png" and b"Tahrir" not in clean


@pytest.mark.parametrize("data", [b"", b"not an image at all"])
def test_photo_refused_when_not_an_image(identity, data):
    with pytest.raises(ValidationError):
        photos.strip_metadata(data)


def test_photos_are_purged_and_rotated_too(db_url, identity, escrow):
    from recordings import keyring, rotation

    with db.session_scope() as session:
        attachment = photos.store_photo(session, new_case(session), _photo_with_exif(), "image/jpeg")
        aid = attachment.id
    recipient = str(keyring.read_identities(escrow)[0].to_public())
    assert rotation.rotate([recipient]).done == 1
    with db.session_scope() as session:
        row = session.get(Attachment, aid)
        assert vault.open_bytes(row.vault_path, row.sha256, keyring.read_identities(escrow))
        row.created_at = utcnow() - timedelta(days=settings.get().retention_days + 1)
        path = row.vault_path
    assert [i.kind for i in retention.purge().purged] == ["attachment"]
    assert not vault.resolve(path).exists()
