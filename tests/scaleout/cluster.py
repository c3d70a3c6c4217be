"""Two of each process on one PostgreSQL and one Redis, as real processes, behind HAProxy."""
from __future__ import annotations

import subprocess
import sys
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import redis
from rq import Worker

from tests.conftest import ROOT
from tests.console.servers import console_process, free_port
from tests.faults.stack import start_worker, stop, wait_for, worker_environ
from tests.ivr.conftest import SUNDAY_10AM
from tests.scaleout.proxy import haproxy
from tests.support.services import _listening


@dataclass
class Cluster:
    """Where everything listens, and the worker processes (to tell their jobs apart)."""

    proxy: str  # the consoles' one address, through HAProxy
    proxy_log: Path
    consoles: dict[str, str]  # HAProxy server name -> direct address
    fastagi_ports: list[int]
    workers: list[subprocess.Popen] = field(default_factory=list)


@contextmanager
def fastagi_process(conf, port: int):
    """``run_ivr.py fastagi --port PORT`` (in office hours) until the block ends."""
    log = conf.var_dir / f"fastagi-{port}.log"
    with open(log, "w") as output:
        proc = subprocess.Popen([sys.executable, str(ROOT / "run_ivr.py"), "fastagi", "--port", str(port),
                                 "--at", SUNDAY_10AM.isoformat()], env=worker_environ(conf),
                                cwd=conf.var_dir.parent, stdout=output, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        wait_for(lambda: _listening(port) or proc.poll() is not None, f"fastagi on port {port}", 60)
        assert proc.poll() is None, log.read_text()[-2000:]
        yield port
    finally:
        stop(proc)


@contextmanager
def cluster(conf, folder: Path):
    """2 transcription workers, 2 FastAGI servers, 2 consoles and HAProxy, all up and registered."""
    with ExitStack() as stack:
        # The workers load the Vosk model first: the slowest to start, so they start first.
        workers = []
        for _ in range(2):
            worker = start_worker(conf)
            stack.callback(stop, worker)
            workers.append(worker)
        ports = [stack.enter_context(fastagi_process(conf, free_port())) for _ in range(2)]
        consoles = {f"console{n}": stack.enter_context(console_process(conf, free_port()))
                    .removeprefix("http://") for n in (1, 2)}
        proxy, proxy_log = stack.enter_context(haproxy(folder, consoles))
        connection = redis.Redis.from_url(conf.redis_url)
        stack.callback(connection.close)
        wait_for(lambda: all(w.poll() is not None for w in workers)
                 or len(Worker.all(connection=connection)) == 2, "both transcription workers registered")
        for worker in workers:
            assert worker.poll() is None, worker.log.read_text()[-2000:]
        yield Cluster(proxy, proxy_log, consoles, ports, workers)


def jobs_done_by(connection: redis.Redis, workers: list[subprocess.Popen]) -> list[int]:
    """Jobs each ``run_ivr.py worker`` process finished (its pool's RQ workers, by parent pid)."""
    pids = [w.pid for w in workers]
    done = [0] * len(workers)
    for rq_worker in Worker.all(connection=connection):
        try:
            parent = int(Path(f"/proc/{rq_worker.pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
        if parent in pids:
            done[pids.index(parent)] += rq_worker.successful_job_count
    return done
