"""A shift on the demo, in headless Chromium, in Arabic and in English.

``run_ivr.py demo`` places its calls (``--pace 0``: one after another as fast as the IVR answers)
while two agents, a supervisor and the officers of two entities work in their own browsers:
agent 1 is typing in one complaint when a caller who asked for an agent reaches them (a banner and
a tone, no navigation, the call opens in a new tab on accept), completes and routes that call with
the keyboard; agent 2, paused, gets no pop, then takes the complaint the rules could not route from
the work queue; Cairo's cleaning authority answers the complaint routed to it automatically and the
agent sees the answer; Minya finds its complaint in its inbox; the supervisor follows it all on the
wallboard, then reads the reports and the audit trail. No browser dialog may open. Screenshots go
to tests/artifacts/shift-<language>-*.png.
"""
from __future__ import annotations

import re
import subprocess
import sys
import threading
import time

import pytest

from hotline.commands.demo import PASSWORD
from tests.conftest import ROOT, settings_environ
from tests.console.servers import free_port
from tests.support.browser import launch, sign_in

ARTIFACTS = ROOT / "tests" / "artifacts"
DIGITS = {"ar": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"), "en": str.maketrans("", "")}
WORDS = {
    "ar": {"suggested_water": "الشركة القابضة لمياه الشرب والصرف الصحي", "ivr_agent": "التحدث إلى موظف",
           "auto": "أحيلت تلقائيًا", "answer_title": "رد الجهة", "identity": "الاطلاع على هوية الشاكي",
           "reports": "التقارير", "audit": "سجل التدقيق", "luxor": "الأقصر", "on_call": "في مكالمة",
           "paused": "في استراحة", "available": "متاح"},
    "en": {"suggested_water": "Holding Company for Water and Wastewater", "ivr_agent": "An agent",
           "auto": "Routed automatically", "answer_title": "The entity's answer",
           "identity": "Complainant identity viewed", "reports": "Reports", "audit": "Audit trail",
           "luxor": "Luxor", "on_call": "On a call", "paused": "Paused", "available": "Available"},
}
CALLS = 8  # the demo's scenarios: Cairo, Luxor, a follow-up, Minya, a hang-up, an agent, WhatsApp numbers, "other"


class Demo:
    """``run_ivr.py demo`` in a subprocess; its "demo call N: ... → number" lines, as they come."""

    def __init__(self, conf, port: int):
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "run_ivr.py"), "demo", "--calls", str(CALLS), "--every", "2",
             "--pace", "0", "--delay", "25", "--port", str(port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=settings_environ(conf),
            cwd=conf.var_dir.parent)
        threading.Thread(target=lambda: self.lines.extend(self.process.stdout), daemon=True).start()

    def wait(self, prefix: str, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = next((line for line in self.lines if line.startswith(prefix)), None)
            if found:
                return found
            assert self.process.poll() is None, "".join(self.lines)
            time.sleep(0.2)
        raise AssertionError(f"no {prefix!r} in:\n{''.join(self.lines)}")

    def number(self, call: int) -> str:
        return re.search(r"→ (\d+) \(", self.wait(f"demo call {call}:")).group(1)

    def stop(self) -> str:
        self.process.send_signal(2)
        self.process.wait(timeout=120)
        return "".join(self.lines)


def shoot(page, language: str, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"shift-{language}-{name}.png"), full_page=True)
    assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")


def set_state(page, base: str, state: str, reason: str = "") -> None:
    page.goto(f"{base}/calls")
    page.select_option("#state", state)
    if reason:
        page.select_option("#reason", reason)
    page.click(".agent-state button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("language", ["ar", "en"])
def test_a_shift_on_the_demo(isolated_settings, language):
    from playwright.sync_api import expect, sync_playwright

    n = lambda value: str(value).translate(DIGITS[language])  # noqa: E731 - digits as shown
    words = WORDS[language]
    port = free_port()
    demo = Demo(isolated_settings, port)
    base, dialogs = f"http://127.0.0.1:{port}", []
    try:
        demo.wait("  simulated citizens call 16528", timeout=180)
        with sync_playwright() as pw:
            browser = launch(pw)
            try:
                people = {name: sign_in(browser, base, name, PASSWORD, language)
                          for name in ("agent1", "agent2", "supervisor", "cairo", "minya")}
                for page in people.values():
                    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
                agent1, agent2, supervisor = people["agent1"], people["agent2"], people["supervisor"]
                set_state(agent1, base, "available")
                set_state(agent2, base, "paused", "break")
                expect(agent2.locator("#my-state")).to_have_attribute("data-state", "paused")
                supervisor.goto(f"{base}/wallboard")
                expect(supervisor.locator("#live-status.online")).to_be_visible(timeout=15000)

                # Agent 1 works on the first complaint (routed by the rules to Cairo's cleaning
                # authority) and has typed a note when the caller who asked for an agent arrives.
                cairo_number = demo.number(1)
                agent1.goto(f"{base}/cases?number={cairo_number}")
                agent1.click(f"#results a:has-text('{n(cairo_number)}')")
                expect(agent1.locator("#history")).to_contain_text(words["auto"])
                agent1.fill("#note", "ملاحظة لم تحفظ بعد")
                typing_at = agent1.url
                expect(agent1.locator("#pop")).to_be_visible(timeout=90000)
                expect(agent1.locator("#pop-unsaved")).to_be_visible()
                assert agent1.url == typing_at and agent1.input_value("#note") == "ملاحظة لم تحفظ بعد"
                assert agent1.get_attribute("#pop", "data-sounded") is not None  # the tone was played
                shoot(agent1, language, "1-pop-over-unsaved-work")
                with agent1.context.expect_page() as opened:
                    agent1.keyboard.press("Alt+KeyA")
                call = opened.value
                call.wait_for_url(f"{base}/cases/*", timeout=15000)
                call.wait_for_load_state("networkidle")
                assert agent1.input_value("#note") == "ملاحظة لم تحفظ بعد"  # still there, untouched
                assert re.fullmatch(r"0\d{10}", call.input_value("#phone"))  # the caller's number
                expect(call.locator("#call-timer")).to_be_visible()
                first = call.text_content("#call-timer")
                call.wait_for_timeout(1500)
                assert call.text_content("#call-timer") != first  # it counts
                expect(call.locator("#ivr-path")).to_contain_text(words["ivr_agent"])
                expect(supervisor.locator("#agent-rows")).to_contain_text(words["on_call"], timeout=15000)

                # The routing suggestion follows the form; Save does not route; the keyboard does.
                call.fill("#name", "منى أحمد")
                call.select_option("#governorate", "luxor")
                call.select_option("#category", "water_sewage")
                call.fill("#description", "المياه مقطوعة عن الشارع منذ ثلاثة أيام")
                expect(call.locator("#suggested")).to_have_text(words["suggested_water"], timeout=10000)
                assert call.locator("#governorate option:checked").text_content() == words["luxor"]
                call.select_option("#disposition", "case_routed")
                call.click("#save")
                call.wait_for_load_state("networkidle")
                expect(call.locator("small.status")).to_have_attribute("data-status", "received")
                assert call.input_value("#disposition") == "case_routed"  # kept after Save
                call.keyboard.press("Alt+KeyR")
                call.wait_for_load_state("networkidle")
                expect(call.locator("small.status")).to_have_attribute("data-status", "routed")
                expect(call.locator("#entity")).to_have_text(words["suggested_water"])
                shoot(call, language, "2-routed-from-the-keyboard")
                call.keyboard.press("Alt+KeyC")
                call.wait_for_load_state("networkidle")
                expect(supervisor.locator("#agent-rows")).to_contain_text(words["available"], timeout=15000)

                # Agent 2, paused, gets no pop; available, they would; then the work queue.
                pop = "Shakwa.socket.listeners('queue.agent_connect').forEach(f => f({payload: {agent: '1002'}}))"
                agent2.goto(f"{base}/calls")
                agent2.evaluate(pop)
                assert agent2.locator("#pop").is_hidden()
                set_state(agent2, base, "available")
                agent2.evaluate(pop)
                expect(agent2.locator("#pop")).to_be_visible()
                agent2.click("#pop-later")
                assert agent2.locator("#pop").is_hidden()
                other_number = demo.number(8)
                expect(agent2.locator("#work-count")).to_have_text(n(1), timeout=15000)
                agent2.keyboard.press("Alt+KeyN")
                agent2.wait_for_url(f"{base}/cases/*")
                expect(agent2.locator("#case-number")).to_have_text(n(other_number))
                expect(agent2.locator("#claim")).to_be_visible()
                shoot(agent2, language, "3-from-the-work-queue")
                agent2.fill("#description", "عمود إنارة مكسور في الشارع منذ شهر")
                agent2.select_option("#entity_id", label="الإسكندرية" if language == "ar" else "Alexandria")
                agent2.click("#route")
                agent2.wait_for_load_state("networkidle")
                expect(agent2.locator("small.status")).to_have_attribute("data-status", "routed")
                agent2.goto(f"{base}/calls")
                expect(agent2.locator("#work-count")).to_have_text(n(0))

                # The entities: Cairo answers what the rules sent it; Minya finds its complaint.
                cairo = people["cairo"]
                cairo.goto(f"{base}/entity/inbox")
                cairo.click(f"#inbox a:has-text('{n(cairo_number)}')")
                expect(cairo.locator("#history")).to_contain_text(words["auto"])
                cairo.fill(".action-answer textarea", "تم رفع القمامة وتنظيف الشارع اليوم")
                cairo.click(".action-answer button")
                cairo.wait_for_load_state("networkidle")
                shoot(cairo, language, "4-entity-answered")
                minya = people["minya"]
                minya.goto(f"{base}/entity/inbox")
                expect(minya.locator("#inbox")).to_contain_text(n(demo.number(4)))
                agent1.reload()
                expect(agent1.locator("#answer-1")).to_contain_text("تم رفع القمامة وتنظيف الشارع اليوم")
                expect(agent1.locator("#answer-1 footer")).to_contain_text("cairo")

                # The supervisor's wallboard, reports and audit trail.
                expect(supervisor.locator("#wb-answered")).to_have_text(n(1), timeout=15000)
                expect(supervisor.locator("#wb-waiting")).to_have_text(n(0))
                expect(supervisor.locator("#wb-service_level")).to_have_text(n(100) + ("٪" if language == "ar" else "%"))
                assert supervisor.locator("#per-hour g.hour[data-count]").count() == 24
                counted = supervisor.evaluate("[...document.querySelectorAll('#per-hour g.hour')]"
                                              ".reduce((n, g) => n + Number(g.dataset.count), 0)")
                assert counted >= CALLS
                zero = supervisor.locator("#wb-waiting")
                if language == "ar":  # the Arabic zero, drawn large enough to read as a zero
                    drawn = supervisor.evaluate("(() => { const z = getComputedStyle(document.querySelector('#wb-waiting .zero'));"
                                                " return [z.backgroundImage, z.backgroundSize, z.fontSize]; })()")
                    assert drawn[0].startswith('url("data:image/svg+xml'), drawn
                    assert float(drawn[1].split("px")[0]) >= 0.25 * float(drawn[2][:-2]), drawn
                    # 100 % keeps its digits' order beside the diamonds: one, zero, zero.
                    order = supervisor.evaluate("[...document.querySelectorAll('#wb-service_level .zero')]"
                                                ".map(z => z.getBoundingClientRect().left)")
                    one = supervisor.evaluate("(() => { const r = document.createRange();"
                                              " const t = document.querySelector('#wb-service_level').firstChild;"
                                              " r.setStart(t, 0); r.setEnd(t, 1); return r.getBoundingClientRect().left; })()")
                    assert all(one < left for left in order), (one, order)
                expect(zero).to_be_visible()
                shoot(supervisor, language, "5-wallboard")
                supervisor.click(f"header nav a:has-text('{words['reports']}')")
                supervisor.wait_for_load_state("networkidle")
                clipped = supervisor.evaluate(
                    "[...document.querySelectorAll('svg.chart')].flatMap(svg => {"
                    " const w = svg.viewBox.baseVal.width;"
                    " return [...svg.querySelectorAll('text')].filter(t => { const b = t.getBBox();"
                    " return b.x < -0.5 || b.x + b.width > w + 0.5; }).map(t => t.textContent); })")
                assert clipped == []
                shoot(supervisor, language, "6-reports")
                supervisor.click(f"header nav a:has-text('{words['audit']}')")
                supervisor.wait_for_load_state("networkidle")
                expect(supervisor.locator("#entries")).to_contain_text(words["identity"])
                expect(supervisor.locator("#entries")).to_contain_text(n(cairo_number))
                shoot(supervisor, language, "7-audit")
            finally:
                browser.close()
    finally:
        output = demo.stop()
        print(output[-6000:])  # shown when the test fails
    assert dialogs == [], dialogs
    assert demo.process.returncode == 0 and "Traceback" not in output, output
