"""The case behind a WhatsApp conversation: opened as a draft, completed, or kept for an agent.

The case is opened (marked incomplete) as soon as the citizen sends something worth keeping, so
photos and voice notes are attached to a real case and a conversation that times out or is
cancelled loses nothing: an agent sees the incomplete case and completes it.
"""
from __future__ import annotations

from hotline import cases
from hotline.models import Case, CaseHistory, CaseStatus, Complainant
from agent_console.whatsapp.turn import Turn

ACTOR = "whatsapp"
TRANSCRIBE_JOB = "transcription.jobs.transcribe"


def current(turn: Turn) -> Case | None:
    """The conversation's open case, if one was started."""
    conversation = turn.conversation
    return turn.session.get(Case, conversation.case_id) if conversation.case_id else None


def draft(turn: Turn) -> Case:
    """The conversation's case, opened now (incomplete) if it was not yet."""
    case = current(turn)
    if case is not None:
        return case
    conversation, data = turn.conversation, turn.data
    complainant = Complainant()
    complainant.phone = conversation.phone
    case = cases.create_case(
        turn.session, channel="whatsapp", channel_detail=conversation.business_number, actor=ACTOR,
        language=conversation.language, category=data.get("category"),
        governorate=data.get("governorate"), description=data.get("description"),
        complainant=complainant, incomplete=True)
    if data.get("latitude") is not None:
        case.latitude, case.longitude = data["latitude"], data["longitude"]
    conversation.case_id = case.id
    turn.message.case_id = case.id
    return case


def add_description(case: Case, text: str) -> None:
    """Add the citizen's words to the case description."""
    text = text.strip()
    if text:
        case.description = f"{case.description}\n{text}" if case.description else text


def set_location(turn: Turn, latitude: float, longitude: float) -> None:
    """The location the citizen shared becomes the case's (photos keep none of their own)."""
    turn.remember(latitude=latitude, longitude=longitude)
    case = current(turn)
    if case is not None:
        case.latitude, case.longitude = latitude, longitude


def recording_stored(turn: Turn, recording) -> None:
    """Queue the voice note's transcription once the case and recording are committed."""
    if recording.status == "stored":
        turn.jobs.append((TRANSCRIBE_JOB, (recording.id,), f"transcribe-{recording.id}"))


def complete(turn: Turn) -> Case:
    """Mark the case complete: the citizen answered every question."""
    case = draft(turn)
    case.incomplete = False
    turn.session.add(CaseHistory(case_id=case.id, actor=ACTOR, event="whatsapp_completed"))
    cases.route_if_certain(turn.session, case)  # else it waits in the agents' work queue
    return case


def cancel(turn: Turn) -> None:
    """The citizen cancelled: a started case is kept, but set aside as rejected with the reason."""
    case = current(turn)
    if case is not None and case.status == CaseStatus.received:
        cases.change_status(turn.session, case, CaseStatus.rejected, actor=ACTOR,
                            event="whatsapp_cancelled")
