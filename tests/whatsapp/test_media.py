"""Media the citizen sends: voice notes, oversized or non-image uploads, unknown message types."""
from __future__ import annotations

import subprocess

from sqlalchemy import select

from agent_console.whatsapp import casework
from agent_console.whatsapp.models import Message
from hotline import db, settings
from hotline.models import Attachment, Case, Recording
from tests.whatsapp import jobfuncs, webhooks as wh
from tests.whatsapp.conftest import photo_with_gps, say
from tests.whatsapp.test_complaint import finish_complaint, start_complaint


def test_voice_note_description_is_stored_encrypted_and_sent_to_transcription(client, graph_api, tmp_path,
                                                                              monkeypatch):
    wav, ogg = tmp_path / "note.wav", tmp_path / "note.ogg"
    subprocess.run(["espeak-ng", "-v", "ar", "-w", str(wav), "القمامة متراكمة أمام البيت"], check=True)
    subprocess.run(["ffmpeg", "-loglevel", "error", "-i", str(wav), "-c:a", "libopus", str(ogg)], check=True)
    graph_api.add_media("voice-1", ogg.read_bytes(), "audio/ogg")
    monkeypatch.setattr(casework, "TRANSCRIBE_JOB", "tests.whatsapp.jobfuncs.transcribe")
    jobfuncs.TRANSCRIBED.clear()
    say(client, wh.text("السلام عليكم"))
    say(client, wh.text("1"))
    say(client, wh.text("1"))
    say(client, wh.text("1"))
    say(client, wh.audio("voice-1"))
    finish_complaint(client)
    with db.session_scope() as session:
        recording = session.scalars(select(Recording)).one()
        case = session.get(Case, recording.case_id)
        assert recording.status == "stored" and recording.duration_ms > 500
        assert case.channel == "whatsapp" and not case.incomplete and "voice note" in case.description
        assert not list(settings.get().spool_dir.glob("wa-*"))  # no plaintext left behind
    assert jobfuncs.TRANSCRIBED == [recording.id]


def test_oversized_and_non_image_uploads_get_a_clear_reply_and_nothing_is_lost(client, graph_api):
    settings.install(settings.get().replace(whatsapp_max_photo_bytes=100_000))
    graph_api.add_media("big", photo_with_gps(2400, 1800, "PNG"), "image/png")
    graph_api.add_media("fake", b"%PDF-1.4 not a photo at all", "image/jpeg")
    graph_api.add_media("pdf", b"%PDF-1.4 a document", "application/pdf")
    graph_api.add_media("good", photo_with_gps(400, 300), "image/jpeg")
    start_complaint(client, graph_api)
    say(client, wh.image("big", mime_type="image/png"))
    assert "أكبر من الحد المسموح" in graph_api.texts_to(wh.CITIZEN)[-1]
    say(client, wh.image("fake"))
    assert "JPEG أو PNG أو WebP" in graph_api.texts_to(wh.CITIZEN)[-1]
    say(client, wh.document("pdf", "application/pdf", "complaint.pdf"))
    assert "JPEG أو PNG أو WebP" in graph_api.texts_to(wh.CITIZEN)[-1]
    say(client, wh.image("good"))
    finish_complaint(client)
    with db.session_scope() as session:
        case = session.scalars(select(Case)).one()
        assert not case.incomplete and "شارع شبرا" in case.description
        assert [a.source_id for a in session.scalars(select(Attachment))] == ["good"]
        refused = session.scalars(select(Message).where(Message.kind.in_(["image", "document"]))).all()
        # Every upload is in the history with its media id, the refused ones too.
        assert {m.payload[m.kind]["id"] for m in refused} == {"big", "fake", "pdf", "good"}
        assert all(m.status == "processed" and m.case_id == case.id for m in refused)


def test_unknown_message_types_get_a_polite_reply(client, graph_api):
    say(client, wh.text("السلام عليكم"))
    say(client, wh.sticker())
    assert graph_api.texts_to(wh.CITIZEN)[-1].startswith("عذرا، لا نستطيع استقبال هذا النوع")
    say(client, wh.unsupported())
    assert graph_api.texts_to(wh.CITIZEN)[-1].startswith("عذرا، لا نستطيع استقبال هذا النوع")
    say(client, wh.button_reply("new", "شكوى جديدة"))  # the conversation carries on where it was
    assert "تراكم القمامة" in graph_api.texts_to(wh.CITIZEN)[-1]
