"""End to end in headless Chromium: a call appears live, is taken, completed and routed; a
reviewer plays its recording; a supervisor sees the wallboard change. Screenshots of every page
are kept in tests/artifacts/ and each page is checked for right-to-left layout."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from hotline import db, events, reference, settings, users
from hotline.models import AuditEntry, Call, Case, utcnow
from tests.conftest import ROOT, use_settings
from tests.console.conftest import PASSWORD
from tests.console.recording import stored_recording
from tests.console.servers import console_process, free_port
from tests.support import database

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def stack(postgresql_database, redis_url, tmp_path):
    """PostgreSQL + Redis + an age key pair + users, and one real console process."""
    from recordings import keyring

    database.clean_postgresql(postgresql_database)
    identity = tmp_path / "age-identity.txt"
    recipient = keyring.write_identity(identity)
    conf = use_settings(settings.get().replace(database_url=postgresql_database, age_recipients=(recipient,),
                                               age_identity_file=identity))
    with db.session_scope() as session:
        for name, role in (("agent", "agent"), ("reviewer", "quality_reviewer"), ("supervisor", "supervisor")):
            users.create_user(session, username=name, password=PASSWORD, role=role,
                              extension="101" if name == "agent" else None)
    env = {"HOTLINE_AGE_RECIPIENTS": recipient, "HOTLINE_AGE_IDENTITY_FILE": str(identity)}
    with console_process(conf, free_port(), **env) as base:
        yield base


def shoot(page, name: str) -> None:
    """Keep a screenshot and check the page is laid out right to left."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"console-{name}.png"), full_page=True)
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"


def sign_in(browser, base: str, username: str):
    page = browser.new_context(locale="ar-EG").new_page()
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def publish(type_: str, call_id: int, **payload) -> None:
    events.publish(events.Event(type_, call_id=call_id, payload=payload))


def test_agent_reviewer_and_supervisor(stack):
    from playwright.sync_api import expect, sync_playwright

    base = stack
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            agent = sign_in(browser, base, "agent")
            expect(agent.locator("#live-status.online")).to_be_visible(timeout=15000)
            shoot(agent, "1-live-empty")

            # A call starts and moves through the menu, live (the IVR's events, published here).
            with db.session_scope() as session:
                call = Call(uniqueid="1700000100.7", mode="simulated", language="ar")
                call.caller = "01098765432"
                session.add(call)
                session.flush()
                call_id = call.id
            publish("call.started", call_id, uniqueid="1700000100.7", mode="simulated", language="ar")
            expect(agent.locator(f"#call-{call_id}")).to_be_visible(timeout=10000)
            publish("call.step", call_id, seq=1, step="main_menu", prompt="main_menu", input="1", result="ok")
            expect(agent.locator(f"#call-{call_id} td.step")).to_have_text("main_menu", timeout=10000)
            shoot(agent, "2-call-in-ivr")

            supervisor = sign_in(browser, base, "supervisor")
            supervisor.goto(f"{base}/wallboard")
            expect(supervisor.locator("#live-status.online")).to_be_visible(timeout=15000)
            expect(supervisor.locator("#wb-in_ivr")).to_have_text("١", timeout=10000)
            shoot(supervisor, "3-wallboard-in-ivr")

            # The caller asks for an agent: the call joins the queue.
            with db.session_scope() as session:
                row = session.get(Call, call_id)
                row.outcome, row.ended_at = "queued", utcnow()
            publish("call.queued", call_id, queue="hotline", category=None, language="ar")
            publish("call.ended", call_id, outcome="queued", duration=20)
            expect(agent.locator(f"#queued-{call_id}")).to_be_visible(timeout=10000)
            expect(supervisor.locator("#wb-waiting")).to_have_text("١", timeout=10000)
            shoot(supervisor, "4-wallboard-waiting")
            shoot(agent, "5-call-queued")

            agent.click(f"#queued-{call_id} button.take")
            agent.wait_for_url(f"{base}/cases/*", timeout=10000)
            expect(agent.locator("#caller")).to_have_text("01098765432")
            shoot(agent, "6-screen-pop")
            expect(supervisor.locator("#wb-waiting")).to_have_text("٠", timeout=10000)
            expect(supervisor.locator("#wb-agents-on_call")).to_have_text("١", timeout=10000)

            governorate, category = reference.governorates()[0], reference.categories()[0]
            agent.fill("#name", "منى أحمد")
            agent.fill("#phone", "01098765432")
            agent.select_option("#governorate", governorate.slug)
            agent.select_option("#category", category.code)
            agent.fill("#description", "انقطاع المياه عن الشارع منذ ثلاثة أيام")
            agent.click("#complete")  # no disposition yet: refused with an Arabic message
            expect(agent.locator("text=اختر نتيجة المكالمة")).to_be_visible()
            shoot(agent, "7-disposition-required")
            agent.select_option("#disposition", "case_routed")
            agent.click("#complete")
            agent.wait_for_load_state("networkidle")
            expect(agent.locator(".flash.ok")).to_be_visible()
            shoot(agent, "8-case-routed")
            with db.session_scope() as session:
                case = session.scalar(select(Case).where(Case.call_id == call_id))
                assert case.status.value == "routed" and case.entity_id is not None
                case_id = case.id
            stored_recording(case_id)

            reviewer = sign_in(browser, base, "reviewer")
            reviewer.goto(f"{base}/review/{case_id}")
            reviewer.fill(".player .reason", "مراجعة جودة المكالمة")
            reviewer.click(".player .play")
            # A polling predicate would need eval, which the CSP forbids: poll from here.
            for _ in range(150):
                if reviewer.evaluate("document.querySelector('.player audio').readyState") >= 1:
                    break
                reviewer.wait_for_timeout(100)
            assert reviewer.evaluate("document.querySelector('.player audio').duration") > 0
            reviewer.click(".word >> nth=1")
            shoot(reviewer, "9-review")
            with db.session_scope() as session:
                played = session.scalar(select(AuditEntry).where(AuditEntry.action == "recording.played"))
                assert played is not None and played.reason == "مراجعة جودة المكالمة"
            shoot(supervisor, "10-wallboard-after")
        finally:
            browser.close()
