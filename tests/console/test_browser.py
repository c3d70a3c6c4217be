"""End to end in headless Chromium: a call appears live, is taken, completed and routed; a
reviewer plays its recording; a supervisor sees the wallboard change. Screenshots of every page
are kept in tests/artifacts/ and each page is checked for right-to-left layout."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from hotline import db, reference, settings, users
from hotline.models import AuditEntry, Call, Case
from ivr import clock, testing
from tests.conftest import ROOT, use_settings
from tests.console.conftest import PASSWORD
from tests.console.recording import stored_recording
from tests.console.servers import console_process, free_port
from tests.support import database
from tests.support.browser import launch, sign_in

ARTIFACTS = ROOT / "tests" / "artifacts"


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


def test_agent_reviewer_and_supervisor(stack):
    from playwright.sync_api import expect, sync_playwright

    base = stack
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            agent = sign_in(browser, base, "agent")
            expect(agent.locator("#live-status.online")).to_be_visible(timeout=15000)
            shoot(agent, "1-live-empty")

            # A citizen calls through the IVR's simulator: Arabic, then 0 for an agent. The fake
            # channel holds the caller at the main menu until the test has seen the call live.
            at_main_menu, go_on = threading.Event(), threading.Event()
            sim = testing.fake_asterisk("1 0", caller="01098765432")
            handle = sim.handle

            def paced(line: bytes):
                if b"main_menu" in line and not go_on.is_set():
                    at_main_menu.set()
                    go_on.wait(60)
                return handle(line)

            sim.handle = paced
            office_hours = clock.parse_at("2026-11-29T10:00", settings.get().timezone)
            caller = threading.Thread(target=testing.run_in_process, args=(sim,),
                                      kwargs={"clock": office_hours}, daemon=True)
            caller.start()
            assert at_main_menu.wait(30)
            with db.session_scope() as session:
                call_id = session.scalar(select(Call.id).where(Call.uniqueid == sim.env["agi_uniqueid"]))
            expect(agent.locator(f"#call-{call_id}")).to_be_visible(timeout=10000)
            expect(agent.locator(f"#call-{call_id} td.step")).to_have_attribute("data-step", "language", timeout=10000)
            expect(agent.locator(f"#call-{call_id} td.step")).to_have_text("اختيار اللغة")
            expect(agent.locator(f"#call-{call_id} td.language")).to_have_text("العربية")
            shoot(agent, "2-call-in-ivr")

            supervisor = sign_in(browser, base, "supervisor")
            supervisor.goto(f"{base}/wallboard")
            expect(supervisor.locator("#live-status.online")).to_be_visible(timeout=15000)
            expect(supervisor.locator("#wb-in_ivr")).to_have_text("١", timeout=10000)
            shoot(supervisor, "3-wallboard-in-ivr")

            # The caller presses 0 for an agent: the IVR sends the call to the queue.
            go_on.set()
            caller.join(60)
            assert sim.apps and sim.apps[-1][0].lower() == "queue"
            expect(agent.locator(f"#queued-{call_id}")).to_be_visible(timeout=10000)
            expect(supervisor.locator("#wb-waiting")).to_have_text("١", timeout=10000)
            shoot(supervisor, "4-wallboard-waiting")
            shoot(agent, "5-call-queued")

            agent.click(f"#queued-{call_id} button.take")
            agent.wait_for_url(f"{base}/cases/*", timeout=10000)
            expect(agent.locator("#caller")).to_have_text("٠١٠٩٨٧٦٥٤٣٢")  # Arabic digits, isolated LTR
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
            agent.click("#route")  # Save never routes: the agent routes, then closes the call
            agent.wait_for_load_state("networkidle")
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
