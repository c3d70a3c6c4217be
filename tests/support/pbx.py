"""A private, real Asterisk for a test, and scripted callers on Local channels.

:class:`PBX` writes an ``asterisk.conf`` whose every directory is its own (so several can run on
one machine, none touching /etc/asterisk), includes the dialplan that ``run_ivr.py
render-dialplan`` wrote, listens for AMI on a free loopback port and places calls with call files.
A :class:`Caller` is a scripted citizen: a dialplan context on the Local channel's ``;1`` leg that
waits for the IVR to reach a step (it reads the ``;2`` leg's ``SHAKWA_STEP`` with ``IMPORT``),
sends real DTMF, plays real audio and hangs up. ``transmit_silence`` makes a waiting caller send
silent audio as a phone does, so silence detection and ANSWER behave as on a real line.
"""
from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.support import waiting
from tests.support.asterisk_build import Install

# Modules that open ports or reach out (IAX2, DUNDi, UNISTIM, HEP, ...) or need servers we do not run.
NOLOAD = ("chan_iax2", "pbx_dundi", "chan_unistim", "res_hep", "res_hep_rtcp", "res_statsd",
          "cdr_pgsql", "cel_pgsql", "res_config_pgsql", "res_phoneprov", "res_prometheus",
          "chan_websocket", "res_websocket_client", "res_calendar", "res_smdi", "app_festival",
          "res_ari", "res_ari_applications", "res_ari_asterisk", "res_ari_bridges",
          "res_ari_channels", "res_ari_device_states", "res_ari_endpoints", "res_ari_events",
          "res_ari_playbacks", "res_ari_recordings", "res_ari_sounds", "res_ari_model",
          "chan_audiosocket", "res_audiosocket", "res_stun_monitor", "app_voicemail",
          "app_minivm", "res_aeap", "res_speech_aeap", "cdr_csv", "cdr_custom",
          "cdr_sqlite3_custom", "cel_custom", "cel_sqlite3_custom", "res_cdrel_custom")
HARNESS_AMI_USER, HARNESS_AMI_SECRET = "harness", "harness-secret"
_ids = itertools.count(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sox(*args: str) -> None:
    """Run sox (tests render what Asterisk would download: beep, hold music)."""
    subprocess.run(["sox", *args], check=True, capture_output=True, timeout=60)


def speak(text: str, target: Path, *, voice: str = "ar", trailing_silence: float = 0.0) -> Path:
    """An espeak-ng recording of ``text`` as an 8 kHz mono 16-bit WAV (what a phone line carries)."""
    raw = target.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(raw), text], check=True, capture_output=True,
                   timeout=60)
    effects = ["pad", "0", str(trailing_silence)] if trailing_silence else []
    sox(str(raw), "-r", "8000", "-c", "1", "-b", "16", str(target), *effects)
    raw.unlink()
    return target


def wav_seconds(path: Path) -> float:
    """The length of a WAV file (what a prompt takes to play)."""
    import wave

    with wave.open(str(path)) as wav:
        return wav.getnframes() / wav.getframerate()


class Caller:
    """A scripted citizen: each method adds one dialplan line to the caller's context."""

    ivr_leg = "2"  # the IVR's half of the Local pair: a call file's Local/16528@hotline runs it on ;2

    def __init__(self, number: str = "01001234567", name: str = "Citizen Test"):
        self.number, self.name = number, name
        self.id = next(_ids)
        self.lines: list[str] = []

    @property
    def context(self) -> str:
        return f"caller-{self.id}"

    def at(self, step: str, after_ms: int = 600) -> "Caller":
        """Wait until the IVR is in ``step`` (at most 90 s), then ``after_ms`` more."""
        self.lines.append(f"Gosub(harness-wait,s,1({step},{after_ms}))")
        return self

    def keys(self, digits: str, gap_ms: int = 250, duration_ms: int = 100) -> "Caller":
        """Press keys as a phone does: 100 ms tones with 250 ms gaps (SendDTMF's default)."""
        self.lines.append(f"SendDTMF({digits},{gap_ms},{duration_ms})")
        return self

    def say(self, wav: Path) -> "Caller":
        """Speak: play a WAV into the call (the IVR records what it hears)."""
        self.lines.append(f"Playback({wav.with_suffix('')})")
        return self

    def wait(self, seconds: float) -> "Caller":
        """Listen for a while (silent audio goes to the IVR meanwhile)."""
        self.lines.append(f"Wait({seconds:g})")
        return self

    def hangup(self) -> "Caller":
        self.lines.append("Hangup()")
        return self

    def dialplan(self) -> str:
        body = [f"[{self.context}]",
                f"exten => s,1,UserEvent(HarnessCaller,caller: {self.id},channel: ${{CHANNEL}})",
                # The IVR leg of this Local pair: the same name ending ;2 instead of ;1.
                f" same => n,Set(IVR=${{CUT(CHANNEL,\\;,1)}}\\;{self.ivr_leg})"]
        body += [f" same => n,{line}" for line in self.lines]
        body.append(" same => n,Hangup()")
        return "\n".join(body) + "\n"


class Called(Caller):
    """A citizen the hotline calls (a survey, issue 18): dialled as Local/<number>@harness-called,
    the harness answers and runs this script, context called-<number>; the IVR is the ;1 leg."""

    ivr_leg = "1"

    @property
    def context(self) -> str:
        return f"called-{self.number}"


HARNESS_DIALPLAN = """
; The harness: scripted callers wait here for the IVR to reach a step.
[harness-wait]
exten => s,1,Set(DEADLINE=$[${EPOCH} + 90])
 same => n,While($["${IMPORT(${IVR},SHAKWA_STEP)}" != "${ARG1}"])
 same => n,GotoIf($[${EPOCH} > ${DEADLINE}]?late)
 same => n,GotoIf($["${IMPORT(${IVR},CHANNEL(state))}" = ""]?late)
 same => n,Wait(0.05)
 same => n,EndWhile()
 same => n,Wait($[${ARG2} / 1000])
 same => n,Return()
 same => n(late),UserEvent(HarnessLate,step: ${ARG1})
 same => n,Hangup()

; Agents: a member answers, says ${GLOBAL(AGENT_SAY)} if set, listens AGENT_TALK seconds
; (default 3), hangs up.
[harness-agents]
exten => _X.,1,Answer()
 same => n,UserEvent(HarnessAgent,agent: ${EXTEN})
 same => n,ExecIf($["${GLOBAL(AGENT_SAY)}" != ""]?Playback(${GLOBAL(AGENT_SAY)}))
 same => n,Wait(${IF($["${GLOBAL(AGENT_TALK)}" = ""]?3:${GLOBAL(AGENT_TALK)})})
 same => n,Hangup()

; Citizens a callback reaches: busy for the first GLOBAL(CITIZEN_BUSY) tries, then they answer
; and listen for GLOBAL(CITIZEN_TALK) seconds (default 20).
[harness-citizens]
exten => _X.,1,Set(GLOBAL(TRIES_${EXTEN})=$[0${GLOBAL(TRIES_${EXTEN})} + 1])
 same => n,GotoIf($[${GLOBAL(TRIES_${EXTEN})} <= 0${GLOBAL(CITIZEN_BUSY)}]?busy)
 same => n,Answer()
 same => n,UserEvent(HarnessCitizen,number: ${EXTEN},try: ${GLOBAL(TRIES_${EXTEN})})
 same => n,Wait(${IF($["${GLOBAL(CITIZEN_TALK)}" = ""]?20:${GLOBAL(CITIZEN_TALK)})})
 same => n,Hangup()
 same => n(busy),UserEvent(HarnessCitizen,number: ${EXTEN},try: ${GLOBAL(TRIES_${EXTEN})},busy: yes)
 same => n,Busy(5)

; Citizens the hotline calls: answered, then the number's script (Called) runs.
[harness-called]
exten => _X.,1,Answer()
 same => n,Goto(called-${EXTEN},s,1)
"""


@dataclass
class PlacedCall:
    """A call the harness placed: its caller and what AMI said about it."""

    caller: Caller
    channel: str | None = None  # the caller leg (…;1); the IVR leg is the same name with ;2
    events: list[dict] = field(default_factory=list)

    @property
    def ivr_channel(self) -> str | None:
        return self.channel[:-1] + self.caller.ivr_leg if self.channel else None


class AMI:
    """A minimal AMI client for the harness: logs in and keeps every event it reads."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.settimeout(None)
        self.file = self.sock.makefile("rb")
        self.file.readline()  # banner
        self.events: list[dict] = []
        self.changed = threading.Condition()
        self._send({"Action": "Login", "Username": HARNESS_AMI_USER, "Secret": HARNESS_AMI_SECRET})
        self.thread = threading.Thread(target=self._read, daemon=True, name="harness-ami")
        self.thread.start()
        self.wait_for(lambda e: e.get("Response") == "Success", "AMI login", 20)

    def _send(self, fields: dict) -> None:
        self.sock.sendall("".join(f"{k}: {v}\r\n" for k, v in fields.items()).encode() + b"\r\n")

    def action(self, fields: dict) -> None:
        self._send(fields)

    def _read(self) -> None:
        message: dict = {}
        try:
            for raw in self.file:
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                if not line:
                    if message:
                        message["_at"] = time.monotonic()
                        with self.changed:
                            self.events.append(message)
                            self.changed.notify_all()
                    message = {}
                    continue
                key, _, value = line.partition(":")
                message[key.strip()] = value.strip()
        except (OSError, ValueError):
            pass

    def find(self, match) -> list[dict]:
        with self.changed:
            return [e for e in self.events if match(e)]

    def wait_for(self, match, what: str, seconds: float = 120) -> dict:
        deadline = time.monotonic() + seconds
        with self.changed:
            while True:
                found = next((e for e in self.events if match(e)), None)
                if found:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"AMI: no {what} within {seconds:.0f} s")
                self.changed.wait(min(left, 1.0))

    def close(self) -> None:
        try:
            self._send({"Action": "Logoff"})
            self.sock.close()
        except OSError:
            pass


class PBX:
    """One private Asterisk: its own folders under ``root``, its own AMI port."""

    def __init__(self, install: Install, *, dialplan_dir: Path, sounds: Path | None = None):
        # Short root: the control socket's path must fit in a Unix socket name (108 bytes).
        self.root = Path(tempfile.mkdtemp(prefix="pbx-"))
        self.install, self.dialplan_dir = install, dialplan_dir
        self.ami_port = free_port()
        self.etc, self.log_dir = self.root / "etc", self.root / "log"
        self.spool = self.root / "spool"
        self.outgoing = self.spool / "outgoing"
        self.process: subprocess.Popen | None = None
        self.ami: AMI | None = None
        self.callers: list[Caller] = []
        self._write_config()

    # --- configuration -----------------------------------------------------------------------

    def _write_config(self) -> None:
        for folder in ("etc", "lib", "run", "log", "spool/outgoing", "tmp", "moh",
                       "lib/sounds/en", "lib/sounds/ar"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        modules = self.install.modules
        (self.root / "lib" / "documentation").symlink_to(self.install.documentation)
        files = {
            "asterisk.conf": f"""[directories]
astetcdir => {self.etc}
astmoddir => {modules}
astvarlibdir => {self.root}/lib
astdbdir => {self.root}/lib
astkeydir => {self.root}/lib
astdatadir => {self.root}/lib
astagidir => {self.root}/lib/agi-bin
astspooldir => {self.spool}
astrundir => {self.root}/run
astlogdir => {self.log_dir}
astsbindir => {self.install.binary.parent}
[options]
verbose = 3
nocolor = yes
transmit_silence = yes
cache_record_files = no
""",
            "modules.conf": "[modules]\nautoload = yes\n"
                            + "".join(f"noload => {name}.so\n" for name in NOLOAD),
            "logger.conf": "[general]\ndateformat = %F %T.%3q\n[logfiles]\n"
                           "full => notice,warning,error,verbose,dtmf\nmessages => notice,warning,error\n",
            # What must be in the main manager.conf; the rendered one only adds its user.
            "manager.conf": f"""[general]
enabled = yes
bindaddr = 127.0.0.1
port = {self.ami_port}
timestampevents = yes
#include "{self.dialplan_dir}/manager.conf"

[{HARNESS_AMI_USER}]
secret = {HARNESS_AMI_SECRET}
deny = 0.0.0.0/0.0.0.0
permit = 127.0.0.1/255.255.255.255
read = all
write = all
""",
            "extensions.conf": f"""[general]
static = yes
writeprotect = yes
#include "{self.dialplan_dir}/extensions.conf"
#include "{self.etc}/harness.conf"
#include "{self.etc}/callers.conf"
""",
            "queues.conf": f"[general]\n#include \"{self.dialplan_dir}/queues.conf\"\n",
            "musiconhold.conf": f"[default]\nmode = files\ndirectory = {self.root}/moh\n",
            "harness.conf": HARNESS_DIALPLAN,
            "callers.conf": "",
        }
        for name, text in files.items():
            (self.etc / name).write_text(text)
        # What Asterisk would download with its sound packages: a beep for RECORD FILE, hold music.
        beep = self.root / "lib" / "sounds" / "en" / "beep.wav"
        sox("-n", "-r", "8000", "-c", "1", "-b", "16", str(beep), "synth", "0.25", "sine", "1000", "vol", "0.5")
        shutil.copy(beep, beep.parent.parent / "ar" / "beep.wav")
        shutil.copy(beep, beep.parent.parent / "beep.wav")
        sox("-n", "-r", "8000", "-c", "1", "-b", "16", str(self.root / "moh" / "tones.wav"),
            "synth", "4", "sine", "440", "sine", "660", "vol", "0.2")

    # --- life ---------------------------------------------------------------------------------

    def start(self, env: dict[str, str] | None = None) -> "PBX":
        """Start Asterisk in the foreground of its own process group; wait for AMI."""
        log = open(self.log_dir / "console.log", "w")
        self.process = subprocess.Popen(
            [str(self.install.binary), "-C", str(self.etc / "asterisk.conf"), "-f", "-n", "-q"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            env=env, cwd=self.root)
        waiting.wait_for(lambda: self.process.poll() is not None or _listening(self.ami_port),
                         "Asterisk's AMI port", 60)
        if self.process.poll() is not None:
            raise RuntimeError(f"Asterisk exited with {self.process.returncode}: "
                               f"{(self.log_dir / 'console.log').read_text()[-2000:]}")
        self.cli("core waitfullybooted")  # returns once every module is loaded
        self.ami = AMI(self.ami_port)
        self.cli("agi set debug on")  # every AGI line in the full log, for the tests to read
        return self

    def stop(self) -> None:
        if self.ami:
            self.ami.close()
        if self.process and self.process.poll() is None:
            self.cli("core stop now")
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()

    def cli(self, command: str) -> str:
        """One Asterisk CLI command through the control socket (``asterisk -rx``)."""
        done = subprocess.run([str(self.install.binary), "-C", str(self.etc / "asterisk.conf"), "-rx", command],
                              capture_output=True, text=True, timeout=30)
        return done.stdout + done.stderr

    def log(self) -> str:
        """Asterisk's full log so far."""
        path = self.log_dir / "full"
        return path.read_text(errors="replace") if path.exists() else ""

    # --- calls --------------------------------------------------------------------------------

    def place(self, caller: Caller, extension: str = "16528", context: str = "hotline",
              variables: dict[str, str] | None = None) -> PlacedCall:
        """Add the caller's context, reload the dialplan and drop a call file in the spool."""
        self.place_many([caller], extension, context, variables)
        return self._placed[-1]

    def place_many(self, callers: list[Caller], extension: str = "16528", context: str = "hotline",
                   variables: dict[str, str] | None = None) -> list[PlacedCall]:
        """Several calls at once (one dialplan reload, then the call files together)."""
        self._install(callers)
        placed = []
        staging = self.root / "tmp"
        for caller in callers:
            text = (f"Channel: Local/{extension}@{context}\n"
                    f'CallerID: "{caller.name}" <{caller.number}>\n'
                    f"Context: {caller.context}\nExtension: s\nPriority: 1\n"
                    "MaxRetries: 0\nWaitTime: 30\nArchive: no\n")
            text += "".join(f"Setvar: {k}={v}\n" for k, v in (variables or {}).items())
            path = staging / f"call-{caller.id}.call"
            path.write_text(text)
            placed.append(PlacedCall(caller))
            os.replace(path, self.outgoing / path.name)  # atomic: pbx_spool never reads half a file
        self._placed = getattr(self, "_placed", []) + placed
        for call in placed:
            event = self.ami.wait_for(lambda e: e.get("Event") == "UserEvent"
                                      and e.get("UserEvent") == "HarnessCaller"
                                      and e.get("caller") == str(call.caller.id),
                                      f"caller {call.caller.id} to start", 60)
            call.channel = event["channel"]
        return placed

    def expect(self, called: Called) -> None:
        """The script the harness runs when the hotline dials ``called.number`` (replacing the
        number's earlier one)."""
        self.callers = [c for c in self.callers if c.context != called.context]
        self._install([called])

    def _install(self, callers: list[Caller]) -> None:
        self.callers += callers
        (self.etc / "callers.conf").write_text("".join(c.dialplan() for c in self.callers))
        out = self.cli("dialplan reload")
        if "Dialplan reloaded" not in out and "reloaded" not in out.lower():
            raise RuntimeError(f"dialplan reload: {out}")

    def wait_ended(self, call: PlacedCall, seconds: float = 180) -> None:
        """Wait until both legs of the call hung up."""
        for channel in (call.channel, call.ivr_channel):
            self.ami.wait_for(lambda e: e.get("Event") == "Hangup" and e.get("Channel") == channel,
                              f"hang-up of {channel}", seconds)

    def agi_commands(self, call: PlacedCall) -> list[tuple[str, str]]:
        """(command, result line) of every AGI command the IVR leg ran, in order (AMI AGIExec)."""
        ends = self.ami.find(lambda e: e.get("Event") == "AGIExecEnd" and e.get("Channel") == call.ivr_channel)
        return [(e.get("Command", ""), e.get("Result", "")) for e in ends]

    def agi_exchange(self, call: PlacedCall) -> list[tuple[str, str]]:
        """Every AGI line of the IVR leg, from the full log (``agi set debug on``): ("<<",
        command) for what the script sent and (">>", reply) for Asterisk's answers, the
        environment block left out."""
        out = []
        marker = f"<{call.ivr_channel}>AGI "
        for line in self.log().splitlines():
            if marker not in line:
                continue
            text = line.split(marker, 1)[1]
            direction, _, body = text.partition(" ")
            body = body.split(" ", 1)[1] if " " in body else ""  # after '<<' / '>>'
            if direction == "Rx":
                out.append(("<<", body))
            elif direction == "Tx" and body[:3].isdigit():
                out.append((">>", body))
        return out

    def played(self, call: PlacedCall) -> list[str]:
        """Files Asterisk played on the IVR leg, from its log (``Playing '<file>.<ext>'``)."""
        marker = f"<{call.ivr_channel}> Playing '"
        out = []
        for line in self.log().splitlines():
            if marker in line:
                out.append(line.split(marker, 1)[1].split("'", 1)[0])
        return out


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex(("127.0.0.1", port)) == 0
