"""Photos sent with a case (WhatsApp): EXIF and other metadata stripped, then into the vault.

A phone photo's EXIF can carry the sender's GPS position, device and time; it is removed by
re-encoding the pixels alone, after turning the image upright as its EXIF orientation says.
"""
from __future__ import annotations

import io
import os

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.errors import NotFound, ValidationError
from hotline import similarity
from hotline.models import Attachment, Case, PhotoHash
from recordings import vault

# Pillow format -> (media type, extension) kept as is; anything else becomes JPEG.
_KEPT = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
MAX_BYTES = 16 * 1024 * 1024


def strip_metadata(data: bytes) -> tuple[bytes, str, str, int, int]:
    """(clean bytes, media type, extension, width, height); ValidationError if not an image."""
    if not data:
        raise ValidationError("الصورة فارغة — the photo is empty")
    if len(data) > MAX_BYTES:
        raise ValidationError(f"الصورة كبيرة جدا — the photo is larger than {MAX_BYTES // 2**20} MiB")
    try:
        with Image.open(io.BytesIO(data)) as image:
            source_format = image.format
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as exc:
        raise ValidationError(f"الملف ليس صورة صالحة — not a usable image ({exc})") from None
    media_type, extension = _KEPT.get(source_format, _KEPT["JPEG"])
    target = "JPEG" if extension == "jpg" else source_format
    if target == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    out = io.BytesIO()
    # Only pixels are written: no exif=, icc_profile= or pnginfo= arguments, so no metadata.
    upright.save(out, target, **({"quality": 90} if target == "JPEG" else {}))
    return out.getvalue(), media_type, extension, upright.width, upright.height


def store_photo(session: Session, case: Case | None, data: bytes, media_type: str,
                source_id: str | None = None) -> Attachment:
    """Strip a photo's metadata, encrypt it into the vault and add its Attachment row."""
    if source_id:
        existing = session.scalars(select(Attachment).where(Attachment.source_id == source_id)).first()
        if existing is not None:  # a webhook delivered twice
            return existing
    if media_type and not media_type.startswith("image/"):
        raise ValidationError(f"نوع الملف ليس صورة — {media_type!r} is not an image type")
    clean, clean_type, extension, width, height = strip_metadata(data)
    prefix = f"p{case.id}" if case is not None else "p"
    sealed = vault.store(clean, f"{prefix}-{os.urandom(4).hex()}.{extension}", "photos")
    attachment = Attachment(case_id=case.id if case is not None else None, kind="photo",
                            media_type=clean_type, vault_path=sealed.path, sha256=sealed.sha256,
                            size=sealed.size, width=width, height=height, source_id=source_id)
    session.add(attachment)
    session.flush()
    # The perceptual hash (not the photo) stays readable, so the same pile shot twice is found.
    session.add(PhotoHash(attachment_id=attachment.id, case_id=attachment.case_id,
                          phash=similarity.photo_hash(clean)))
    session.flush()
    return attachment


def load_photo(session: Session, attachment_id: int) -> tuple[bytes, str]:
    """(decrypted bytes, media type) of a stored photo; NotFound, or IntegrityError when tampered."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or not attachment.vault_path:
        raise NotFound(f"المرفق غير موجود — no stored attachment {attachment_id}")
    return vault.open_bytes(attachment.vault_path, attachment.sha256), attachment.media_type
