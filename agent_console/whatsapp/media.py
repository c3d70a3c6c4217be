"""Photos and voice notes from WhatsApp: fetched, checked, and handed to the recordings vault.

A photo's type is taken from its bytes, never from what the sender declared; it is shrunk here
and stripped of EXIF (GPS included) by ``recordings.photos.store_photo`` before encryption.
A voice note becomes a Recording through ``recordings.intake.accept`` and a transcription job.
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError
from pydub import AudioSegment
from pydub.exceptions import CouldntDecodeError
from sqlalchemy.orm import Session

from hotline import settings
from hotline.models import Attachment, Case, Recording
from agent_console.whatsapp import graph

MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding them
MAX_VOICE_BYTES = 16 * 1024 * 1024  # WhatsApp's own limit for audio
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG"),
)
# Pydub (ffmpeg) demuxers for the audio types WhatsApp sends.
_AUDIO = {"audio/ogg": "ogg", "audio/opus": "ogg", "audio/mpeg": "mp3", "audio/mp4": "mp4",
          "audio/aac": "aac", "audio/amr": "amr"}


class Refused(Exception):
    """The citizen's file cannot be accepted; ``reason`` names the reply text to send."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Photo:
    data: bytes
    media_type: str


def image_type(data: bytes) -> tuple[str, str] | None:
    """(media type, Pillow format) of JPEG, PNG or WebP bytes, or None for anything else."""
    for magic, media_type, pillow in _SIGNATURES:
        if data.startswith(magic):
            return media_type, pillow
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "WEBP"
    return None


def fetch(media_id: str, max_bytes: int, too_large: str = "photo_too_large") -> bytes:
    """The bytes of a WhatsApp media object; Refused(too_large) over ``max_bytes``."""
    info = graph.media_info(media_id)
    if info.file_size is not None and info.file_size > max_bytes:
        raise Refused(too_large)
    try:
        return graph.download(info.url, max_bytes)
    except graph.TooLarge:
        raise Refused(too_large) from None


def prepare_photo(data: bytes, max_side: int) -> Photo:
    """Check a photo's real type and shrink it to ``max_side``; Refused('photo_not_image') if bad."""
    kind = image_type(data)
    if kind is None:
        raise Refused("photo_not_image")
    media_type, pillow = kind
    try:
        with Image.open(io.BytesIO(data), formats=[pillow]) as image:
            if image.width * image.height > MAX_PIXELS:
                raise Refused("photo_too_large")
            if max(image.size) <= max_side:
                image.verify()
                return Photo(data, media_type)
            image.load()
            # Upright first: the orientation tag goes with the rest of the EXIF.
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            upright.save(out, pillow, **({"quality": 90} if pillow == "JPEG" else {}))
            return Photo(out.getvalue(), media_type)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise Refused("photo_not_image") from None


def store_photo(session: Session, case: Case, media_id: str, declared_type: str) -> Attachment:
    """Fetch, check, shrink and vault one photo for ``case`` (once per media id)."""
    from recordings import photos

    existing = session.query(Attachment).filter_by(source_id=media_id).first()
    if existing is not None:
        return existing
    conf = settings.get()
    photo = prepare_photo(fetch(media_id, conf.whatsapp_max_photo_bytes), conf.whatsapp_max_photo_side)
    return photos.store_photo(session, case, photo.data, photo.media_type, source_id=media_id)


def store_voice(session: Session, case: Case, media_id: str, declared_type: str) -> Recording:
    """Fetch a voice note, spool it as WAV and hand it to recordings intake for the vault."""
    from recordings import intake

    data = fetch(media_id, MAX_VOICE_BYTES, too_large="voice_unreadable")
    demuxer = _AUDIO.get(declared_type.split(";")[0].strip().lower(), "ogg")
    try:
        segment = AudioSegment.from_file(io.BytesIO(data), format=demuxer)
    except (CouldntDecodeError, IndexError, KeyError, ValueError):
        raise Refused("voice_unreadable") from None
    if len(segment) <= 0:
        raise Refused("voice_unreadable")
    spool = settings.get().spool_dir
    spool.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = spool / f"wa-{case.id}-{os.urandom(6).hex()}.wav"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        segment.export(handle, format="wav")
    recording = Recording(case_id=case.id, status="spooled", spool_path=str(path), source_format="wav")
    session.add(recording)
    session.flush()
    return intake.accept(session, recording)
