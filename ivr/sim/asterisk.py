"""A fake Asterisk 22.10 channel: the env block, every reply and the hang-up signalling.

It is a state machine with no I/O: :meth:`FakeAsterisk.handle` takes one command line and
returns what Asterisk would send back, in order — reply lines (bytes), ``SIGHUP`` (classic AGI:
signal the script) and ``EOF`` (close the script's input). ``ivr.testing`` runs it over a pipe,
a socket pair or TCP. Facts in shared/asterisk-agi-traces/README.md are cited as (fact N).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from ivr.sim import audio
from ivr.sim.caller import Agent, Caller, HangUp, Press, Silence, Speak, Type
from ivr.sim.usage import GENERIC, USAGE

SIGHUP, EOF = "SIGHUP", "EOF"
DEAD = b"511 Command Not Permitted on a dead channel or intercept routine\n"
INVALID = b"510 Invalid or unknown command\n"
from ivr.agi import STEP_VARIABLE  # noqa: E402 - the variable the IVR sets per step
CHANNEL_COMMANDS = {"STREAM FILE", "GET DATA", "RECORD FILE", "WAIT FOR DIGIT", "ANSWER",
                    "CHANNEL STATUS", "HANGUP", "SAY DIGITS", "SAY NUMBER", "CONTROL STREAM FILE",
                    "GET OPTION", "SAY ALPHA"}
OTHER_COMMANDS = {"SET CONTEXT", "SET EXTENSION", "SET PRIORITY", "SET AUTOHANGUP", "SET MUSIC",
                  "SET CALLERID", "DATABASE GET", "DATABASE PUT", "DATABASE DEL", "SEND TEXT",
                  "GOSUB", "ASYNCAGI BREAK", "SPEECH CREATE", "TDD MODE", "RECEIVE CHAR"}
APPS = {"playback", "wait", "set", "goto", "noop", "answer", "dial", "queue", "hangup", "background"}
ENV_ORDER = ("agi_request", "agi_channel", "agi_language", "agi_type", "agi_uniqueid", "agi_version",
             "agi_callerid", "agi_calleridname", "agi_callingpres", "agi_callingani2",
             "agi_callington", "agi_callingtns", "agi_dnid", "agi_rdnis", "agi_context",
             "agi_extension", "agi_priority", "agi_enhanced", "agi_accountcode", "agi_threadid")


def split_args(line: str) -> list[str]:
    """Split an AGI command line as Asterisk does: spaces, double quotes, backslash (fact 4)."""
    args, current, quoted, escaped, started = [], [], False, False, False
    for char in line:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = started = True
        elif char == '"':
            quoted, started = not quoted, True
        elif char in " \t" and not quoted:
            if started:
                args.append("".join(current))
            current, started = [], False
        else:
            current.append(char)
            started = True
    if started:
        args.append("".join(current))
    return args


class FakeAsterisk:
    """One AGI session on one channel, classic (``network=False``) or FastAGI."""

    def __init__(self, caller: Caller | None = None, *, network: bool = False,
                 env: dict[str, str] | None = None, args: list[str] | None = None,
                 sounds: audio.SoundLibrary | None = None, data_dir: Path | None = None,
                 agisighup: bool = True, exit_on_hangup: bool = False,
                 hangup_at: str | None = None, answered: bool = False):
        self.caller = caller or Caller()
        self.network, self.agisighup, self.exit_on_hangup = network, agisighup, exit_on_hangup
        self.data_dir = data_dir or Path("/var/lib/asterisk")
        self.sounds = sounds or audio.SoundLibrary(data_dir=self.data_dir, assume=16000)
        self.env = self._env(env or {}, args if args is not None else [])
        self.variables: dict[str, str] = {}
        self.answered, self.alive, self.closed = answered, True, False
        self.hangup_at, self.step = hangup_at, None
        self.pending = ""  # keys of a burst still arriving after the command that read its start
        # What happened, for tests and simulate-call.
        self.prompts: list[str] = []
        self.said_digits: list[str] = []
        self.steps: list[str] = []
        self.recordings: list[Path] = []
        self.apps: list[tuple[str, str]] = []
        self.commands: list[str] = []
        self.hung_up_during: str | None = None

    # --- session ----------------------------------------------------------------------------

    def _env(self, given: dict[str, str], args: list[str]) -> dict[str, str]:
        number, name = self.caller.number or "unknown", self.caller.name or "unknown"
        env = {"agi_request": "/usr/local/bin/run_ivr.py", "agi_channel": "PJSIP/trunk-00000001",
               "agi_language": "ar", "agi_type": "PJSIP", "agi_uniqueid": "1795879000.1",
               "agi_version": "22.10.1", "agi_callerid": number, "agi_calleridname": name,
               "agi_callingpres": "0", "agi_callingani2": "0", "agi_callington": "0",
               "agi_callingtns": "0", "agi_dnid": "16528", "agi_rdnis": "unknown",
               "agi_context": "hotline", "agi_extension": "16528", "agi_priority": "1",
               "agi_enhanced": "0.0", "agi_accountcode": "", "agi_threadid": "140430995515072"}
        env.update(given)
        ordered = {}
        if self.network:
            ordered["agi_network"] = "yes"
            ordered["agi_network_script"] = given.get("agi_network_script", "hotline")
        ordered.update({key: env[key] for key in ENV_ORDER})
        ordered.update({f"agi_arg_{n}": value for n, value in enumerate(args, start=1)})
        return ordered

    def env_block(self) -> bytes:
        """The ``key: value`` lines and the empty line Asterisk sends first (facts 1-2)."""
        return b"".join(f"{k}: {v}\n".encode() for k, v in self.env.items()) + b"\n"

    def hang_up(self) -> list:
        """The caller hangs up while no command runs (facts 18-19)."""
        if not self.alive:
            return []
        self.alive = False
        self.hung_up_during = self.hung_up_during or f"idle:{self.step}"
        out = []
        if self.agisighup:
            out.append(SIGHUP if not self.network else b"HANGUP\n")
        return out + self._exit_outputs()

    def close(self) -> list:
        """The script ended (or the server half-closed): FastAGI says HANGUP once more (fact 19)."""
        if self.closed:
            return []
        self.closed = True
        return [b"HANGUP\n", EOF] if self.network and self.agisighup else [EOF]

    def _exit_outputs(self) -> list:
        if not self.exit_on_hangup:
            return []
        self.closed = True
        return [b"HANGUP\n", b"HANGUP\n", EOF] if self.network else [EOF]

    def _hangup_reply(self, reply: str, during: str) -> list:
        self.alive = False
        self.hung_up_during = during
        line = reply.encode() + b"\n"
        if self.network:
            out = [line] + ([b"HANGUP\n"] if self.agisighup else [])
            if self.exit_on_hangup:
                self.closed = True
                out += [b"HANGUP\n", EOF]
            return out
        out = ([SIGHUP] if self.agisighup else []) + [line]
        if self.exit_on_hangup:
            self.closed = True
            out.append(EOF)
        return out

    # --- dispatch ---------------------------------------------------------------------------

    def handle(self, raw: bytes) -> list:
        """Asterisk's answer to one command line."""
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        self.commands.append(line)
        words = split_args(line)
        name, args = self._match(words)
        if name is None:
            return [INVALID]
        if not self.alive and name in CHANNEL_COMMANDS:
            return [DEAD]
        handler = getattr(self, "_" + name.lower().replace(" ", "_"), None)
        if handler is None:
            return [b"200 result=0\n"]
        result = handler(args)
        return [result] if isinstance(result, (bytes, str)) else result

    def _match(self, words: list[str]) -> tuple[str | None, list[str]]:
        upper = [w.upper() for w in words]
        known = CHANNEL_COMMANDS | OTHER_COMMANDS | {"VERBOSE", "NOOP", "SET VARIABLE", "GET VARIABLE",
                                                     "GET FULL VARIABLE", "EXEC"}
        for size in (3, 2, 1):
            name = " ".join(upper[:size])
            if len(upper) >= size and name in known:
                return name, words[size:]
        return None, []

    def _usage(self, name: str) -> list:
        lines = USAGE.get(name, GENERIC)
        return [b"520-Invalid command syntax.  Proper usage follows:\n",
                *(text.encode() + b"\n" for text in lines), b"520 End of proper usage.\n"]

    # --- commands that do not wait ----------------------------------------------------------

    def _answer(self, args):
        self.answered = True
        return b"200 result=0\n"

    def _verbose(self, args):
        return b"200 result=1\n"

    def _noop(self, args):
        return b"200 result=0\n"

    def _channel_status(self, args):
        return b"200 result=6\n" if self.answered else b"200 result=4\n"

    def _set_variable(self, args):
        if len(args) != 2:
            return self._usage("SET VARIABLE")
        out = []
        if args[0] == STEP_VARIABLE:
            if self.alive and self.hangup_at and self.step == self.hangup_at:
                out = self.hang_up()  # the step ended without waiting on the caller
            self.step = args[1]
            self.steps.append(args[1])
        self.variables[args[0]] = args[1]
        return out + [b"200 result=1\n"]

    def _lookup(self, name: str) -> str | None:
        builtins = {"CALLERID(num)": self.caller.number, "CALLERID(name)": self.caller.name,
                    "CHANNEL": self.env["agi_channel"], "UNIQUEID": self.env["agi_uniqueid"]}
        return self.variables.get(name, builtins.get(name))

    def _get_variable(self, args):
        if len(args) != 1:
            return self._usage("GET VARIABLE")
        value = self._lookup(args[0])
        return b"200 result=0\n" if value is None else f"200 result=1 ({value})\n".encode()

    def _get_full_variable(self, args):
        if not args:
            return self._usage("GET FULL VARIABLE")
        text = re.sub(r"\$\{([^}]*)\}", lambda m: self._lookup(m.group(1)) or "", args[0])
        return f"200 result=1 ({text})\n".encode()

    def _hangup(self, args):
        self.hung_up_during = "HANGUP command"
        return self._hangup_reply("200 result=1", "HANGUP command")

    # --- commands that wait on the caller ---------------------------------------------------

    def _next(self, listens: bool, command: str = ""):
        """The caller's action for a command; a hang-up scheduled for this step, prompt or command wins."""
        if self.hangup_at and self.hangup_at in (self.step, command,
                                                 self.prompts[-1] if self.prompts else None):
            return HangUp()
        if isinstance(self.caller.peek(), HangUp) or listens:
            return self.caller.take()
        return Silence()

    def _keys_now(self, escape: str):
        """Keys reaching a prompt that ``escape`` keys stop: the rest of a burst typed into the
        previous command first (a real caller's keys keep coming), else the caller's next action
        when it starts with an escape key. Non-escape keys are ignored (fact 8); the returned
        key's followers stay for the next command. Returns HangUp, None or (key, ms into the prompt)."""
        scheduled = self._next(False)
        if isinstance(scheduled, HangUp):
            self.pending = ""
            return scheduled
        at_ms = None
        if self.pending:
            keys, self.pending = self.pending, ""
        else:
            nxt = self.caller.peek()
            keys = nxt.key if isinstance(nxt, Press) else nxt.keys if isinstance(nxt, Type) else ""
            if not keys or keys[0] not in escape:
                return None  # the caller answers the next question, not this prompt
            at_ms = nxt.at_ms if isinstance(nxt, Press) else None
            self.caller.take()
        for index, key in enumerate(keys):
            if key in escape:
                self.pending = keys[index + 1:]
                return key, at_ms
        return None

    def _stream_file(self, args):
        if len(args) < 2:
            return self._usage("STREAM FILE")
        name, escape = args[0], args[1]
        offset = int(args[2]) if len(args) > 2 and args[2].lstrip("-").isdigit() else 0
        length = self.sounds.samples(name, self.env["agi_language"])
        if length is None:
            self.variables["PLAYBACKSTATUS"] = "FAILED"
            return b"200 result=-1 endpos=0\n"
        played = os.path.basename(name)
        digit = re.fullmatch(r"digit_(\d)", played)
        if digit:  # the IVR reads numbers from its own digit prompts, one STREAM FILE a digit
            if self.said_digits and re.fullmatch(r"digit_\d", self.prompts[-1]):
                self.said_digits[-1] += digit.group(1)
            else:
                self.said_digits.append(digit.group(1))
        self.prompts.append(played)
        if offset >= length:
            return f"200 result=0 endpos={length}\n".encode()
        return self._play(self._keys_now(escape), offset, length, "STREAM FILE")

    def _play(self, key, offset: int, length: int, during: str):
        """The reply of a prompt that ``key`` (a key, HangUp or None) stopped or not."""
        if isinstance(key, HangUp):
            at = min(length, offset + round(key.at_ms * 8)) if key.at_ms is not None else offset
            return self._hangup_reply(f"200 result=-1 endpos={at}", during)
        if key:
            key, at_ms = key
            at = offset + (round(at_ms * 8) if at_ms is not None else (length - offset) // 2)
            return f"200 result={ord(key)} endpos={min(length, at)}\n".encode()
        return f"200 result=0 endpos={length}\n".encode()

    def _say_digits(self, args):
        if len(args) < 2 or not args[0].isdigit():
            return self._usage("SAY DIGITS")
        self.said_digits.append(args[0])
        return self._say(args[1])

    def _say_number(self, args):
        if len(args) < 2 or not args[0].lstrip("-").isdigit():
            return self._usage("SAY NUMBER")
        return self._say(args[1])

    def _say(self, escape: str):
        out = self._play(self._keys_now(escape), 0, 8000, "SAY")
        return [re.sub(rb" endpos=\d+", b"", line) if isinstance(line, bytes) else line
                for line in (out if isinstance(out, list) else [out])]

    def _get_data(self, args):
        if not args:
            return self._usage("GET DATA")
        if args[0]:  # GET DATA "" reads keys with no prompt
            self.prompts.append(os.path.basename(args[0]))
        maximum = int(args[2]) if len(args) > 2 and args[2].isdigit() else 1024
        if self.pending:  # the rest of a burst typed into the previous command
            keys, self.pending = self.pending, ""
        else:
            action = self._next(True)
            if isinstance(action, HangUp):  # digits typed so far are lost (fact 17)
                return self._hangup_reply("200 result=-1", "GET DATA")
            keys = action.key if isinstance(action, Press) else action.keys if isinstance(action, Type) else ""
        typed = ""
        for index, key in enumerate(keys):
            if key == "#":  # only '#' ends GET DATA; '*' is collected like a digit
                self.pending = keys[index + 1:]
                return f"200 result={typed}\n".encode()
            typed += key
            if len(typed) >= maximum:
                # Returned at the max-th digit: what the caller keeps typing (the '#' the prompt
                # asked for) reaches the next command.
                self.pending = keys[index + 1:]
                return f"200 result={typed}\n".encode()
        return f"200 result={typed} (timeout)\n".encode()

    def _wait_for_digit(self, args):
        if len(args) != 1:
            return self._usage("WAIT FOR DIGIT")
        if self.pending:
            key, self.pending = self.pending[0], self.pending[1:]
            return f"200 result={ord(key)}\n".encode()
        action = self._next(True)
        if isinstance(action, HangUp):
            return self._hangup_reply("200 result=-1", "WAIT FOR DIGIT")
        keys = action.key if isinstance(action, Press) else (action.keys if isinstance(action, Type) else "")
        key, self.pending = keys[:1], keys[1:]
        return f"200 result={ord(key) if key else 0}\n".encode()

    def _record_file(self, args):
        if len(args) < 4 or not args[3].lstrip("-").isdigit():
            return self._usage("RECORD FILE")
        name, fmt, escape, timeout = args[0], args[1].lower(), args[2], int(args[3])
        silence = next((int(a[2:]) for a in args[4:] if a.startswith("s=") and a[2:].isdigit()), 0)
        base = Path(name) if os.path.isabs(name) else self.data_dir / "sounds" / name
        if fmt not in audio.FORMATS or not base.parent.is_dir():
            return b"200 result=-1 (writefile)\n"
        path = base.with_name(f"{base.name}.{audio.FORMATS[fmt]}")
        keys, self.pending = self.pending, ""
        if any(key in escape for key in keys):  # a key still arriving ends it at once
            audio.write_recording(path, fmt, b"")
            self.recordings.append(path)
            return f"200 result={ord(next(k for k in keys if k in escape))} (dtmf) endpos=0\n".encode()
        action = self._next(False, "RECORD FILE")
        if isinstance(action, Silence):
            action = self.caller.take_if(Speak) or self._dtmf_end(escape) or Speak(end="silence" if silence else "timeout")
        source = getattr(action, "audio", None) or self.caller.audio
        pcm = audio.load_pcm(source) if source else audio.speech()
        cap = timeout * 8 if timeout > 0 else None
        spoken = len(pcm) // 2
        if isinstance(action, HangUp):
            samples = min(round(action.at_ms * 8) if action.at_ms is not None else spoken // 2, cap or spoken)
        elif action.samples is not None:
            samples = action.samples
        elif action.end == "silence" and (cap is None or spoken + 8000 < cap):
            samples = spoken + 8000  # silence detection keeps about a second of the silence (fact 15)
        elif action.end == "dtmf":
            samples = min(spoken, cap or spoken)
        else:
            samples = cap if cap is not None else spoken
        audio.write_recording(path, fmt, audio.fit(pcm, samples))
        self.recordings.append(path)
        if isinstance(action, HangUp) or action.end == "hangup":  # the partial file stays (fact 14)
            return self._hangup_reply(f"200 result=-1 (hangup) endpos={samples}", "RECORD FILE")
        if action.end == "dtmf":
            return f"200 result={ord((escape or '#')[0])} (dtmf) endpos={samples}\n".encode()
        leftover = action.leftover_ms
        if leftover is None:  # what was left of Asterisk's wait, not a status (fact 14)
            leftover = max(0, timeout - samples // 8 - 1000 * max(silence - 1, 0)) if action.end == "silence" else 0
        return f"200 result={leftover} (timeout) endpos={samples}\n".encode()

    def _dtmf_end(self, escape: str):
        nxt = self.caller.peek()
        key = nxt.key if isinstance(nxt, Press) else nxt.keys if isinstance(nxt, Type) else None
        if key and key in escape and len(key) == 1:
            self.caller.take()
            return Speak(end="dtmf")
        return None

    def _exec(self, args):
        if not args:
            return self._usage("EXEC")
        app, options = args[0], " ".join(args[1:])
        if not self.alive:
            return b"200 result=0\n"  # the application does nothing on a dead channel (fact 20)
        if app.lower() not in APPS:
            return b"200 result=-2\n"
        self.apps.append((app, options))
        handler = getattr(self, f"_app_{app.lower()}", None)
        return handler(options) if handler else b"200 result=0\n"

    def _app_playback(self, options):
        found = self.sounds.samples(options, self.env["agi_language"]) is not None
        self.variables["PLAYBACKSTATUS"] = "SUCCESS" if found else "FAILED"
        if found:
            self.prompts.append(os.path.basename(options))
        return b"200 result=0\n"

    def _app_set(self, options):
        name, _, value = options.partition("=")
        self.variables[name] = value
        return b"200 result=0\n"

    def _app_dial(self, options):
        return self._bridge(options, "DIALSTATUS", "g", 2)

    def _app_queue(self, options):
        return self._bridge(options, "QUEUESTATUS", "c", 1)

    def _bridge(self, options: str, variable: str, go_on: str, position: int):
        scheduled = bool(self.hangup_at) and self.hangup_at in (self.step, self.apps[-1][0])
        action = HangUp() if scheduled else self.caller.take_if(HangUp, Agent) or Agent()
        if isinstance(action, HangUp):
            return self._hangup_reply("200 result=-1", "EXEC")
        fields = options.split(",")
        flags = fields[position] if len(fields) > position else ""
        if not action.answered:
            self.variables[variable] = action.status or ("NOANSWER" if variable == "DIALSTATUS" else "TIMEOUT")
            return b"200 result=0\n"
        if go_on in flags:
            self.variables[variable] = "ANSWER" if variable == "DIALSTATUS" else "CONTINUE"
            return b"200 result=0\n"
        if variable == "DIALSTATUS":
            self.variables[variable] = "ANSWER"
        # The agent hung up: -1 although the caller is still there (fact 12).
        return b"200 result=-1\n"
