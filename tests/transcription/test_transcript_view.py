"""The transcript on the review page, in headless Chromium: Arabic right to left, and each word
seeks the recording it was heard in (the caller's message, not the agent's call listed first)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from hotline import cases, db, settings, users
from hotline.models import Recording, Transcript, User
from tests.conftest import use_settings
from tests.console.conftest import PASSWORD
from tests.console.recording import stored_recording
from tests.console.servers import console_process, free_port
from tests.support import database
from tests.support.browser import launch, sign_in

WORDS = (("المية", 0.1, 0.5), ("مقطوعة", 0.6, 1.0), ("بقالها", 1.1, 1.4))


@pytest.fixture
def console(postgresql_database, redis_url, tmp_path):
    """A real console process on PostgreSQL + Redis, a reviewer, and a case with two recordings."""
    from recordings import keyring

    database.clean_postgresql(postgresql_database)
    identity = tmp_path / "age-identity.txt"
    recipient = keyring.write_identity(identity)
    conf = use_settings(settings.get().replace(database_url=postgresql_database,
                                               age_recipients=(recipient,), age_identity_file=identity))
    with db.session_scope() as session:
        users.create_user(session, username="reviewer", password=PASSWORD, role="quality_reviewer")
        agent = users.create_user(session, username="agent", password=PASSWORD, role="agent")
        case_id = cases.create_case(session, channel="ivr", actor="ivr", language="ar").id
        agent_id = agent.id
    conversation = stored_recording(case_id)  # the agent's call, listed first on the page
    message = stored_recording(case_id, words=WORDS)  # the caller's message: the newest transcript
    with db.session_scope() as session:
        row = session.get(Recording, conversation)
        row.kind, row.agent_user_id = "agent_call", agent_id
        assert session.scalar(select(Transcript.recording_id).order_by(Transcript.id.desc())) == message
    env = {"HOTLINE_AGE_RECIPIENTS": recipient, "HOTLINE_AGE_IDENTITY_FILE": str(identity)}
    with console_process(conf, free_port(), **env) as base:
        yield base, case_id, conversation, message


def wait_until(page, script: str, tries: int = 150):
    """Poll ``script`` from here (the page's CSP forbids eval in a waiting predicate)."""
    for _ in range(tries):
        value = page.evaluate(script)
        if value:
            return value
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {script}")


def test_arabic_words_right_to_left_seek_their_own_recording(console):
    from playwright.sync_api import sync_playwright

    base, case_id, conversation, message = console
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = sign_in(browser, base, "reviewer", language="en")  # an English console, too
            page.goto(f"{base}/review/{case_id}")
            words = page.locator("#words")
            assert words.get_attribute("dir") == "rtl" and words.get_attribute("lang") == "ar"
            assert page.evaluate("getComputedStyle(document.getElementById('words')).direction") == "rtl"
            # Right to left: the first word said stands right of the second.
            first, second = (page.locator(".word").nth(i).bounding_box() for i in (0, 1))
            assert first["x"] > second["x"]
            heard_in = f'.player[data-recording="{message}"]'
            page.click(".word >> nth=1")  # no reason given yet: it is asked for, nothing plays
            assert page.is_visible(f"{heard_in} .error")
            page.fill(f"{heard_in} .reason", "مراجعة جودة")
            page.click(".word >> nth=1")
            wait_until(page, f"document.querySelector('{heard_in} audio').currentTime >= {WORDS[1][1]}")
            assert page.evaluate(f"document.querySelector('.player[data-recording=\"{conversation}\"] audio')"
                                 ".getAttribute('src')") is None  # the agent's call was not touched
            page.click(".word >> nth=0")  # playing already: a plain seek back
            wait_until(page, f"document.querySelector('{heard_in} audio').currentTime < {WORDS[1][1]}")
            wait_until(page, "document.querySelector('.word.said') !== null")
        finally:
            browser.close()
