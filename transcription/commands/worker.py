"""``worker``: transcription workers on the Redis job queue, the model loaded once for all of them."""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from hotline import jobs, logs, settings
from hotline.errors import SettingsError, UsageError
from transcription import engine
from transcription.pool import Options, Pool


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", metavar="PATH",
                        help="Vosk model folder (default: the vosk_model_path setting)")
    parser.add_argument("--whisper-model", metavar="PATH",
                        help="Whisper model folder (default: the whisper_model_path setting)")
    parser.add_argument("--concurrency", type=int, metavar="N", default=os.cpu_count() or 1,
                        help="worker processes (default: the number of cores, %(default)s here)")
    parser.add_argument("--queue", action="append", metavar="NAME",
                        help=f"queue to serve, repeatable (default: {jobs.DEFAULT_QUEUE})")
    parser.add_argument("--burst", action="store_true",
                        help="exit once the queues are empty instead of waiting for jobs")
    parser.add_argument("--heartbeat", type=int, default=10, metavar="SECONDS",
                        help="heartbeat of a running job; a worker silent for 4 beats is "
                             "taken as dead and its job re-run (default: %(default)s)")
    parser.add_argument("--maintenance", type=int, default=60, metavar="SECONDS",
                        help="how often abandoned and scheduled jobs are looked for "
                             "(default: %(default)s)")


def run(args: argparse.Namespace) -> int:
    conf = settings.get()
    logs.setup(conf)
    if args.concurrency < 1:
        raise UsageError(f"--concurrency must be at least 1, got {args.concurrency}")
    if args.heartbeat < 1 or args.maintenance < 1:
        raise UsageError("--heartbeat and --maintenance must be at least 1 second")
    if conf.embedded:
        raise SettingsError("redis_url: the worker command serves the Redis job queue; without "
                            "Redis, jobs run in a thread of the process that queues them")
    conf = conf.replace(vosk_model_path=Path(args.model) if args.model else conf.vosk_model_path,
                        whisper_model_path=Path(args.whisper_model) if args.whisper_model
                        else conf.whisper_model_path,
                        # Whisper workers share the cores instead of each taking all of them.
                        whisper_cpu_threads=conf.whisper_cpu_threads
                        or max(1, (os.cpu_count() or 1) // args.concurrency))
    # Jobs look their engine up through settings: make them find the models named here.
    settings.install(conf)
    uses = {language: conf.transcription_engine_for(language) for language in conf.languages}
    described, after_fork = [], []
    for kind in sorted(set(uses.values())):
        folder = engine.check(kind)  # a wrong folder stops start-up here, not in every worker
        if kind == "vosk":
            model = engine.get(folder, kind)
            described.append(f"{model.name} ({model.sample_rate} Hz) loaded")
        else:
            after_fork.append(kind)
            described.append(f"whisper/{folder.name} loaded in each worker")
        languages = ", ".join(language for language, used in uses.items() if used == kind)
        described[-1] = f"{languages}: {described[-1]}"
    options = Options(queues=args.queue or [jobs.DEFAULT_QUEUE], concurrency=args.concurrency,
                      burst=args.burst, heartbeat=args.heartbeat, maintenance=args.maintenance)
    print(f"transcription: {'; '.join(described)}; "
          f"{options.concurrency} workers on {', '.join(options.queues)}", flush=True)
    return Pool(conf.redis_url, options, tuple(after_fork)).run()
