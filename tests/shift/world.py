"""A shift's worth of data, made as the hotline makes it: IVR calls with every step, complaints
routed by the rules or left for the work queue, one answered by its entity, one sent back, a
WhatsApp conversation, calls in the agent queue (answered and abandoned), agents in every state."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from agent_console import agents
from agent_console.inbox import actions
from agent_console.models import AgentCall
from agent_console.whatsapp.models import Conversation, Message
from hotline import callqueue, cases, db, events
from hotline.models import Call, CallStep, Case, Complainant, Entity, Recording, User, utcnow

CALLER = "01098765432"
IVR_PATH = [  # (step, input, result) as the IVR writes them
    ("language", "1", "ok"), ("main_menu", "1", "ok"), ("category", "9", "ok"),
    ("governorate", "2", "alexandria"), ("national_id", "*", "skipped"), ("consent", "1", "ok"),
    ("record", "timeout", "33862 samples"), ("recording_menu", "3", "ok"),
    ("save_complaint", None, "260000097"), ("read_number", "", "said 260000097"),
]


@dataclass
class Shift:
    ids: dict[str, int] = field(default_factory=dict)
    numbers: dict[str, str] = field(default_factory=dict)


def _call(session, uniqueid: str, caller: str = CALLER, outcome: str = "completed") -> Call:
    call = Call(uniqueid=uniqueid, mode="simulated", language="ar", outcome=outcome,
                started_at=utcnow() - timedelta(minutes=20))
    call.caller = caller
    call.ended_at = utcnow() - timedelta(minutes=18)
    session.add(call)
    session.flush()
    for seq, (step, entered, result) in enumerate(IVR_PATH, start=1):
        session.add(CallStep(call_id=call.id, seq=seq, step=step, input=entered, result=result))
    return call


def _ivr_complaint(session, uniqueid: str, category: str, governorate: str, description=None,
                   consent: bool = True) -> Case:
    person = Complainant(phone=CALLER)
    person.give_consent(consent, "ivr")
    case = cases.create_case(session, channel="ivr", actor="ivr", category=category,
                             governorate=governorate, description=description, complainant=person,
                             call=_call(session, uniqueid))
    cases.route_if_certain(session, case)
    return case


def build(shift_users: dict[str, str] | None = None) -> Shift:
    """The shift's data; ``shift_users`` maps role names to the usernames the caller made."""
    names = {"agent": "agent", "officer": "officer", **(shift_users or {})}
    made = Shift()
    with db.session_scope() as session:
        user = {key: session.scalar(select(User).where(User.username == name)) for key, name in names.items()}
        routed = _ivr_complaint(session, "1700000100.1", "garbage", "cairo", "قمامة متراكمة أمام المدرسة")
        waiting = _ivr_complaint(session, "1700000100.2", "other", "alexandria")  # rules not certain
        session.add(Recording(case_id=waiting.id, status="stored", duration_ms=4200))
        answered = _ivr_complaint(session, "1700000100.3", "garbage", "cairo", "صندوق القمامة مكسور")
        officer = user["officer"]
        actions.answer(session, answered, officer, "تم إصلاح الصندوق ورفع القمامة اليوم")
        declined = _ivr_complaint(session, "1700000100.4", "garbage", "cairo", "حرق قمامة في الشارع")
        actions.decline(session, declined, officer, "الشكوى تخص حي آخر")
        declined.due_at = utcnow() - timedelta(days=1)  # and it is overdue
        whatsapp = cases.create_case(session, channel="whatsapp", channel_detail="01000016528", actor="whatsapp",
                                     category="water_sewage", governorate="luxor",
                                     description="المياه مقطوعة منذ يومين", complainant=Complainant(phone=CALLER))
        # The citizen is still answering the bot's questions: not the agents' work yet.
        conversation = Conversation(business_number="01000016528", case_id=whatsapp.id, language="ar",
                                    state="description", last_inbound_at=utcnow())
        conversation.phone = CALLER
        session.add(conversation)
        session.flush()
        for direction, body, status in (("in", "المياه مقطوعة منذ يومين", "processed"),
                                        ("out", "تم تسجيل شكواك", "delivered")):
            session.add(Message(conversation_id=conversation.id, case_id=whatsapp.id, direction=direction,
                                kind="text", body=body, status=status))
        # A queued call the agent took and is handling now, and the queue's history.
        taken = _call(session, "1700000100.5", outcome="queued")
        on_call = agents.take(session, user["agent"], taken)
        for uniqueid, kind, hold in (("1700000100.5", "queue.agent_connect", 12),
                                     ("1700000100.6", "queue.caller_abandon", 75)):
            callqueue.record(session, events.Event("queue.caller_join", payload={"uniqueid": uniqueid}))
            callqueue.record(session, events.Event(kind, payload={"uniqueid": uniqueid, "hold_time": hold,
                                                                 "agent": "101"}))
        session.flush()
        made.ids = {"routed": routed.id, "waiting": waiting.id, "answered": answered.id,
                    "declined": declined.id, "whatsapp": whatsapp.id, "on_call": on_call.id,
                    "call": taken.id, "entity": session.scalar(select(Entity.id).where(Entity.code == "cairo-cleaning")),
                    "agent_call": session.scalar(select(AgentCall.id).where(AgentCall.case_id == on_call.id))}
        made.numbers = {key: session.get(Case, made.ids[key]).number
                        for key in ("routed", "waiting", "answered", "declined", "whatsapp", "on_call")}
    return made
