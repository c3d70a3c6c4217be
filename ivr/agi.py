"""pyst2's ``asterisk.agi.AGI`` with its Python 3 faults fixed, in one thin subclass.

pyst2 writes ``str`` (fails on sockets), installs a SIGHUP handler in its constructor (fails
outside the main thread), does not escape quotes, turns RECORD FILE's timeout into ``'\\x00'``,
prints debug text on stderr for every command, cannot parse the FastAGI ``HANGUP`` line and
treats ``511`` as an unknown error. :class:`Channel` keeps pyst2's command methods and fixes
those; every way a caller can leave raises :class:`~ivr.errors.CallerHungUp`.
"""
from __future__ import annotations

import re
import signal
import threading
from collections import namedtuple

from asterisk import agi as pyst2

from ivr.errors import CallerHungUp, PromptMissing, ProtocolError

_REPLY = re.compile(r"^(\d{3})([ -])(.*)$")
_FIELD = re.compile(r"(\w+)=(\S*)(?: \(([^)]*)\))?")
DEAD_CHANNEL = 511
MAX_LINE = 65536  # no AGI line comes near this; a longer one is garbage, not worth the memory
STEP_VARIABLE = "SHAKWA_STEP"  # the channel variable naming the IVR step a call is in


class _Discard:
    """Where pyst2's debug chatter goes: Asterisk logs a script's stderr as errors."""

    def write(self, _text: str) -> None:
        pass

    def flush(self) -> None:
        pass


# How a RECORD FILE ended (``dtmf`` or ``timeout``: max time or silence), the key, the samples.
# A namedtuple, not a dataclass: `agi` must start fast (bench/agi_start.py).
Recorded = namedtuple("Recorded", "ended digit samples")
# Keys a caller typed into GET DATA, and whether it ended by its timeout (not by '#' or max digits).
Typed = namedtuple("Typed", "digits timed_out")


def _number(text: str, field: str) -> int:
    """A numeric reply field; anything else is a protocol error, not a crash."""
    try:
        return int(text)
    except ValueError:
        raise ProtocolError(f"{field}={text!r} is not a number") from None


class Channel(pyst2.AGI):
    """One AGI session on a pair of binary streams (a pipe pair or a socket's files)."""

    def __init__(self, reader, writer, *, handle_sighup: bool = False):
        # pyst2's constructor is skipped on purpose: it installs a signal handler and logs to stderr.
        self.stdin, self.stdout, self.stderr = reader, writer, _Discard()
        self._got_sighup = False
        self.hangup_line = False  # FastAGI said HANGUP (the reply that follows is still read)
        if handle_sighup and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGHUP, self._handle_sighup)
        self.env: dict[str, str] = {}
        self._pending: str | None = None  # a command sent whose reply is not read yet
        self._early: dict | None = None  # that reply, once a later command had to read it
        self.step = ""  # the IVR step last written to SHAKWA_STEP
        self.on_sent = None  # called once a command is sent, while Asterisk runs it
        self._get_agi_env()

    # --- transport ------------------------------------------------------------------------

    def _readline(self) -> str:
        try:
            raw = self.stdin.readline(MAX_LINE)
        except (OSError, ValueError) as exc:
            raise CallerHungUp(f"connection lost: {exc}") from None
        if not raw:
            raise CallerHungUp("end of input from Asterisk")
        if not raw.endswith(b"\n"):
            if len(raw) >= MAX_LINE:
                raise ProtocolError(f"line longer than {MAX_LINE} bytes from Asterisk")
            # Asterisk ends every line; input that stops mid-line is a dropped connection.
            raise CallerHungUp("connection lost in the middle of a line")
        return raw.decode("utf-8", "replace").rstrip("\r\n")

    def _get_agi_env(self) -> None:
        while True:
            line = self._readline()
            if line == "":
                return
            if line == "HANGUP":
                self.hangup_line = True
                continue
            key, _, value = line.partition(":")
            self.env[key.strip()] = value[1:] if value.startswith(" ") else value

    def send_command(self, command: str, *args) -> None:
        """Write one command line as bytes; a closed pipe or socket is a hang-up."""
        text = " ".join([command.strip(), *map(str, args)]).strip()
        try:
            self.stdout.write(text.encode("utf-8") + b"\n")
            self.stdout.flush()
        except (BrokenPipeError, ConnectionError, ValueError, OSError) as exc:
            raise CallerHungUp(f"cannot write to Asterisk: {exc}") from None

    def test_hangup(self) -> None:
        if self._got_sighup:
            raise CallerHungUp("SIGHUP from Asterisk")

    def execute(self, command: str, *args) -> dict:
        self.test_hangup()
        if self._pending is not None:  # Asterisk answers in order: the earlier reply comes first
            self._read_pending()
        self.send_command(command, *args)
        if self.on_sent is not None:
            self.on_sent()  # the database's turn, while Asterisk plays
        return self.get_result(command=command)

    def set_step(self, step: str) -> None:
        """Tell Asterisk the IVR step the call is in (SHAKWA_STEP: the dialplan and the h
        extension read it); a step already set is not sent again."""
        if step != self.step:
            self.set_variable(STEP_VARIABLE, step)
            self.step = step

    def begin(self, command: str, *args) -> None:
        """Send a command and read its reply later (:meth:`finish`): the welcome plays while the
        IVR loads. Asterisk runs one command at a time, so a command sent meanwhile waits behind it."""
        self.test_hangup()
        self.send_command(command, *args)
        self._pending = command

    def begin_stream(self, filename: str, escape_digits: str) -> None:
        """:meth:`begin` a STREAM FILE that ``escape_digits`` stop."""
        self.begin("STREAM FILE", filename, self._quote(escape_digits), 0)

    def finish(self) -> dict | None:
        """The reply to the command :meth:`begin` sent (None when nothing was begun)."""
        if self._pending is not None:
            self._read_pending()
        early, self._early = self._early, None
        return early

    def _read_pending(self) -> None:
        command, self._pending = self._pending, None
        try:
            self._early = self.get_result(command=command)
        except PromptMissing:  # a missing welcome is not worth losing the call over
            self._early = {"result": ("0", "")}

    def get_result(self, stdin=None, command: str = "") -> dict:  # noqa: ARG002 - pyst2 signature
        """Read one reply; raise CallerHungUp for every form of hang-up."""
        line = self._readline()
        while line == "HANGUP":
            self.hangup_line = True
            line = self._readline()
        match = _REPLY.match(line)
        if not match:
            raise ProtocolError(f"not an AGI reply: {line!r}")
        code, more, text = int(match.group(1)), match.group(2), match.group(3)
        if code == 200:
            result = {"result": ("", "")}
            for key, value, data in _FIELD.findall(text):
                result[key] = (value, data)
            value, data = result["result"]
            if data == "hangup":
                raise CallerHungUp("hang-up during " + command)
            if value == "-1" and not command.upper().startswith("EXEC"):
                self._check_minus_one(command, result)
            return result
        if code == DEAD_CHANNEL:
            raise CallerHungUp("dead channel")
        if code == 510:
            raise pyst2.AGIInvalidCommand(text)
        if code == 520:
            usage = [line]
            while more == "-" or not line.startswith("520 "):
                line = self._readline()
                usage.append(line)
                more = ""
            raise pyst2.AGIUsageError("\n".join(usage))
        raise pyst2.AGIUnknownError(code, text)

    def _check_minus_one(self, command: str, result: dict) -> None:
        # STREAM FILE of a missing file also answers -1 (endpos=0) with the caller still there;
        # CHANNEL STATUS tells the two apart (511 on a dead channel).
        if command.upper().startswith("STREAM FILE") and result.get("endpos", ("",))[0] == "0" \
                and not self._got_sighup and not self.hangup_line:
            self.execute("CHANNEL STATUS")
            raise PromptMissing(command)
        raise CallerHungUp(f"result=-1 from {command}")

    # --- pyst2 faults ---------------------------------------------------------------------

    def _quote(self, string) -> str:
        text = str(string).replace("\\", "\\\\").replace('"', '\\"')
        return f'"{text}"'

    def record_file(self, filename, format="wav", escape_digits="#", timeout=pyst2.DEFAULT_RECORD,
                    offset=0, beep="beep", silence=0) -> str:
        """pyst2's signature; returns the escape digit pressed, or '' (never ``'\\x00'``)."""
        return self.record(filename, format, escape_digits, timeout, beep=bool(beep),
                           silence=silence).digit

    def record(self, filename: str, fmt: str = "wav", escape_digits: str = "#",
               timeout_ms: int = 180_000, *, beep: bool = True, silence: int = 0) -> Recorded:
        """RECORD FILE; says how it ended and how many samples were written."""
        args = [self._quote(filename), fmt, self._quote(escape_digits), timeout_ms, 0]
        if beep:
            args.append("BEEP")
        if silence:
            args.append(f"s={silence}")
        reply = self.execute("RECORD FILE", *args)
        value, data = reply["result"]
        if data == "writefile":
            raise OSError(f"Asterisk cannot write {filename}.{fmt}")
        samples = _number(reply.get("endpos", ("0",))[0] or "0", "endpos")
        if data == "dtmf":
            return Recorded("dtmf", self.digit(value), samples)
        return Recorded("timeout", "", samples)

    def digit(self, result: str) -> str:
        """A pyst2 digit result ('0' = none) as the key pressed, or ''."""
        if result in ("", "0"):
            return ""
        code = _number(result, "result")
        if not 0 < code < 0x110000:
            raise ProtocolError(f"not a key code: {result!r}")
        return chr(code)

    def get_data(self, filename, timeout=pyst2.DEFAULT_TIMEOUT, max_digits=255) -> str:
        """The digits typed ('' on timeout), as pyst2 returns them."""
        return self.execute("GET DATA", filename, timeout, max_digits)["result"][0]

    def read_digits(self, timeout_ms: int, max_digits: int, prompt: str = "") -> Typed:
        """GET DATA (no prompt by default): keys until '#', ``max_digits`` or ``timeout_ms`` of
        silence. Only '#' ends it early; '*' is collected like a digit."""
        reply = self.execute("GET DATA", self._quote(prompt), timeout_ms, max_digits)
        value, data = reply["result"]
        return Typed(value, data == "timeout")

    def stream_key(self, filename: str, escape_digits: str) -> str:
        """STREAM FILE that a key in ``escape_digits`` stops: the key, or '' when it played out."""
        return self.digit(self.execute("STREAM FILE", filename, self._quote(escape_digits), 0)["result"][0])

    def say_digits(self, digits, escape_digits="") -> str:
        """Read a number digit by digit; the escape key pressed or ''."""
        reply = self.execute("SAY DIGITS", digits, self._quote(escape_digits))
        return self.digit(reply["result"][0])

    def exec_app(self, application: str, options: str = "") -> str:
        """EXEC an application; its result (Dial/Queue give -1 after the agent hangs up)."""
        return self.execute("EXEC", application, self._quote(options))["result"][0]
