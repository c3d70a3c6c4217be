"""The IVR's exceptions: one class per Asterisk outcome."""
from __future__ import annotations

from asterisk.agi import AGIHangup


class CallerHungUp(AGIHangup):
    """The caller is gone: HANGUP line, result=-1, 511, broken pipe, EOF or SIGHUP."""


class PromptMissing(Exception):
    """Asterisk could not find a prompt's sound file (STREAM FILE result=-1 on a live channel)."""


class ProtocolError(Exception):
    """Asterisk sent something that is not an AGI reply."""
