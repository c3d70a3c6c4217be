"""pyst2's ``asterisk.manager.Manager`` with its Python 3 faults fixed, in one thin subclass.

pyst2's parser calls ``dict.has_key`` (its reader thread dies on the first ``ChanVariable`` line),
it reads an unbuffered socket a byte at a time, prints to stdout, calls deprecated threading methods, has no timeouts (a silent
Asterisk hangs ``connect``, ``login`` and ``close`` forever) and logs off from ``__del__``.
:class:`Manager` keeps pyst2's actions and threads and fixes those.
"""
from __future__ import annotations

import socket
import threading
import warnings

from asterisk import manager as pyst2

BANNER = "Asterisk Call Manager"
ManagerException, ManagerAuthException = pyst2.ManagerException, pyst2.ManagerAuthException


class Message(pyst2.ManagerMsg):
    """One AMI message; ``ChanVariable``-style headers (``name=value``, repeated) become a dict each."""

    def parse(self, response):
        for n, line in enumerate(response):
            key, colon, value = line.partition(":")
            if not colon or not line.endswith("\r\n"):
                self.data = "".join(response[n:])  # command output, not headers
                return
            key, value = key.strip(), value.strip()
            if key.endswith("ChanVariable"):  # ChanVariable, DestChanVariable...: one per party
                name, _, variable = value.partition("=")
                self.headers.setdefault(key, {})[name.strip()] = variable.strip()
            else:
                self.headers[key] = value


class _Flag(threading.Event):
    """A threading.Event whose isSet() (deprecated, and pyst2 calls it on every line) does not warn."""

    isSet = threading.Event.is_set


class Manager(pyst2.Manager):
    """pyst2's Manager with a buffered socket, a Python 3 parser, timeouts and a close that returns."""

    def __init__(self, timeout: float = 10.0, on_gone=None):
        with warnings.catch_warnings():  # its constructor calls the deprecated Thread.setDaemon
            warnings.simplefilter("ignore", DeprecationWarning)
            super().__init__()
        self._connected, self._running = _Flag(), _Flag()
        self.timeout, self._on_gone, self._raw = timeout, on_gone, None

    def __del__(self):  # pyst2 logs off here, blocking whichever thread collects the object
        pass

    def connect(self, host: str, port: int = 5038):
        """Connect and read the banner; ManagerSocketException when nothing AMI answers."""
        try:
            raw = socket.create_connection((host, int(port)), timeout=self.timeout)
        except OSError as exc:
            raise pyst2.ManagerSocketException(exc.errno, exc.strerror or str(exc)) from None
        raw.settimeout(None)
        self._raw, self._sock = raw, raw.makefile("rwb")
        self._connected.set()
        self._running.set()
        self.message_thread.start()
        self.event_dispatch_thread.start()
        watchdog = self._watchdog()
        greeting = self._response_queue.get()
        watchdog.cancel()
        if greeting is None or not (self.title or "").startswith(BANNER):
            self.close()
            raise pyst2.ManagerSocketException(0, f"no AMI banner from {host}:{port}")
        return greeting

    def send_action(self, cdict=None, **kwargs):
        """pyst2's send_action; a silent Asterisk drops the connection instead of hanging."""
        watchdog = self._watchdog()
        try:
            return super().send_action(dict(cdict or {}), **kwargs)
        finally:
            watchdog.cancel()

    def message_loop(self):
        """pyst2's message loop, with :class:`Message` as the parser."""
        receiver = threading.Thread(target=self._receive_data, name="ami-receive", daemon=True)
        receiver.start()
        try:
            while self._running.is_set():
                lines = self._message_queue.get()
                if not lines:  # the connection ended: wake everyone waiting
                    self._event_queue.put(None)
                    for _waiter in list(self._reswaiting):
                        self._response_queue.put(None)
                    break
                message = Message(lines)
                if message.has_header("Event"):
                    self._event_queue.put(pyst2.Event(message))
                else:
                    self._response_queue.put(message)
        finally:
            receiver.join()

    def event_dispatch(self):
        try:
            super().event_dispatch()
        finally:
            if self._on_gone is not None:
                self._on_gone()

    def abort(self) -> None:
        """End the connection now (the reader sees end of file and every thread winds down)."""
        if self._raw is not None:
            try:
                self._raw.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self):
        """Log off if still connected, then stop the threads; returns within the timeout."""
        if self._running.is_set() and self._connected.is_set():
            try:
                self.logoff()
            except pyst2.ManagerException:
                pass
        self.abort()
        if self._running.is_set():
            self._message_queue.put(None)
            for thread in (self.message_thread, self.event_dispatch_thread):
                if thread.is_alive() and thread is not threading.current_thread():
                    thread.join(self.timeout)
        self._running.clear()
        if self._raw is not None:
            self._raw.close()

    def _watchdog(self) -> threading.Timer:
        def give_up():
            self.abort()
            self._response_queue.put(None)

        timer = threading.Timer(self.timeout, give_up)
        timer.daemon = True
        timer.start()
        return timer
