"""Reviewers play recordings (reason asked, audited, byte ranges), read words, score calls."""
from __future__ import annotations

from sqlalchemy import select

from agent_console.models import Scorecard
from hotline import cases, db
from hotline.models import AuditEntry
from tests.console.conftest import token
from tests.console.recording import stored_recording
from tests.support.playback import listen


def new_case() -> int:
    with db.session_scope() as session:
        return cases.create_case(session, channel="ivr", actor="ivr").id


def test_playback_needs_a_reason_is_audited_and_serves_ranges(app, client_as):
    case_id = new_case()
    recording_id = stored_recording(case_id)
    reviewer = client_as("reviewer")
    url = f"/recordings/{recording_id}/audio"
    assert reviewer.get(url).status_code == 400
    assert listen(reviewer, recording_id, "x").status_code == 400  # too short
    assert listen(reviewer, recording_id, "تقييم الجودة").get_json()["url"] == url
    whole = reviewer.get(url)
    assert whole.status_code == 200 and whole.data[:4] == b"RIFF"
    assert whole.headers["Accept-Ranges"] == "bytes"
    part = reviewer.get(url, headers={"Range": "bytes=4-11"})
    assert part.status_code == 206 and part.data == whole.data[4:12]
    assert part.headers["Content-Range"] == f"bytes 4-11/{len(whole.data)}"
    too_far = reviewer.get(url, headers={"Range": f"bytes={len(whole.data)}-"})
    assert too_far.status_code == 416
    with db.session_scope() as session:
        played = session.scalars(select(AuditEntry).where(AuditEntry.action == "recording.played")).all()
        assert [e.reason for e in played] == ["تقييم الجودة"]  # one listening, its seeks not counted
    # An agent who is not completing the case may not listen; an entity officer never.
    assert listen(client_as("agent"), recording_id, "فضول فقط").status_code == 403
    assert listen(client_as("officer"), recording_id, "فضول فقط").status_code == 403


def test_review_page_words_seek_and_scorecard_is_saved(app, client_as):
    case_id = new_case()
    stored_recording(case_id)
    reviewer = client_as("reviewer")
    assert f"/review/{case_id}" in reviewer.get("/review").get_data(as_text=True)
    page = reviewer.get(f"/review/{case_id}").get_data(as_text=True)
    assert 'class="word" data-start="0.7">المياه' in page
    data = {"csrf_token": token(reviewer, f"/review/{case_id}"), "comment": "جيد"}
    bad = reviewer.post(f"/review/{case_id}", data={**data, "score_greeting": "9"})
    assert "أعط كل بند درجة" in bad.get_data(as_text=True)
    full = {**data, "score_greeting": "5", "score_identity_check": "5", "score_understanding": "10",
            "score_routing": "5", "score_courtesy": "5", "score_closing": "5"}
    assert reviewer.post(f"/review/{case_id}", data=full).status_code == 302
    with db.session_scope() as session:
        card = session.scalar(select(Scorecard))
        assert card.scores["routing"] == 5 and card.total == round(100 * (1 + 2 + 3 + 1.5 + 1 + 1) / 11, 1)
    assert f"/review/{case_id}" not in reviewer.get("/review").get_data(as_text=True)


def test_the_agents_call_is_listed_first_with_its_agent_and_is_what_is_scored(app, client_as):
    from hotline.models import Recording, User

    case_id = new_case()
    message = stored_recording(case_id)
    conversation = stored_recording(case_id)  # as run_ivr.py seal-agent-call stores a queue call
    with db.session_scope() as session:
        agent = session.scalar(select(User).where(User.role == "agent"))
        row = session.get(Recording, conversation)
        row.kind, row.agent_user_id = "agent_call", agent.id
        agent_name = agent.display_name or agent.username
    reviewer = client_as("reviewer")
    page = reviewer.get(f"/review/{case_id}").get_data(as_text=True)
    first, second = page.index('data-kind="agent_call"'), page.index('data-kind="complaint"')
    assert first < second and agent_name in page[first:second]
    assert page.index(f"/recordings/{conversation}/audio") < page.index(f"/recordings/{message}/audio")
    data = {"csrf_token": token(reviewer, f"/review/{case_id}"), "comment": "",
            "score_greeting": "5", "score_identity_check": "5", "score_understanding": "10",
            "score_routing": "5", "score_courtesy": "5", "score_closing": "5"}
    assert reviewer.post(f"/review/{case_id}", data=data).status_code == 302
    with db.session_scope() as session:
        assert session.scalar(select(Scorecard)).recording_id == conversation
