"""A fake Asterisk Manager Interface on loopback, for the AMI bridge's tests and the demo.

It speaks AMI as Asterisk 22 does: the ``Asterisk Call Manager/<version>`` banner, ``Key: Value``
lines ended by CRLF and messages ended by a blank line; Login (``Authentication accepted`` then
``FullyBooted``, or ``Authentication failed`` and the connection closed), Ping, Logoff
(``Goodbye``, then closed); events only to logged-in sessions. :func:`agent_connect` and its
siblings build the queue and channel events with the fields Asterisk's documentation lists.
"""
from __future__ import annotations

import socket
import threading
import time

BANNER = "Asterisk Call Manager/{version}\r\n"
CHANNEL_FIELDS = ("Channel", "ChannelState", "ChannelStateDesc", "CallerIDNum", "CallerIDName",
                  "ConnectedLineNum", "ConnectedLineName", "Language", "AccountCode", "Context",
                  "Exten", "Priority", "Uniqueid", "Linkedid")


class FakeAMI:
    """An AMI server on 127.0.0.1 with one user; ``emit()`` sends an event to every logged-in client."""

    def __init__(self, username: str = "shakwa", secret: str = "secret", *, port: int = 0,
                 version: str = "11.0.0"):
        self.username, self.secret, self.version = username, secret, version
        self.actions: list[dict[str, str]] = []  # every action received, in order
        self.logins: list[bool] = []  # one entry per Login: accepted or not
        self._sessions: list[socket.socket] = []
        self._lock = threading.Condition()
        self._listener: socket.socket | None = None
        self.port = port
        self.listen()

    # --- server life ----------------------------------------------------------------------------

    def listen(self) -> None:
        """Accept connections (again, on the same port after ``restart``)."""
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, args=(self._listener,), name="fake-ami", daemon=True).start()

    def restart(self, down_for: float = 0.5) -> None:
        """Act as Asterisk restarting: drop every client, refuse connections a while, listen again."""
        self.close()
        time.sleep(down_for)
        self.listen()

    def close(self) -> None:
        """Stop listening and drop every client."""
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for sock in sessions:
            _shut(sock)

    def wait_logged_in(self, count: int = 1, timeout: float = 10) -> bool:
        """Wait until ``count`` logins have been accepted in all (and a client is logged in now)."""
        with self._lock:
            return self._lock.wait_for(
                lambda: self.logins.count(True) >= count and bool(self._sessions), timeout)

    def wait_action(self, name: str, timeout: float = 10) -> bool:
        """Wait until a client has sent the action ``name`` (Logoff, Ping...)."""
        with self._lock:
            return self._lock.wait_for(
                lambda: any(a.get("action", "").lower() == name.lower() for a in self.actions), timeout)

    def emit(self, fields: list[tuple[str, str]]) -> None:
        """Send one event (``[("Event", "Hangup"), ...]``) to every logged-in client."""
        data = _message(fields)
        with self._lock:
            sessions = list(self._sessions)
        for sock in sessions:
            try:
                sock.sendall(data)
            except OSError:
                pass

    # --- one client -----------------------------------------------------------------------------

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                sock, _ = listener.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._session, args=(sock,), name="fake-ami-client", daemon=True).start()

    def _session(self, sock: socket.socket) -> None:
        reader = sock.makefile("rb")
        try:
            sock.sendall(BANNER.format(version=self.version).encode())
            while True:
                action = _read_message(reader)
                if action is None or not self._answer(sock, action):
                    break
        except OSError:
            pass
        finally:
            with self._lock:
                if sock in self._sessions:
                    self._sessions.remove(sock)
                self._lock.notify_all()
            reader.close()
            _shut(sock)

    def _answer(self, sock: socket.socket, action: dict[str, str]) -> bool:
        """Reply to one action; False when Asterisk would close the connection."""
        with self._lock:
            self.actions.append(action)
            self._lock.notify_all()
            logged_in = sock in self._sessions
        name = action.get("action", "").lower()
        reply = [("ActionID", action["actionid"])] if "actionid" in action else []
        if name == "login":
            ok = action.get("username") == self.username and action.get("secret") == self.secret
            if not ok:
                sock.sendall(_message([("Response", "Error"), *reply, ("Message", "Authentication failed")]))
            else:
                sock.sendall(_message([("Response", "Success"), *reply, ("Message", "Authentication accepted")])
                             + _message([("Event", "FullyBooted"), ("Privilege", "system,all"),
                                         ("Uptime", "12"), ("LastReload", "12"), ("Status", "Fully Booted")]))
            with self._lock:
                self.logins.append(ok)
                if ok:
                    self._sessions.append(sock)
                self._lock.notify_all()
            return ok
        if not logged_in:
            sock.sendall(_message([("Response", "Error"), *reply, ("Message", "Permission denied")]))
        elif name == "logoff":
            sock.sendall(_message([("Response", "Goodbye"), *reply, ("Message", "Thanks for all the fish.")]))
            return False
        elif name == "ping":
            sock.sendall(_message([("Response", "Success"), *reply, ("Ping", "Pong"),
                                   ("Timestamp", f"{time.time():.6f}")]))
        else:
            sock.sendall(_message([("Response", "Error"), *reply, ("Message", "Invalid/unknown command")]))
        return True


def _read_message(reader) -> dict[str, str] | None:
    """One action: header names lower-cased (Asterisk matches them case-insensitively)."""
    headers: dict[str, str] = {}
    while True:
        line = reader.readline()
        if not line:
            return None
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        if not text:
            if headers:
                return headers
            continue
        key, _, value = text.partition(":")
        headers[key.strip().lower()] = value.strip()


def _message(fields: list[tuple[str, str]]) -> bytes:
    return "".join(f"{key}: {value}\r\n" for key, value in fields).encode() + b"\r\n"


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


# --- events, with the fields of Asterisk's AMI event documentation ---------------------------------

def channel(name: str, uniqueid: str, *, linkedid: str | None = None, prefix: str = "",
            caller: str = "01001234567", context: str = "hotline", exten: str = "16528") -> list[tuple[str, str]]:
    """The channel snapshot fields every channel event carries (``Dest`` prefix for the second party)."""
    values = (name, "6", "Up", caller, "<unknown>", "<unknown>", "<unknown>", "ar", "", context, exten,
              "1", uniqueid, linkedid or uniqueid)
    return [(prefix + key, value) for key, value in zip(CHANNEL_FIELDS, values)]


def queue_caller_join(uniqueid: str, queue: str = "hotline", position: int = 1, count: int = 1,
                      chan: str = "PJSIP/trunk-00000001", linkedid: str | None = None) -> list[tuple[str, str]]:
    """QueueCallerJoin: a caller entered the queue (class AGENT)."""
    return [("Event", "QueueCallerJoin"), ("Privilege", "agent,all"),
            *channel(chan, uniqueid, linkedid=linkedid),
            ("Queue", queue), ("Position", str(position)), ("Count", str(count))]


def agent_connect(uniqueid: str, interface: str, *, queue: str = "hotline", hold_time: int = 12,
                  ring_time: int = 3, chan: str = "PJSIP/trunk-00000001", linkedid: str | None = None,
                  dest_uniqueid: str = "1733400000.2", member_name: str = "Agent 1001") -> list[tuple[str, str]]:
    """AgentConnect: a queue member answered and is bridged to the caller (class AGENT)."""
    dest = interface.replace("/n", "").split("@")[0] + "-00000002"
    return [("Event", "AgentConnect"), ("Privilege", "agent,all"),
            *channel(chan, uniqueid, linkedid=linkedid),
            *channel(dest, dest_uniqueid, linkedid=linkedid or uniqueid, prefix="Dest", context="agents"),
            ("Queue", queue), ("MemberName", member_name), ("Interface", interface),
            ("RingTime", str(ring_time)), ("HoldTime", str(hold_time))]


def queue_caller_abandon(uniqueid: str, *, queue: str = "hotline", position: int = 1, hold_time: int = 40,
                         chan: str = "PJSIP/trunk-00000001", linkedid: str | None = None) -> list[tuple[str, str]]:
    """QueueCallerAbandon: the caller hung up while waiting (class AGENT)."""
    return [("Event", "QueueCallerAbandon"), ("Privilege", "agent,all"),
            *channel(chan, uniqueid, linkedid=linkedid),
            ("Queue", queue), ("Position", str(position)), ("OriginalPosition", str(position)),
            ("HoldTime", str(hold_time))]


def hangup(uniqueid: str, *, chan: str = "PJSIP/trunk-00000001", linkedid: str | None = None,
           cause: int = 16, cause_txt: str = "Normal Clearing") -> list[tuple[str, str]]:
    """Hangup: a channel is gone (class CALL)."""
    return [("Event", "Hangup"), ("Privilege", "call,all"), *channel(chan, uniqueid, linkedid=linkedid),
            ("Cause", str(cause)), ("Cause-txt", cause_txt)]
