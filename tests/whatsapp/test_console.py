"""The case's WhatsApp conversation in the console: history, photos, an agent's reply, permissions."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from hotline import db
from hotline.models import Attachment, AuditEntry, Case
from tests.whatsapp import webhooks as wh
from tests.whatsapp.conftest import drain, login, photo_with_gps, say
from tests.whatsapp.test_complaint import finish_complaint, start_complaint
from tests.support.pages import western


def filed_case(client, graph_api) -> Case:
    graph_api.add_media("media-1", photo_with_gps(300, 200), "image/jpeg")
    start_complaint(client, graph_api)
    say(client, wh.image("media-1"))
    finish_complaint(client)
    with db.session_scope() as session:
        return session.scalars(select(Case)).one()


def test_agent_sees_the_conversation_and_photos_and_replies(app, client, graph_api):
    case = filed_case(client, graph_api)
    agent = app.test_client()
    login(agent, "agent")
    case_page = western(agent.get(f"/cases/{case.id}").get_data(as_text=True))  # Arabic digits read 0-9
    assert "واتساب" in case_page and "01555516528" in case_page  # the channel and which number
    assert f'href="/cases/{case.id}/whatsapp"' in case_page
    page = western(agent.get(f"/cases/{case.id}/whatsapp").get_data(as_text=True))
    assert "01555516528" in page and "تراكم قمامة كبير" in page
    assert "29001011234567" not in page  # the national ID typed on WhatsApp is masked
    photo_url = re.search(r'src="(/whatsapp/photos/\d+)"', page).group(1)
    photo = agent.get(photo_url)
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    assert photo.data.startswith(b"\xff\xd8") and b"Exif" not in photo.data
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    sent = agent.post(f"/cases/{case.id}/whatsapp/reply", data={"text": "تم إبلاغ الحي، شكرا لك", "csrf_token": token})
    assert sent.status_code == 302
    drain()
    assert graph_api.texts_to(wh.CITIZEN)[-1] == "تم إبلاغ الحي، شكرا لك"
    with db.session_scope() as session:
        actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.case_id == case.id)))
        assert {"whatsapp.replied", "photo.viewed"} <= actions
    assert "تم إبلاغ الحي" in agent.get(f"/cases/{case.id}/whatsapp").get_data(as_text=True)


def test_permissions_guard_the_conversation_reply_and_photos(app, client, graph_api):
    case = filed_case(client, graph_api)
    with db.session_scope() as session:
        photo_id = session.scalars(select(Attachment.id)).one()
    anonymous = app.test_client()
    assert anonymous.get(f"/cases/{case.id}/whatsapp").status_code in (302, 401)
    assert anonymous.get(f"/whatsapp/photos/{photo_id}").status_code in (302, 401)
    reviewer = app.test_client()
    login(reviewer, "reviewer")  # may view cases, may not edit them
    assert reviewer.get(f"/cases/{case.id}/whatsapp").status_code == 200
    page = reviewer.get(f"/cases/{case.id}/whatsapp").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    assert reviewer.post(f"/cases/{case.id}/whatsapp/reply", data={"text": "x", "csrf_token": token}).status_code == 403
    officer = app.test_client()
    login(officer, "officer")  # no cases.view
    assert officer.get(f"/cases/{case.id}/whatsapp").status_code == 403
    assert officer.get(f"/whatsapp/photos/{photo_id}").status_code == 403


def test_reply_without_csrf_token_is_refused_but_webhook_needs_none(app, client, graph_api):
    case = filed_case(client, graph_api)  # the webhook posts above carried no CSRF token
    agent = app.test_client()
    login(agent, "agent")
    assert agent.post(f"/cases/{case.id}/whatsapp/reply", data={"text": "hi"}).status_code == 400


def test_a_tampered_photo_is_refused_by_every_view_and_no_view_is_audited(app, client, graph_api, caplog):
    """The conversation's photo and the places panel's thumbnail open photos in one place
    (agent_console/photo_views.py): the same answer, logged, when the vault refuses the file."""
    case = filed_case(client, graph_api)
    agent = app.test_client()
    login(agent, "agent")
    with db.session_scope() as session:
        photo = session.scalars(select(Attachment)).one()
        photo_id = photo.id
    assert agent.get(f"/cases/{case.id}/photos/{photo_id}/thumb").status_code == 200
    with db.session_scope() as session:
        session.get(Attachment, photo_id).sha256 = "0" * 64  # the file no longer matches its record
        before = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "photo.viewed"))
    for url in (f"/whatsapp/photos/{photo_id}", f"/cases/{case.id}/photos/{photo_id}/thumb"):
        assert agent.get(url).status_code == 409, url
    assert caplog.text.count(f"photo {photo_id} cannot be opened") == 2
    with db.session_scope() as session:
        after = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "photo.viewed"))
    assert after == before  # nothing was shown
    assert agent.get(f"/whatsapp/photos/{photo_id + 1000}").status_code == 404
