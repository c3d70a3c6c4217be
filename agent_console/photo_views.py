"""A case photo opened in the console: decrypted in memory, the view audited, never cached.

The WhatsApp conversation's full photo and the places panel's thumbnail both open photos here,
so a photo that is missing is a 404, one the vault cannot open is a 409 (logged, never a 500),
and every view leaves a ``photo.viewed`` entry.
"""
from __future__ import annotations

import logging

from flask import Response, abort
from flask_login import current_user
from sqlalchemy.orm import Session

from hotline import audit
from hotline.errors import NotFound
from hotline.models import Attachment, User

log = logging.getLogger(__name__)


def opened(db: Session, attachment_id: int, **detail) -> tuple[bytes, str]:
    """(bytes, media type) of a stored photo, its view audited with ``detail`` (the caller
    commits); aborts 404 when there is none and 409 when the vault cannot open it."""
    from recordings import photos, vault

    try:
        data, media_type = photos.load_photo(db, attachment_id)
    except NotFound:
        abort(404)
    except vault.VaultError as exc:
        log.error("photo %s cannot be opened: %s", attachment_id, exc)
        abort(409)
    row = db.get(Attachment, attachment_id)
    audit.record(db, "photo.viewed", user=db.get(User, current_user.id), object_type="attachment",
                 object_id=attachment_id, case_id=row.case_id if row else None, detail=detail or None)
    return data, media_type


def private(data: bytes, media_type: str) -> Response:
    """The image for this viewer only: no shared or browser cache keeps a copy."""
    return Response(data, mimetype=media_type, headers={"Cache-Control": "private, no-store"})
