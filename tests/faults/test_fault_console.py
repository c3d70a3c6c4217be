"""The console process SIGKILLed while a browser watches live calls, then restarted on the same port.

The IVR does not depend on the console: calls go on and complaints are stored while it is down.
The browser (headless Chromium) shows it is disconnected, reconnects by itself when the console is
back, with its session still valid (the shared ``secret_key`` signs it), re-syncs from the
database: the call that ended meanwhile is gone, the live ones (one started during the outage) are
there, and new ones appear. Every complaint placed ends with one case and one transcript.
"""
from __future__ import annotations

import threading

from sqlalchemy import select

from hotline import db, users
from hotline.models import Call
from ivr import testing
from ivr.fastagi_server import Server
from tests.console.conftest import PASSWORD
from tests.console.servers import free_port, start_console, stop_console
from tests.faults.stack import counts, full_settings, start_worker, stop, wait_for
from tests.ivr.conftest import COMPLAINT, SUNDAY_10AM
from tests.support.browser import launch, sign_in

SEEN = 60_000  # ms a browser expectation may take on a loaded two-core machine


def shows_step(page, call_id: int, step: str = "language", timeout: int = SEEN) -> None:
    """The live page lists the call at ``step`` (its code; the cell shows the Arabic name)."""
    from playwright.sync_api import expect

    expect(page.locator(f"#call-{call_id} td.step")).to_have_attribute("data-step", step, timeout=timeout)


class HeldCall:
    """A complaint call over FastAGI that the fake Asterisk holds at the main menu until released."""

    def __init__(self, port: int):
        self.sim = testing.fake_asterisk(COMPLAINT)
        self.waiting, self.release = threading.Event(), threading.Event()
        answer = self.sim.handle

        def handle(line: bytes):
            if b"main_menu" in line and not self.release.is_set():
                self.waiting.set()
                self.release.wait(120)
            return answer(line)

        self.sim.handle = handle
        self.thread = threading.Thread(target=testing.run_fastagi, args=(self.sim, "127.0.0.1", port),
                                       daemon=True)
        self.thread.start()

    def held(self) -> int:
        """Wait until the IVR holds it at the main menu; returns its call id."""
        assert self.waiting.wait(60), "the call never reached the main menu"
        with db.session_scope() as session:
            return session.scalar(select(Call.id).where(Call.uniqueid == self.sim.env["agi_uniqueid"]))

    def finish(self) -> None:
        self.release.set()
        self.thread.join(120)
        assert not self.thread.is_alive() and self.sim.said_digits, self.sim.prompts


def test_console_killed_and_restarted_while_a_browser_watches(private_pg, private_redis, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    conf = full_settings(tmp_path, private_pg.url, private_redis.url)
    with db.session_scope() as session:
        users.create_user(session, username="agent", password=PASSWORD, role="agent", extension="101")
    server = Server("127.0.0.1", 0, lambda: SUNDAY_10AM)
    server.start()
    fastagi = server.server_address[1]
    port = free_port()
    console = start_console(conf, port)
    worker = start_worker(conf)
    calls: list[HeldCall] = []
    try:
        with sync_playwright() as pw:
            browser = launch(pw)
            try:
                page = sign_in(browser, console.base, "agent")
                status = page.locator("#live-status")
                expect(page.locator("#live-status.online")).to_be_visible(timeout=SEEN)
                ends_during, lives_through = HeldCall(fastagi), HeldCall(fastagi)
                calls += [ends_during, lives_through]
                first, second = ends_during.held(), lives_through.held()
                for call_id in (first, second):
                    shows_step(page, call_id)

                console.kill()  # SIGKILL: no goodbye to the browser, no clean shutdown
                console.wait()
                expect(page.locator("#live-status.offline")).to_be_visible(timeout=SEEN)
                assert status.inner_text() == status.get_attribute("data-offline")
                ends_during.finish()  # the IVR does not need the console: this complaint is stored
                starts_during = HeldCall(fastagi)
                calls.append(starts_during)
                third = starts_during.held()
                assert counts()[:2] == (3, 1)

                console = start_console(conf, port)  # the same address: the browser's socket finds it
                expect(page.locator("#live-status.online")).to_be_visible(timeout=SEEN)  # session still valid
                assert status.inner_text() == status.get_attribute("data-online")
                shows_step(page, third)
                shows_step(page, second)
                expect(page.locator(f"#call-{first}")).to_have_count(0)  # ended while it was down
                expect(page.locator("#ivr-count")).to_have_text("٢")  # the Arabic console counts in its digits

                after = HeldCall(fastagi)  # events flow again: a new call appears live
                calls.append(after)
                fourth = after.held()
                shows_step(page, fourth)
                lives_through.finish()  # and a call that ends leaves the page
                expect(page.locator(f"#call-{second}")).to_have_count(0, timeout=SEEN)

                page.reload()  # a new page load: the session cookie from before the kill still signs in
                assert "/login" not in page.url
                expect(page.locator("#live-status.online")).to_be_visible(timeout=SEEN)
                expect(page.locator(f"#call-{third}")).to_be_visible(timeout=SEEN)
                expect(page.locator(f"#call-{fourth}")).to_be_visible()
                expect(page.locator("#ivr-count")).to_have_text("٢")
                starts_during.finish()
                after.finish()
                expect(page.locator("#ivr-count")).to_have_text("٠", timeout=SEEN)
            finally:
                browser.close()
        wait_for(lambda: counts() == (4, 4, 4), "four transcripts")
    finally:
        for call in calls:
            call.release.set()
        stop_console(console)
        stop(worker)
        server.stop()
    assert counts() == (4, 4, 4)  # complaints placed = cases stored = transcripts stored
