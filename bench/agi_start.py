"""Time from process start to the first AGI command: `run_ivr.py agi` vs a bare pyst2 script.

Prints the median of N starts for each and the ratio (target <= 1.3). Run: python bench/agi_start.py [N]
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


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    var = tempfile.mkdtemp()
    env = {**os.environ, "HOTLINE_VAR_DIR": var, "PYTHONPATH": str(ROOT)}
    bare = Path(var) / "bare.py"
    bare.write_text(BARE)
    ours = [first_command([sys.executable, str(ROOT / "run_ivr.py"), "agi"], env) for _ in range(n)]
    theirs = [first_command([sys.executable, str(bare)], env) for _ in range(n)]
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"run_ivr.py agi: median {a * 1000:.1f} ms to ANSWER ({n} starts)")
    print(f"bare pyst2:     median {b * 1000:.1f} ms to ANSWER ({n} starts)")
    print(f"ratio: {a / b:.2f} (target <= 1.3)")


if __name__ == "__main__":
    main()
