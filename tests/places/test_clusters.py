"""Duplicates found on create and change, merged into one work item routed once; every
complainant keeps their number and status and hears of the answer; the entity sees one item."""
from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from hotline import cases, clusters, db, duplicates, similarity
from hotline.errors import ValidationError
from hotline.models import (Case, CaseHistory, CasePlace, CaseStatus, DuplicateSuggestion, Entity,
                            PhotoHash, Response, User)
from hotline.notifications.models import Notification
from tests.places.world import NASR_CITY, NEAR_NASR_CITY, OTHER, PILE, PILE_AGAIN, PYRAMIDS, make_users, new_case


def suggestions(session, case_id):
    return {s.candidate_id: s for s in session.scalars(
        select(DuplicateSuggestion).where(DuplicateSuggestion.case_id == case_id))}


def test_a_new_report_of_the_same_pile_is_suggested_with_its_evidence(db_url):
    with db.session_scope() as session:
        first = new_case(session, pin=NASR_CITY).id
        other_category = new_case(session, pin=NASR_CITY, category="roads_traffic", description=OTHER).id
        far = new_case(session, pin=PYRAMIDS, governorate="giza").id
    with db.session_scope() as session:
        second = new_case(session, pin=NEAR_NASR_CITY, description=PILE_AGAIN).id
    with db.session_scope() as session:
        found = suggestions(session, second)
        assert set(found) == {first}
        evidence = found[first]
        assert 100 < evidence.distance_m < 140 and evidence.text_score > 0.4 and evidence.score >= 0.55
        assert other_category not in found and far not in found


def test_text_alone_nearby_is_not_enough_when_it_is_another_problem(db_url):
    with db.session_scope() as session:
        new_case(session, pin=NASR_CITY)
        lone = new_case(session, pin=NEAR_NASR_CITY, description="صندوق القمامة مكسور ولا يفرغ أبدا عند المخبز").id
    with db.session_scope() as session:
        assert suggestions(session, lone) == {}


def _photo(seed: int, shift: int = 0) -> bytes:
    """A scene of coloured blobs; ``shift`` re-shoots it: cropped by a few pixels, smaller, brighter
    and saved at another JPEG quality, as a second phone would."""
    import random

    rng = random.Random(seed)
    image = Image.new("RGB", (640, 480), (200, 190, 170))
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randrange(640), rng.randrange(480)
        draw.ellipse((x, y, x + rng.randrange(20, 120), y + rng.randrange(20, 120)),
                     fill=(rng.randrange(255), rng.randrange(255), rng.randrange(255)))
    if shift:
        image = image.crop((shift, shift, 640 - shift, 480 - shift)).resize((480, 360))
        image = image.point(lambda v: min(255, v + 12))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70 if shift else 92)
    return out.getvalue()


def test_photo_hash_matches_the_same_scene_and_not_another():
    same = similarity.photo_bits(similarity.photo_hash(_photo(1)), similarity.photo_hash(_photo(1, shift=6)))
    other = similarity.photo_bits(similarity.photo_hash(_photo(1)), similarity.photo_hash(_photo(2)))
    assert same <= 10 < 20 <= other


def test_the_same_pile_photographed_twice_is_suggested_even_with_other_words(db_url, isolated_settings):
    from recordings import keyring, photos

    from hotline import settings
    from tests.conftest import use_settings

    identity = isolated_settings.var_dir / "age.txt"
    identity.parent.mkdir(parents=True, exist_ok=True)
    use_settings(settings.get().replace(age_recipients=(keyring.write_identity(identity),),
                                        age_identity_file=identity))
    with db.session_scope() as session:
        first = new_case(session, pin=NASR_CITY)
        photos.store_photo(session, first, _photo(7), "image/jpeg")
    with db.session_scope() as session:
        second = new_case(session, pin=NEAR_NASR_CITY, description="شوفوا الصورة دي لو سمحتم")
        photos.store_photo(session, second, _photo(7, shift=3), "image/jpeg")
        second_id, first_id = second.id, first.id
    with db.session_scope() as session:
        assert session.scalar(select(func.count()).select_from(PhotoHash)) == 2
        found = suggestions(session, second_id)[first_id]
        assert found.photo_distance <= 10 and found.score >= 0.9 and found.text_score < 0.3


def test_a_changed_case_is_searched_again(db_url):
    with db.session_scope() as session:
        first = new_case(session, pin=NASR_CITY).id
        second = new_case(session, pin=PYRAMIDS, governorate="giza", description=PILE_AGAIN).id
    with db.session_scope() as session:
        assert suggestions(session, second) == {}
        case = session.get(Case, second)
        case.latitude, case.longitude, case.governorate = (*NEAR_NASR_CITY, "cairo")
    with db.session_scope() as session:
        assert set(suggestions(session, second)) == {first}


def _merged(session):
    make_users()
    agent = session.scalar(select(User).where(User.username == "agent"))
    reports = [new_case(session, pin=NASR_CITY, phone=f"0101234567{i}", consent=i == 0) for i in range(3)]
    session.flush()
    cluster = clusters.merge(session, reports, user=agent)
    return agent, reports, cluster


def test_merge_makes_one_work_item_routed_once_and_answered_to_everyone(db_url):
    with db.session_scope() as session:
        agent, reports, cluster = _merged(session)
        lead = session.get(Case, cluster.lead_case_id)
        assert lead.id == reports[0].id and cluster.reports == 3
        entity = session.scalar(select(Entity).where(Entity.code == "cairo-cleaning"))
        cases.route(session, lead, entity, actor="agent", user=agent)
        ids = [c.id for c in reports]
    with db.session_scope() as session:
        for case_id in ids:
            case = session.get(Case, case_id)
            assert case.status == CaseStatus.routed and case.entity.code == "cairo-cleaning"
        numbers = {session.get(Case, i).number for i in ids}
        assert len(numbers) == 3  # each complainant keeps their own number
        # The entity's inbox: the lead alone, standing for 3 reports.
        visible = session.scalars(clusters.one_per_cluster(select(Case.id).where(Case.id.in_(ids)))).all()
        assert visible == [ids[0]] and clusters.reports(session, ids[0]) == 3
        officer = session.scalar(select(User).where(User.username == "officer"))
        lead = session.get(Case, ids[0])
        session.add(Response(case_id=lead.id, entity_id=officer.entity_id, user_id=officer.id,
                             body="تم رفع المخلفات صباح اليوم"))
        session.flush()
        cases.change_status(session, lead, CaseStatus.answered, actor="officer", user=officer)
    with db.session_scope() as session:
        for case_id in ids:
            assert session.get(Case, case_id).status == CaseStatus.answered
            told = session.scalars(select(Notification).where(Notification.case_id == case_id)).all()
            assert [n.status for n in told] == ["answered"], case_id
            body = session.scalar(select(Response.body).where(Response.case_id == case_id))
            assert body == "تم رفع المخلفات صباح اليوم"
        notes = session.scalars(select(CaseHistory.note).where(CaseHistory.case_id == ids[2])).all()
        assert any("merged into work item" in (n or "") for n in notes)


def test_a_late_report_joins_a_routed_work_item_and_is_routed_with_it(db_url):
    with db.session_scope() as session:
        agent, reports, cluster = _merged(session)
        entity = session.scalar(select(Entity).where(Entity.code == "cairo-cleaning"))
        cases.route(session, reports[0], entity, actor="agent", user=agent)
    with db.session_scope() as session:
        late = new_case(session, pin=NEAR_NASR_CITY, description=PILE_AGAIN)
        session.flush()
        late_id = late.id
    with db.session_scope() as session:
        assert reports[0].id in suggestions(session, late_id)  # the lead, among others
        agent = session.scalar(select(User).where(User.username == "agent"))
        clusters.merge(session, [session.get(Case, late_id), session.get(Case, reports[1].id)], user=agent)
    with db.session_scope() as session:
        late = session.get(Case, late_id)
        assert late.status == CaseStatus.routed and late.entity.code == "cairo-cleaning"
        assert clusters.reports(session, reports[0].id) == 4
        assert suggestions(session, late_id) == {}  # no longer suggested: merged


def test_merge_refuses_closed_mixed_or_single(db_url):
    with db.session_scope() as session:
        make_users()
        agent = session.scalar(select(User).where(User.username == "agent"))
        a, b = new_case(session, pin=NASR_CITY), new_case(session, pin=NASR_CITY, category="roads_traffic")
        c = new_case(session, pin=NASR_CITY)
        session.flush()
        cases.change_status(session, c, CaseStatus.rejected, actor="agent")
        with pytest.raises(ValidationError, match="one category"):
            clusters.merge(session, [a, b], user=agent)
        with pytest.raises(ValidationError, match="no longer open"):
            clusters.merge(session, [a, c], user=agent)
        with pytest.raises(ValidationError, match="at least two"):
            clusters.merge(session, [a, a], user=agent)


def test_detach_takes_a_report_out_and_the_last_pair_dissolves(db_url):
    with db.session_scope() as session:
        agent, reports, cluster = _merged(session)
        clusters.detach(session, reports[0], user=agent)  # the lead leaves: another leads
        assert cluster.lead_case_id == reports[1].id and cluster.reports == 2
        clusters.detach(session, reports[2], user=agent)
        assert all(session.get(CasePlace, c.id).cluster_id is None for c in reports)


def test_the_candidate_query_leaves_out_closed_old_and_far_cases(db_url):
    from datetime import timedelta

    from hotline.models import utcnow

    with db.session_scope() as session:
        old = new_case(session, pin=NASR_CITY)
        old.created_at = utcnow() - timedelta(days=90)
        closed = new_case(session, pin=NASR_CITY)
        session.flush()
        cases.change_status(session, closed, CaseStatus.rejected, actor="agent")
        near = new_case(session, pin=NEAR_NASR_CITY)
        session.flush()
        ids = (old.id, closed.id, near.id)
    with db.session_scope() as session:
        session.get(CasePlace, ids[0]).created_at = utcnow() - timedelta(days=90)
    with db.session_scope() as session:
        probe = new_case(session, pin=NASR_CITY)
        session.flush()
    with db.session_scope() as session:
        place = session.get(CasePlace, probe.id)
        assert [p.case_id for p in duplicates.candidates(session, place)] == [ids[2]]


def test_arabic_spelling_variants_and_clitics_agree():
    a = similarity.text_of("تراكم القمامة أمام مدرسة الشهيد أحمد", "شارع مصطفى النحاس ٥")
    b = similarity.text_of("والقمامه متراكمه قدام مدرسه الشهيد احمد", "بشارع مصطفي النحاس 5")
    other = similarity.text_of("انقطاع الكهرباء عن العمارة منذ يومين")
    assert similarity.text_score(a, b) > 0.5 > 0.2 > similarity.text_score(a, other)


def test_a_transcript_arriving_later_finds_the_duplicate(db_url):
    from hotline.models import Recording, Transcript

    with db.session_scope() as session:
        first = new_case(session, pin=NASR_CITY).id
        spoken = new_case(session, pin=NEAR_NASR_CITY, description="مكالمة", channel="ivr").id
    with db.session_scope() as session:
        assert suggestions(session, spoken) == {}
        recording = Recording(case_id=spoken, status="stored")
        session.add(recording)
        session.flush()
        session.add(Transcript(recording_id=recording.id, case_id=spoken, text=PILE_AGAIN,
                               search_text=similarity.text_of(PILE_AGAIN)))
    with db.session_scope() as session:
        assert set(suggestions(session, spoken)) == {first}
