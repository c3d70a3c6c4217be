"""The simulator is checked against the real PBX: one scripted call, played on Asterisk 22 and on
``ivr.sim``, must give the same AGI commands and the same replies (positions aside)."""
from __future__ import annotations

import re

from ivr import testing
from ivr.sim.audio import SoundLibrary
from tests.pbx import callers, evidence
from tests.pbx.conftest import CLASSIC, wait_until

# The same citizen for both: Arabic during the welcome, garbage in Cairo, the ID then '#',
# consent, a spoken complaint ended by '#', confirm, no key after the number.
SIM_KEYS = f"1 1 1 1 {callers.NATIONAL_ID}# 1 # 3 -"


def _normal(line: str, spool: str) -> str:
    """A command or reply with what differs between two calls taken out: the take's name,
    the complaint number's digits, sample positions and the leftover of RECORD FILE's wait."""
    line = re.sub(re.escape(spool) + r"/[^ \"]+-(\d+)", r"<spool>/<call>-\1", line)
    line = re.sub(r"digit_\d", "digit_N", line)
    line = re.sub(r" endpos=\d+", "", line)
    line = re.sub(r"result=\d+ \(timeout\)", "result=<left> (timeout)", line)
    return line.replace('"', "")


def test_simulator_answers_as_asterisk_did(hotline, prompts, spoken):
    call = hotline.pbx.place(callers.whole_complaint(prompts, spoken), extension=CLASSIC)
    hotline.pbx.wait_ended(call, 240)
    wait_until(lambda: (rows := evidence.call_rows()) and rows[0].ended_at, "the real call's end")
    spool = str(hotline.conf.spool_dir)
    real = [(way, _normal(text, spool)) for way, text in hotline.pbx.agi_exchange(call)]

    sim = testing.fake_asterisk(SIM_KEYS, network=False, audio=spoken,
                                sounds=SoundLibrary(data_dir=hotline.pbx.root / "lib"))
    heard = []
    answer = sim.handle

    def handle(line: bytes):
        replies = answer(line)
        heard.append(("<<", line.decode().rstrip("\n")))
        heard.extend((">>", r.decode().rstrip("\n")) for r in replies
                     if isinstance(r, bytes) and r[:3].isdigit())
        return replies

    sim.handle = handle
    outcome = testing.run_process(sim, [str(hotline.root / "dialplan" / "shakwa-agi")], env=hotline.env)
    assert outcome.returncode == 0, outcome.stderr
    simulated = [(way, _normal(text, spool)) for way, text in heard]
    commands = [t for w, t in real if w == "<<"]
    assert len(commands) > 30 and "GET DATA  10000 14" in commands, commands  # the ID after its first key
    assert [t for w, t in simulated if w == "<<"] == [t for w, t in real if w == "<<"]
    assert simulated == real
