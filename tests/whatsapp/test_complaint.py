"""A whole complaint over WhatsApp, through the console app's webhook and the fake Graph API."""
from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from agent_console.whatsapp.models import Conversation, Message
from hotline import db
from hotline.models import Attachment, Case, CaseStatus
from recordings import vault
from tests.whatsapp import webhooks as wh
from tests.whatsapp.conftest import photo_with_gps, say

NATIONAL_ID = "29001011234567"  # born 1990-01-01 in Cairo (01)


def start_complaint(client, graph_api, sender=wh.CITIZEN):
    """Greeting, new complaint, garbage, Cairo, a description: the draft case exists."""
    say(client, wh.text("السلام عليكم", sender=sender))
    say(client, wh.button_reply("new", "شكوى جديدة", sender=sender))
    say(client, wh.list_reply("cat:garbage", "1. تراكم القمامة والمخلفات", sender=sender))
    say(client, wh.text("1", sender=sender))  # Cairo is the first governorate
    say(client, wh.text("تراكم قمامة كبير أمام المدرسة في شارع شبرا منذ أسبوع", sender=sender))


def finish_complaint(client, sender=wh.CITIZEN, national_id=NATIONAL_ID):
    say(client, wh.button_reply("done", "تم", sender=sender))
    say(client, wh.button_reply("yes", "نعم", sender=sender))
    say(client, wh.text("أحمد محمد علي", sender=sender))
    say(client, wh.text(national_id, sender=sender))


def only_case():
    with db.session_scope() as session:
        return session.scalars(select(Case)).one()


def test_whole_complaint_with_two_photos_ends_as_case_with_clean_encrypted_photos(client, graph_api):
    graph_api.add_media("media-1", photo_with_gps(1200, 900), "image/jpeg")
    graph_api.add_media("media-2", photo_with_gps(640, 480, "PNG"), "image/png")
    start_complaint(client, graph_api)
    say(client, wh.image("media-1", caption="الصورة من أمام المدرسة"))
    say(client, wh.image("media-2", mime_type="image/png"))
    say(client, wh.location(30.0622, 31.2442))
    finish_complaint(client)

    case = only_case()
    with db.session_scope() as session:
        case = session.get(Case, case.id)
        assert (case.channel, case.channel_detail) == ("whatsapp", "01555516528")
        assert (case.category, case.governorate, case.incomplete) == ("garbage", "cairo", False)
        assert "شارع شبرا" in case.description and "أمام المدرسة" in case.description
        assert (case.latitude, case.longitude) == (30.0622, 31.2442)
        person = case.complainant
        assert (person.name, person.national_id, person.phone) == ("أحمد محمد علي", NATIONAL_ID, "01012345678")
        assert (person.consent, person.consent_channel) == (True, "whatsapp")
        photos = session.scalars(select(Attachment).where(Attachment.case_id == case.id)
                                 .order_by(Attachment.id)).all()
        assert [(p.kind, p.media_type, p.source_id) for p in photos] == [
            ("photo", "image/jpeg", "media-1"), ("photo", "image/png", "media-2")]
        assert (photos[0].width, photos[0].height) == (800, 600)  # shrunk to the max side
        for row in photos:
            ciphertext = vault.resolve(row.vault_path).read_bytes()
            assert ciphertext.startswith(b"age-encryption.org/v1")
            plain = vault.open_bytes(row.vault_path, row.sha256)
            image = Image.open(io.BytesIO(plain))
            assert not image.getexif() and not image.getexif().get_ifd(0x8825)
            assert b"PhoneMaker" not in plain and b"Exif" not in plain
        conversation = session.scalars(select(Conversation)).one()
        assert conversation.state is None and conversation.case_id is None
        inbound = session.scalars(select(Message).where(Message.direction == "in")).all()
        assert all(m.status == "processed" for m in inbound)
        assert NATIONAL_ID not in " ".join(m.body for m in inbound)
        assert "أحمد" not in " ".join(m.body for m in inbound)

    replies = graph_api.texts_to(wh.CITIZEN)
    assert replies[0].startswith("أهلا بك") and "01555516528" in replies[0]
    assert any("(2)" in r for r in replies)  # the second photo was counted
    assert case.number in replies[-1]
    assert all(body["to"] == wh.CITIZEN for body in graph_api.sent)
    assert graph_api.sent[1]["interactive"]["type"] == "list"  # categories as a list message


def test_english_conversation_when_the_citizen_writes_english(client, graph_api):
    say(client, wh.text("Hello"))
    say(client, wh.text("1"))
    replies = graph_api.texts_to(wh.CITIZEN)
    assert replies[0].startswith("Welcome")
    assert "Garbage and waste accumulation" in replies[1]


def test_follow_up_by_complaint_number_gets_the_status(client, graph_api):
    start_complaint(client, graph_api)
    finish_complaint(client)
    number = only_case().number
    say(client, wh.text(number))
    # Garbage in a known governorate: the routing rules are certain, the complaint went on by itself.
    assert graph_api.texts_to(wh.CITIZEN)[-1] == f"حالة الشكوى رقم {number}: أحيلت إلى الجهة المختصة."

    other = "201098765432"  # another phone must prove it knows the national ID
    say(client, wh.text(number, sender=other))
    assert "آخر 4 أرقام" in graph_api.texts_to(other)[-1]
    say(client, wh.text(NATIONAL_ID[-4:], sender=other))
    assert graph_api.texts_to(other)[-1] == f"حالة الشكوى رقم {number}: أحيلت إلى الجهة المختصة."

    say(client, wh.text("2", sender=other))  # menu 2: follow up, with a wrong check digit
    say(client, wh.text(number[:-1] + str((int(number[-1]) + 1) % 10), sender=other))
    assert graph_api.texts_to(other)[-1].startswith("رقم الشكوى غير صحيح")


def test_cancel_keeps_what_was_sent_but_sets_the_case_aside(client, graph_api):
    start_complaint(client, graph_api)
    say(client, wh.text("إلغاء"))
    case = only_case()
    assert case.status == CaseStatus.rejected
    assert graph_api.texts_to(wh.CITIZEN)[-1].startswith("تم الإلغاء")
    say(client, wh.text("مرحبا"))
    assert graph_api.texts_to(wh.CITIZEN)[-1].startswith("أهلا بك")


def test_session_timeout_starts_over_and_keeps_the_incomplete_case(client, graph_api):
    import time

    long_ago = time.time() - 3 * 3600
    for body in (wh.text("السلام عليكم", at=long_ago), wh.text("1", at=long_ago),
                 wh.text("1", at=long_ago), wh.text("1", at=long_ago),
                 wh.text("أكوام من القمامة في الشارع الرئيسي", at=long_ago)):
        say(client, body)
    say(client, wh.text("مرحبا"))
    replies = graph_api.texts_to(wh.CITIZEN)
    case = only_case()
    assert replies[-3].startswith("انتهت مهلة المحادثة")
    assert case.number in replies[-2]
    assert replies[-1].startswith("أهلا بك")
    assert case.incomplete and case.status == CaseStatus.received


def test_invalid_national_id_is_explained_then_accepted(client, graph_api):
    start_complaint(client, graph_api)
    say(client, wh.button_reply("skip", "تخطي"))
    say(client, wh.button_reply("no", "لا"))
    say(client, wh.text("تخطي"))
    say(client, wh.text("12345"))
    assert "14 رقما" in graph_api.texts_to(wh.CITIZEN)[-1]
    say(client, wh.text(NATIONAL_ID))
    case = only_case()
    with db.session_scope() as session:
        person = session.get(Case, case.id).complainant
        assert (person.consent, person.name, person.national_id) == (False, None, NATIONAL_ID)
    assert case.number in graph_api.texts_to(wh.CITIZEN)[-1]
