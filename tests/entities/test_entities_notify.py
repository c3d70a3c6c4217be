"""The citizen hears back: answered/closed → notification → SMS gateway / WhatsApp Cloud API.

The gateways are real HTTP servers on loopback answering in the published formats.
"""
from __future__ import annotations

import pytest

from hotline import cases, db, jobs, settings
from hotline.jobs import EmbeddedWorker
from hotline.models import Case, CaseStatus, Response
from hotline.notifications import dispatch
from hotline.notifications.models import Notification


def _configure(gateway, adapter: str, **extra):
    conf = settings.get()
    if adapter == "sms":
        extra = dict(notify_sms_url=gateway.url, notify_sms_account="AC123", notify_sms_token="tok",
                     notify_sms_sender="16528", **extra)
    elif adapter == "whatsapp":
        extra = dict(whatsapp_graph_url=gateway.url, whatsapp_access_token="EAAtoken",
                     whatsapp_numbers=(("01555516528", "1098765"),), **extra)
    settings.install(conf.replace(notify_adapter=adapter, **extra))


@pytest.fixture
def quick_worker(monkeypatch):
    """The in-process job worker with short back-off, so retries happen within the test."""
    worker = EmbeddedWorker(retry_intervals=(0.05, 0.1, 0.2))
    monkeypatch.setattr(jobs, "_worker", worker)
    return worker


def _answer(case_id: int, text="تمت إزالة القمامة. The garbage was removed.") -> int:
    with db.session_scope() as session:
        case = session.get(Case, case_id)
        session.add(Response(case_id=case.id, entity_id=case.entity_id, body=text))
        cases.change_status(session, case, CaseStatus.answered, actor="officer_a")
        session.flush()
        return session.query(Notification).filter_by(case_id=case_id).one().id


def _row(notification_id: int) -> Notification:
    with db.session_scope() as session:
        return session.get(Notification, notification_id)


def _settle(worker: EmbeddedWorker, notification_id: int) -> Notification:
    for _ in range(200):
        worker.join()
        row = _row(notification_id)
        if row.state != "queued":
            return row
        import time
        time.sleep(0.05)
    return _row(notification_id)


def test_sms_gateway_receives_the_answer(world, gateway, quick_worker):
    _configure(gateway, "sms")
    row = _settle(quick_worker, _answer(world.ids["a_consent"]))
    assert (row.state, row.channel, row.attempts, row.reason) == ("sent", "sms", 1, None)
    request = gateway.requests[0]
    assert request["path"] == "/2010-04-01/Accounts/AC123/Messages.json"
    assert request["headers"]["Authorization"].startswith("Basic ")
    assert request["body"]["To"] == "+201012345678" and request["body"]["From"] == "16528"
    assert world.numbers["a_consent"] in request["body"]["Body"]
    assert "تمت إزالة القمامة" in request["body"]["Body"]
    assert row.provider_id.startswith("SM")


def test_whatsapp_template_message_format(world, gateway, quick_worker):
    _configure(gateway, "whatsapp")
    row = _settle(quick_worker, _answer(world.ids["a_consent"]))
    assert row.state == "sent" and row.provider_id == "wamid.HBgM1"
    request = gateway.requests[0]
    assert request["path"] == "/1098765/messages"
    assert request["headers"]["Authorization"] == "Bearer EAAtoken"
    body = request["body"]
    assert body["messaging_product"] == "whatsapp" and body["type"] == "template"
    assert body["to"] == "201012345678"
    template = body["template"]
    assert template["name"] == "complaint_update" and template["language"] == {"code": "ar"}
    values = [p["text"] for p in template["components"][0]["parameters"]]
    assert values[0] == world.numbers["a_consent"] and "\n" not in values[2]


def test_transient_failures_are_retried_then_sent(world, gateway, quick_worker):
    _configure(gateway, "sms")
    gateway.script = [(503, {"code": 20500, "message": "Service unavailable"}),
                      (429, {"code": 20429, "message": "Too many requests"})]
    row = _settle(quick_worker, _answer(world.ids["a_consent"]))
    assert row.state == "sent" and row.attempts == 3 and row.reason is None
    assert len(gateway.requests) == 3


def test_permanent_failure_is_failed_with_reason(world, gateway, quick_worker):
    _configure(gateway, "whatsapp")
    gateway.script = [(400, {"error": {"message": "(#132001) Template name does not exist",
                                       "type": "OAuthException", "code": 132001}})]
    row = _settle(quick_worker, _answer(world.ids["a_consent"]))
    assert row.state == "failed" and row.attempts == 1
    assert "Template name does not exist" in row.reason and "HTTP 400" in row.reason


def test_attempts_run_out(world, gateway, quick_worker):
    _configure(gateway, "sms", notify_attempts=2)
    gateway.script = [(500, {"message": "down"})] * 5
    row = _settle(quick_worker, _answer(world.ids["a_consent"]))
    assert row.state == "failed" and row.attempts == 2 and "HTTP 500" in row.reason


def test_unreachable_gateway_is_transient(world, quick_worker):
    settings.install(settings.get().replace(
        notify_adapter="sms", notify_sms_url="http://127.0.0.1:9", notify_sms_account="AC1",
        notify_sms_token="t", notify_sms_sender="16528", notify_attempts=1))
    row = _settle(quick_worker, _answer(world.ids["a_consent"]))
    assert row.state == "failed" and "unreachable" in row.reason


def test_no_adapter_means_logged_only_and_closing_notifies_too(world, quick_worker):
    notification = _answer(world.ids["a_masked"])
    assert _settle(quick_worker, notification).state == "sent"
    with db.session_scope() as session:
        case = session.get(Case, world.ids["a_masked"])
        cases.change_status(session, case, CaseStatus.closed, actor="supervisor")
    with db.session_scope() as session:
        rows = dispatch.for_case(session, world.ids["a_masked"])
    assert [(r.status, r.channel) for r in rows] == [("closed", "log"), ("answered", "log")]


def test_rolled_back_status_change_sends_nothing(world, quick_worker, gateway):
    _configure(gateway, "sms")
    with pytest.raises(RuntimeError):
        with db.session_scope() as session:
            cases.change_status(session, session.get(Case, world.ids["a_consent"]),
                                CaseStatus.answered, actor="x")
            raise RuntimeError("the request failed after the change")
    quick_worker.join()
    assert gateway.requests == []


def test_delivery_is_idempotent(world, gateway, quick_worker):
    _configure(gateway, "sms")
    row = _settle(quick_worker, _answer(world.ids["a_consent"]))
    assert dispatch.deliver(row.id) == "sent" and len(gateway.requests) == 1
