"""make-prompts renders every prompt the IVR plays, 8 kHz mono 16-bit, and only what changed."""
from __future__ import annotations

import wave

from hotline import settings
from tests.conftest import run_command, settings_environ  # noqa: F401
from tests.ivr.conftest import COMPLAINT


def test_make_prompts_renders_every_prompt_the_ivr_plays(place_call, isolated_settings):
    conf = settings.get()
    first = run_command(conf, "make-prompts", "--quiet")
    assert first.returncode == 0, first.stderr
    again = run_command(conf, "make-prompts", "--quiet")
    assert "0 rendered" in again.stdout
    with wave.open(str(conf.sounds_dir / "ar" / "welcome.wav")) as handle:
        assert (handle.getframerate(), handle.getnchannels(), handle.getsampwidth()) == (8000, 1, 2)
    sim, _ = place_call(COMPLAINT + " 0")
    for name in sim.prompts:
        assert (conf.sounds_dir / "ar" / f"{name}.wav").is_file(), name


def test_make_prompts_without_espeak_is_a_clear_error(isolated_settings):
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = settings_environ(settings.get())
    env["PATH"] = "/nonexistent"
    done = subprocess.run([sys.executable, str(ROOT / "run_ivr.py"), "make-prompts"], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 1 and "espeak-ng is not installed" in done.stderr
