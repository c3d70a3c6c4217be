"""HAProxy (Debian's package) in front of console processes: cookie stickiness, WebSocket tunnels."""
from __future__ import annotations

import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.console.servers import free_port
from tests.faults.stack import stop
from tests.support import waiting
from tests.support.services import _listening

COOKIE = "SERVERID"
# `option logasap` logs a request when its response headers arrive, so a WebSocket upgrade (101)
# is in the log while its tunnel is still open. Each line: server, status, request, the
# SERVERID cookie the client sent (%CC) and the one HAProxy set (%CS).
CONFIG = """\
global
    log stdout format raw local0
    maxconn 1000

defaults
    mode http
    log global
    option logasap
    option dontlognull
    log-format "%s %ST %HM %HU sent=%CC set=%CS"
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout tunnel 1h

frontend console
    bind 127.0.0.1:{port}
    capture cookie {cookie}= len 32
    default_backend consoles

backend consoles
    balance roundrobin
    cookie {cookie} insert indirect nocache httponly
{servers}
"""


def render(port: int, consoles: dict[str, str]) -> str:
    """The configuration: ``consoles`` maps a server name to its ``host:port``."""
    servers = "\n".join(f"    server {name} {address} cookie {name} check inter 1s"
                        for name, address in consoles.items())
    return CONFIG.format(port=port, cookie=COOKIE, servers=servers)


@contextmanager
def haproxy(folder: Path, consoles: dict[str, str]):
    """HAProxy in the foreground on a free port until the block ends; yields (base URL, log path)."""
    binary = shutil.which("haproxy") or shutil.which("/usr/sbin/haproxy")
    if binary is None:
        pytest.fail("HAProxy is not installed (apt-get install haproxy, or make system)")
    port = free_port()
    config, log = folder / "haproxy.cfg", folder / "haproxy.log"
    config.write_text(render(port, consoles))
    check = subprocess.run([binary, "-c", "-f", str(config)], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stdout + check.stderr
    with open(log, "w") as output:
        proc = subprocess.Popen([binary, "-db", "-f", str(config)], stdout=output, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        waiting.wait_for(lambda: _listening(port) or proc.poll() is not None, "haproxy to listen", 30)
        assert proc.poll() is None, log.read_text()
        yield f"http://127.0.0.1:{port}", log
    finally:
        stop(proc)


def requests_seen(log: Path) -> list[tuple[str, str, str, str]]:
    """(server, status, URI, SERVERID the client sent or "") of each request the proxy passed."""
    found = []
    for line in log.read_text().splitlines():
        words = line.split()
        if len(words) >= 6 and words[4].startswith("sent="):
            sent = words[4].removeprefix("sent=").removeprefix(f"{COOKIE}=")
            found.append((words[0], words[1], words[3], "" if sent == "-" else sent))
    return found
