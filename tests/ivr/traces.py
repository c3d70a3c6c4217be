"""Reading the Asterisk captures in shared/asterisk-agi-traces/ and the caller's part of each."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ivr.sim.caller import Agent, HangUp, Press, Silence, Speak, Type

TRACES = Path(__file__).resolve().parents[3] / "shared" / "asterisk-agi-traces"
if not TRACES.is_dir():
    TRACES = Path("/work/shared/asterisk-agi-traces")
_LINE = re.compile(r"^\+\s*[\d.]+ (<<|>>|##) ?(.*)$")
_REPLY = re.compile(r"^200 result=(-?\d*)(?: \((\w+)\))?(?: endpos=(\d+))?")
SIGHUP, EOF = "SIGHUP", "EOF"


def unescape(text: str) -> bytes:
    """A trace's escaped bytes: \\n, \\\\ and \\xNN."""
    out, i = bytearray(), 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt == "n":
                out += b"\n"; i += 2; continue  # noqa: E702
            if nxt == "\\":
                out += b"\\"; i += 2; continue  # noqa: E702
            if nxt == "x":
                out.append(int(text[i + 2:i + 4], 16)); i += 4; continue  # noqa: E702
        out += text[i].encode()
        i += 1
    return bytes(out)


@dataclass
class Exchange:
    """One command, what came back before the next one, and what the script noticed."""

    command: bytes
    received: list = field(default_factory=list)  # bytes lines, SIGHUP, EOF


@dataclass
class Trace:
    name: str
    network: bool
    env_block: bytes
    env: dict[str, str]
    args: list[str]
    before_first: list  # what arrived after the env block, before any command
    exchanges: list[Exchange]

    @property
    def agisighup(self) -> bool:
        return "agisighup-no" not in self.name

    @property
    def exit_on_hangup(self) -> bool:
        return "agiexitonhangup" in self.name


def load(path: Path) -> Trace:
    """Parse one trace file."""
    env_block, env, args, before, exchanges = b"", {}, [], [], []
    in_env = True
    for raw in path.read_text(encoding="utf-8").splitlines():
        match = _LINE.match(raw)
        if not match:
            continue
        way, text = match.groups()
        target = exchanges[-1].received if exchanges else before
        if way == "<<":
            data = unescape(text)
            if in_env:
                env_block += data
                if data == b"\n":
                    in_env = False
                else:
                    key, _, value = data.decode()[:-1].partition(": ")
                    env[key] = value
                    if key.startswith("agi_arg_"):
                        args.append(value)
                continue
            target.append(data)
        elif way == ">>":
            exchanges.append(Exchange(unescape(text)))
        elif text.startswith("signal SIGHUP"):
            target.append(SIGHUP)
        elif text.startswith("EOF from Asterisk"):
            target.append(EOF)
    return Trace(path.name, path.name.startswith("fast-"), env_block, env, args, before, exchanges)


def _words(command: bytes) -> list[str]:
    from ivr.sim.asterisk import split_args

    return split_args(command.decode().rstrip("\n"))


def sounds(trace: Trace) -> dict[str, int | None]:
    """Prompt lengths the trace shows (played to the end) and prompts it shows missing."""
    lengths: dict[str, int | None] = {}
    for n, ex in enumerate(trace.exchanges):
        words, reply = _words(ex.command), _first_reply(ex)
        upper = [w.upper() for w in words]
        if upper[:2] == ["STREAM", "FILE"] and len(words) > 3 and reply:
            match = _REPLY.match(reply)
            if match and match.group(1) == "0":
                lengths[words[2]] = int(match.group(3))
            elif match and match.group(1) == "-1" and match.group(3) == "0" and _alive_after(trace, n):
                lengths[words[2]] = None
        if upper[:2] == ["EXEC", "PLAYBACK"] and n + 1 < len(trace.exchanges):
            status = _first_reply(trace.exchanges[n + 1]) or ""
            if "(FAILED)" in status:
                lengths[words[2]] = None
    return lengths


def _first_reply(ex: Exchange) -> str | None:
    return next((r.decode() for r in ex.received if isinstance(r, bytes) and r != b"HANGUP\n"), None)


def _alive_after(trace: Trace, n: int) -> bool:
    later = [_first_reply(ex) for ex in trace.exchanges[n + 1:]]
    return not any(r and r.startswith("511") for r in later)


def dies_at(trace: Trace) -> int | None:
    """Index of the first command answered 511 (the channel is dead by then)."""
    for n, ex in enumerate(trace.exchanges):
        if (_first_reply(ex) or "").startswith("511"):
            return n
    return None


def caller_actions(trace: Trace) -> list:
    """What the caller did during each command that listens, read back from Asterisk's replies."""
    actions, dead = [], False
    for n, ex in enumerate(trace.exchanges):
        words, reply = _words(ex.command), _first_reply(ex) or ""
        upper = [w.upper() for w in words]
        match = _REPLY.match(reply)
        if dead or not match:
            dead = dead or reply.startswith("511")
            continue
        value, data, endpos = match.group(1), match.group(2), match.group(3)
        result = int(value) if value not in ("", None) else None
        if upper[:2] == ["STREAM", "FILE"]:
            offset = int(words[4]) if len(words) > 4 else 0
            if result == -1 and endpos == "0" and _alive_after(trace, n):
                continue  # missing prompt
            at = (int(endpos) - offset) / 8 if endpos else None
            if result == -1:
                actions.append(HangUp(at_ms=at))
            elif result:
                actions.append(Press(chr(result), at_ms=at))
            elif len(words) > 3 and words[3] and offset < 10 ** 5:
                actions.append(Silence())
        elif upper[:1] == ["SAY"]:
            if result == -1:
                actions.append(HangUp())
            elif result:
                actions.append(Press(chr(result)))
            elif len(words) > 3 and words[3]:
                actions.append(Silence())
        elif upper[:2] == ["GET", "DATA"]:
            maximum = int(words[4]) if len(words) > 4 else 1024
            if result == -1:
                actions.append(HangUp())
            elif data == "timeout":
                actions.append(Type(value))
            else:
                actions.append(Type(value if len(value) >= maximum else value + "#"))
        elif upper[:3] == ["WAIT", "FOR", "DIGIT"]:
            actions.append(HangUp() if result == -1 else Press(chr(result)) if result else Silence())
        elif upper[:2] == ["RECORD", "FILE"] and data != "writefile":
            end = {"dtmf": "dtmf", "hangup": "hangup"}.get(data, "timeout")
            actions.append(Speak(samples=int(endpos), end=end, leftover_ms=result if end == "timeout" else None))
        elif upper[:1] == ["EXEC"] and len(upper) > 1 and upper[1] in ("DIAL", "QUEUE"):
            status = _first_reply(trace.exchanges[n + 1]) if n + 1 < len(trace.exchanges) else ""
            if result == -1 and (SIGHUP in ex.received or b"HANGUP\n" in ex.received or not _alive_after(trace, n)):
                actions.append(HangUp())
            elif result == -1 or "ANSWER" in (status or "") or "CONTINUE" in (status or ""):
                actions.append(Agent(answered=True))
            else:
                found = re.search(r"\((\w+)\)", status or "")
                actions.append(Agent(answered=False, status=found.group(1) if found else None))
        if result == -1 or data == "hangup":
            dead = dead or not (upper[:2] == ["STREAM", "FILE"] and endpos == "0") and not (
                upper[:1] == ["EXEC"] and _alive_after(trace, n))
    return actions


def traces() -> list[Path]:
    """Every capture file."""
    return sorted(TRACES.glob("*.txt"))
