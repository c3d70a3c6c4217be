"""How soon a classic-AGI caller hears the IVR.

1. On a real Asterisk 22 (built by ``make asterisk``): N calls start together (default 10) on
   classic AGI, as Asterisk forks ``shakwa-agi`` for each. From AMI events (timestamped by
   Asterisk) it prints, per call, the time from the channel's answer to the first prompt
   starting (the dead air a caller hears; goal <= 300 ms at 10 calls on 2 cores) and from the
   AGI starting to the answer (ringing while Python starts).
2. Against the simulator: the median time from process start to the first AGI command,
   `run_ivr.py agi` vs a bare pyst2 script (ratio; was the only figure before the real PBX).

Run: python bench/agi_start.py [CALLS] [STARTS]
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BARE = "from asterisk.agi import AGI\nagi = AGI()\nagi.answer()\n"


def first_command(argv, env) -> float:
    from ivr.sim.asterisk import FakeAsterisk

    sim = FakeAsterisk(network=False)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    proc.stdin.write(sim.env_block())
    proc.stdin.flush()
    proc.stdout.readline()
    elapsed = time.perf_counter() - start
    proc.kill()
    proc.wait()
    return elapsed


def simulated(n: int) -> None:
    var = tempfile.mkdtemp()
    env = {**os.environ, "HOTLINE_VAR_DIR": var, "PYTHONPATH": str(ROOT)}
    bare = Path(var) / "bare.py"
    bare.write_text(BARE)
    ours = [first_command([sys.executable, str(ROOT / "run_ivr.py"), "agi"], env) for _ in range(n)]
    theirs = [first_command([sys.executable, str(bare)], env) for _ in range(n)]
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"simulator: run_ivr.py agi median {a * 1000:.1f} ms to ANSWER, bare pyst2 "
          f"{b * 1000:.1f} ms ({n} starts); ratio {a / b:.2f} (target <= 1.3)")


def _stamp(event: dict) -> float:
    return float(event["Timestamp"])


def real_pbx(calls: int) -> bool:
    from hotline import settings
    from tests.support import asterisk_build, deployment
    from tests.support.pbx import Caller

    install, why = asterisk_build.find()
    if install is None:
        print(f"real PBX: skipped: {why}")
        return False
    root = Path(tempfile.mkdtemp(prefix="agi-start-"))
    prompts = deployment.render_prompts(root / "prompts")
    hotline = deployment.Hotline(root / "deploy", install, prompts, "", "")  # embedded, as shipped
    hotline.start_asterisk()
    try:
        ami = hotline.pbx.ami
        # Listen through the welcome, then hang up: only the start of each call matters here.
        people = [Caller(f"0100000{n:04d}").at("language", 1500).hangup() for n in range(calls)]
        placed = hotline.pbx.place_many(people)
        for call in placed:
            hotline.pbx.wait_ended(call, 120)
        dead_air, ringing = [], []
        for call in placed:
            mine = [e for e in ami.find(lambda e: e.get("Channel") == call.ivr_channel)]
            start = next(e for e in mine if e.get("Event") == "AGIExecStart" and e.get("Command") == "ANSWER")
            begun = next(e for e in mine if e.get("Event") == "Newexten" and e.get("Application") == "AGI")
            answered = next(e for e in mine if e.get("Event") == "Newstate" and e.get("ChannelStateDesc") == "Up")
            welcome = next(e for e in mine if e.get("Event") == "AGIExecStart"
                           and "/welcome" in e.get("Command", ""))
            dead_air.append(_stamp(welcome) - max(_stamp(answered), _stamp(start)))
            ringing.append(_stamp(start) - _stamp(begun))
        dead_air.sort()
        ringing.sort()
        print(f"real PBX, {calls} classic-AGI calls at once ({install.version}, {os.cpu_count()} cores):")
        print(f"  answer -> first prompt: median {statistics.median(dead_air) * 1000:.0f} ms, "
              f"max {dead_air[-1] * 1000:.0f} ms (goal <= 300 ms)")
        print(f"  AGI start -> answer (ringing while Python starts): median "
              f"{statistics.median(ringing) * 1000:.0f} ms, max {ringing[-1] * 1000:.0f} ms")
        return True
    finally:
        hotline.stop()
        settings.install(None)


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    starts = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    real_pbx(calls)
    simulated(starts)


if __name__ == "__main__":
    main()
