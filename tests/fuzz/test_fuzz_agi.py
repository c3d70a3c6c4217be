"""The AGI reader fed random and truncated Asterisk output: typed errors only, and a call never hangs in dead air."""
from __future__ import annotations

import io

from asterisk import agi as pyst2
from hypothesis import given, settings, strategies as st
from sqlalchemy import select

from hotline import db
from hotline.models import Call
from ivr.agi import Channel
from ivr.engine import run_call
from ivr.errors import CallerHungUp, PromptMissing, ProtocolError
from tests.fuzz.conftest import FUZZ

# Every way the reader may refuse what it read; anything else (IndexError, ValueError…) is a bug.
TYPED = (pyst2.AGIError, ProtocolError, PromptMissing)  # AGIError: pyst2's family, CallerHungUp included
ENV = b"agi_request: agi://127.0.0.1/hotline\nagi_channel: PJSIP/trunk-1\nagi_uniqueid: %s\n" \
      b"agi_callerid: 01001234567\nagi_network_script: hotline\n\n"
REAL_REPLIES = [b"200 result=0\n", b"200 result=1\n", b"200 result=49 endpos=8000\n",
                b"200 result=35 (dtmf) endpos=16000\n", b"200 result=0 (timeout) endpos=8000\n",
                b"200 result=-1 (hangup)\n", b"200 result=1 (1)\n", b"HANGUP\n",
                b"511 Command Not Permitted on a dead channel or intercept routine\n",
                b"510 Invalid or unknown command\n", b"200 result=29001011234567\n",
                b"520-Invalid command syntax.  Proper usage follows:\nUsage: ANSWER\n520 End of proper usage.\n"]
reply_lines = st.one_of(
    st.sampled_from(REAL_REPLIES),
    st.binary(max_size=200),
    st.builds(lambda code, text: b"%d %s\n" % (code, text), st.integers(0, 999), st.binary(max_size=60)),
    st.builds(lambda value, tag: b"200 result=" + value + tag + b"\n",
              st.text("-0123456789abcxyz()= ", max_size=30).map(str.encode),
              st.sampled_from([b"", b" (dtmf)", b" (timeout)", b" endpos=", b" endpos=x1", b" (hangup)"])))


def truncated(lines: list[bytes], cut: int) -> bytes:
    """The replies as Asterisk sent them, cut off at ``cut`` bytes (a dropped connection)."""
    stream = b"".join(lines)
    return stream[:cut % (len(stream) + 1)]


def channel(replies: bytes, env: bytes = ENV % b"fuzz.1") -> Channel:
    return Channel(io.BytesIO(env + replies), io.BytesIO())


@settings(FUZZ, max_examples=300)
@given(st.binary(max_size=400))
def test_env_block_of_any_bytes(data):
    try:
        agi = Channel(io.BytesIO(data), io.BytesIO())
    except CallerHungUp:
        return
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in agi.env.items())


COMMANDS = [
    lambda a: a.answer(),
    lambda a: a.stream_file("/sounds/ar/welcome"),
    lambda a: a.get_data("/sounds/ar/main_menu", 5000, 14),
    lambda a: a.record("/spool/x", "wav", "#", 1000, silence=3),
    lambda a: a.say_digits("2500001234"),
    lambda a: a.exec_app("Queue", "hotline"),
    lambda a: a.set_variable("SHAKWA_STEP", "welcome"),
]


@settings(FUZZ, max_examples=400)
@given(st.lists(reply_lines, min_size=1, max_size=6), st.integers(0, 2000),
       st.lists(st.sampled_from(range(len(COMMANDS))), min_size=1, max_size=6))
def test_random_and_truncated_replies_raise_typed_errors(lines, cut, commands):
    agi = channel(truncated(lines, cut))
    for index in commands:
        try:
            COMMANDS[index](agi)
        except TYPED:
            pass
    sent = agi.stdout.getvalue()
    assert sent == b"" or sent.endswith(b"\n")


real = st.sampled_from(REAL_REPLIES[:7] + REAL_REPLIES[10:11])
call_lines = st.one_of(real, real, real, reply_lines)  # mostly sane, so calls get deep into the menu


@settings(FUZZ, max_examples=40)
@given(st.lists(call_lines, min_size=0, max_size=40), st.integers(0, 5000))
def test_a_whole_call_on_garbage_ends_cleanly(db_url, lines, cut):
    """Whatever Asterisk says, run_call returns, the call row is closed, and an error goes to the
    failure context (an agent) after technical_error, never dead air."""
    uniqueid = f"fuzz.{id(lines)}.{cut}"
    agi = channel(truncated(lines, cut), ENV % uniqueid.encode())
    call = run_call(agi, mode="fuzz")
    with db.session_scope() as session:
        row = session.scalar(select(Call).where(Call.uniqueid == uniqueid))
        assert row is not None and row.ended_at is not None
        assert row.outcome in {"completed", "hangup", "queued", "error"}, row.outcome
    sent = agi.stdout.getvalue().decode()
    if call.outcome == "error" or row.outcome == "error":
        assert "technical_error" in sent and "EXEC Goto" in sent
