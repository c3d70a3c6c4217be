"""What the simulator learnt from the real PBX (shared/asterisk/README.md), in its own words."""
from __future__ import annotations

from ivr.sim.asterisk import FakeAsterisk
from ivr.sim.audio import SoundLibrary
from ivr.sim.caller import Caller, Press, Silence, Type


def _sim(*actions) -> FakeAsterisk:
    return FakeAsterisk(Caller(list(actions)), sounds=SoundLibrary(assume=8000), answered=True)


def test_get_data_returns_at_max_digits_and_the_hash_ends_the_next_read():
    sim = _sim(Type("29001011234567#"), Press("1"))
    assert sim.handle(b"GET DATA /s/enter_national_id 10000 14\n") == [b"200 result=29001011234567\n"]
    # The '#' the caller typed after the 14th digit ends the consent menu with nothing.
    assert sim.handle(b"GET DATA /s/consent 5000 1\n") == [b"200 result=\n"]
    assert sim.handle(b"GET DATA /s/consent 5000 1\n") == [b"200 result=1\n"]


def test_star_does_not_end_get_data():
    sim = _sim(Type("*"))
    assert sim.handle(b"GET DATA /s/enter_national_id 10000 15\n") == [b"200 result=* (timeout)\n"]


def test_a_prompt_with_escape_keys_takes_the_first_key_and_the_rest_reaches_the_next_read():
    sim = _sim(Type("29001011234567#"))
    assert sim.handle(b'STREAM FILE /s/enter_national_id "0123456789#*" 0\n') == [b"200 result=50 endpos=4000\n"]
    assert sim.handle(b'GET DATA "" 10000 14\n') == [b"200 result=9001011234567\n"]


def test_a_key_the_prompt_does_not_listen_for_is_left_for_the_question():
    sim = _sim(Silence(), Press("1"))
    # No key during the welcome: the timeout token belongs to the language menu.
    assert sim.handle(b'STREAM FILE /s/welcome "12" 0\n') == [b"200 result=0 endpos=8000\n"]
    assert sim.handle(b"GET DATA /s/choose_language 5000 1\n") == [b"200 result= (timeout)\n"]


def test_keys_still_arriving_are_lost_on_a_prompt_without_escape_keys():
    sim = _sim(Type("1234"), Press("5"))
    assert sim.handle(b"GET DATA /s/code 5000 2\n") == [b"200 result=12\n"]
    assert sim.handle(b'STREAM FILE /s/invalid_choice "" 0\n') == [b"200 result=0 endpos=8000\n"]
    assert sim.handle(b"GET DATA /s/menu 5000 1\n") == [b"200 result=5\n"]
