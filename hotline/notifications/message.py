"""What the citizen reads: the complaint number, its new status and the entity's answer."""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.models import Call, Case, Response

STATUS_TEXT = {
    "answered": ("تم الرد على شكواك", "your complaint was answered"),
    "closed": ("تم إغلاق شكواك", "your complaint was closed"),
}
ANSWER_LIMIT = 600  # an SMS of a few parts; WhatsApp template parameters are capped too


def phone_of(session: Session, case: Case) -> str | None:
    """The citizen's phone as stored (local form, ``010…``): the complainant's, else the caller's."""
    phone = case.complainant.phone if case.complainant else None
    if not phone and case.call_id:
        call = session.get(Call, case.call_id)
        phone = call.caller if call else None
    return phone or None


def recipient(session: Session, case: Case) -> str | None:
    """The citizen's phone in international digits (``2010…``), or None when there is none."""
    phone = phone_of(session, case)
    if not phone:
        return None
    digits = re.sub(r"\D", "", phone)
    return "20" + digits[1:] if digits.startswith("0") and len(digits) == 11 else digits


def latest_answer(session: Session, case: Case) -> str:
    """The newest answer of the entity, flattened to one line and shortened."""
    body = session.scalar(select(Response.body).where(Response.case_id == case.id)
                          .order_by(Response.id.desc()).limit(1)) or ""
    # WhatsApp refuses template parameters with new lines, tabs or runs of spaces.
    flat = re.sub(r"\s+", " ", body).strip()
    return flat if len(flat) <= ANSWER_LIMIT else flat[:ANSWER_LIMIT - 1] + "…"


def parts(session: Session, case: Case, status: str) -> dict[str, str]:
    """The message's pieces: number, status wording in the case's language, answer."""
    arabic, english = STATUS_TEXT.get(status, (status, status))
    return {"number": case.number, "status": english if case.language == "en" else arabic,
            "answer": latest_answer(session, case) if status == "answered" else ""}


def text(pieces: dict[str, str], language: str = "ar") -> str:
    """The SMS body built from :func:`parts`."""
    if language == "en":
        line = f"Hotline 16528: complaint {pieces['number']}: {pieces['status']}."
    else:
        line = f"منظومة الشكاوى 16528: الشكوى رقم {pieces['number']}: {pieces['status']}."
    return f"{line} {pieces['answer']}".strip()
