"""The console's places pages through the Flask test client: the agent's duplicates panel and
merge, the entity's one item with N reports (masked per consent), the map and charts data,
the local units import, and who may reach what."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hotline import cases, db
from hotline.models import AuditEntry, Case, CasePlace, Entity
from tests.console.conftest import csrf_of
from tests.support.pages import seen, western
from tests.places.world import NASR_CITY, NEAR_NASR_CITY, PILE_AGAIN, PYRAMIDS, new_case


@pytest.fixture
def pile():
    """Three reports of one garbage pile in Nasr City (the first consented to share identity),
    and one far away in Giza."""
    ids = []
    with db.session_scope() as session:
        for i, (pin, text) in enumerate(((NASR_CITY, None), (NEAR_NASR_CITY, PILE_AGAIN), (NASR_CITY, PILE_AGAIN))):
            case = new_case(session, pin=pin, name=f"مواطن {i}", phone=f"0100000000{i}", consent=i == 0,
                            **({"description": text} if text else {}))
            session.flush()
            ids.append(case.id)
        far = new_case(session, pin=PYRAMIDS, governorate="giza")
        session.flush()
        ids.append(far.id)
    return ids


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def test_agent_sees_the_evidence_and_merges_the_reports(client_as, pile):
    agent = client_as("agent")
    html = page(agent, f"/cases/{pile[2]}")
    assert 'id="places"' in html and 'id="duplicates"' in html
    rows = re.findall(r'<tr data-case="(\d+)" class="suggestion">', html)
    assert set(map(int, rows)) == {pile[0], pile[1]}  # not the Giza one
    assert re.search(r'<td class="distance">\d+ م</td>', html) and 'class="text-score"' in html
    response = agent.post(f"/cases/{pile[2]}/merge", data={"csrf_token": csrf_of(html),
                                                           "candidate": [str(pile[0]), str(pile[1])]})
    assert response.status_code == 303
    html = page(agent, f"/cases/{pile[2]}")
    assert 'id="work-item"' in html and "3 بلاغات" in seen(html)  # in Arabic digits on the page
    with db.session_scope() as session:
        assert {session.get(CasePlace, i).cluster_id for i in pile[:3]} != {None}
        assert len({session.get(CasePlace, i).cluster_id for i in pile[:3]}) == 1


def test_merge_without_a_choice_or_token_is_refused(client_as, pile):
    agent = client_as("agent")
    html = page(agent, f"/cases/{pile[2]}")
    assert agent.post(f"/cases/{pile[2]}/merge", data={"csrf_token": csrf_of(html)}).status_code == 303
    assert "اختر شكوى" in page(agent, f"/cases/{pile[2]}")
    assert agent.post(f"/cases/{pile[2]}/merge", data={"candidate": str(pile[0])}).status_code in (303, 400)
    with db.session_scope() as session:
        assert session.get(CasePlace, pile[0]).cluster_id is None


def test_dismissed_suggestion_stays_dismissed(client_as, pile):
    agent = client_as("agent")
    html = page(agent, f"/cases/{pile[2]}")
    assert agent.post(f"/cases/{pile[2]}/dismiss/{pile[0]}", data={"csrf_token": csrf_of(html)}).status_code == 303
    with db.session_scope() as session:
        case = session.get(Case, pile[2])
        case.description = case.description + " ومن غير صندوق"  # a change searches again
    rows = re.findall(r'<tr data-case="(\d+)" class="suggestion">', page(agent, f"/cases/{pile[2]}"))
    assert list(map(int, rows)) == [pile[1]]


def test_agent_sets_a_pin_and_a_bad_one_is_refused(client_as):
    with db.session_scope() as session:
        case_id = new_case(session, governorate="cairo", channel="console").id
    agent = client_as("agent")
    html = page(agent, f"/cases/{case_id}")
    token = csrf_of(html)
    assert agent.post(f"/cases/{case_id}/pin", data={"csrf_token": token, "latitude": "x", "longitude": "1"}).status_code == 303
    assert agent.post(f"/cases/{case_id}/pin", data={"csrf_token": token, "latitude": "48.85", "longitude": "2.35"}).status_code == 303
    assert "ليست داخل مصر" in page(agent, f"/cases/{case_id}")
    agent.post(f"/cases/{case_id}/pin", data={"csrf_token": token, "latitude": str(PYRAMIDS[0]), "longitude": str(PYRAMIDS[1])})
    html = page(agent, f"/cases/{case_id}")
    assert 'id="governorate-conflict"' in html  # a Giza pin on a Cairo case
    with db.session_scope() as session:
        assert session.get(CasePlace, case_id).pin_governorate == "giza"


def _route_work_item(pile):
    from hotline import clusters
    from hotline.models import User

    with db.session_scope() as session:
        agent = session.scalar(select(User).where(User.username == "agent"))
        reports = [session.get(Case, i) for i in pile[:3]]
        cluster = clusters.merge(session, reports, user=agent)
        entity = session.scalar(select(Entity).where(Entity.code == "cairo-cleaning"))
        cases.route(session, session.get(Case, cluster.lead_case_id), entity, actor="agent", user=agent)
        return cluster.lead_case_id


def test_the_entity_sees_one_item_with_n_reports_masked_per_consent(client_as, pile, giza_officer):
    lead = _route_work_item(pile)
    officer = client_as("officer")
    inbox = page(officer, "/entity/inbox")
    listed = re.findall(r'data-case="(\d+)"', inbox)
    assert listed == [str(lead)]
    assert "3 بلاغات" in seen(inbox)
    html = page(officer, f"/entity/cases/{lead}")
    assert 'id="work-item-reports"' in html
    names = re.findall(r'<td class="name"><bdi dir="auto">([^<]*)</bdi></td>', html)
    phones = [western(p) for p in re.findall(r'<td class="phone">(?:<bdi dir="ltr">)?([^<]*)', html)]
    assert names[0] == "مواطن 0" and phones[0] == "01000000000"  # consented
    assert names[1:] == ["***", "***"] and all("0100000000" not in p for p in phones[1:])
    with db.session_scope() as session:
        viewed = session.scalars(select(AuditEntry.case_id).where(AuditEntry.action == "identity.viewed")).all()
        assert pile[0] in viewed and pile[1] not in viewed and pile[2] not in viewed
    # Another entity's officer cannot open the work item at all.
    assert client_as(giza_officer).get(f"/entity/cases/{lead}").status_code == 404


def test_map_data_counts_open_complaints_and_shows_work_items(client_as, pile):
    _route_work_item(pile)
    supervisor = client_as("supervisor")
    assert 'id="hotspot-map"' in page(supervisor, "/map")
    data = supervisor.get("/map/data.json?category=garbage").get_json()
    assert data["open"] == {"cairo": 3, "giza": 1}
    assert len(data["clusters"]) == 1 and data["clusters"][0]["reports"] == 3
    assert set(data["clusters"][0]) >= {"lat", "lon", "number", "reports"}
    assert "description" not in str(data) and "مواطن" not in str(data)
    assert supervisor.get("/map/data.json?category=health").get_json()["open"] == {}
    shapes = supervisor.get("/map/governorates.geojson").get_json()
    assert len(shapes["features"]) == 27


def test_charts_show_weekly_series_and_sla_per_entity(client_as, pile):
    _route_work_item(pile)
    html = page(client_as("supervisor"), "/charts")
    assert 'id="weekly-governorate"' in html and 'id="weekly-category"' in html
    assert re.search(r'<tr data-key="cairo"><td>[^<]+</td><td>3</td></tr>', western(html))  # ٣ on the page
    assert 'data-entity="cairo-cleaning"' in html and "<polyline" in html
    # One category's weeks by governorate, one governorate's by category.
    html = page(client_as("supervisor"), "/charts?category=health&governorate=giza")
    assert not re.search(r'<tr data-key="cairo">', html.split('id="weekly-category"')[0])
    assert re.search(r'<tr data-key="garbage"><td>[^<]+</td><td>1</td></tr>', western(html))


ROUTES = [("get", "/map"), ("get", "/map/data.json"), ("get", "/map/governorates.geojson"), ("get", "/charts"),
          ("get", "/admin/units"), ("post", "/cases/{c}/merge"), ("post", "/cases/{c}/detach"),
          ("post", "/cases/{c}/pin"), ("post", "/cases/{c}/dismiss/{d}"), ("post", "/cases/{c}/route-by-place")]
ALLOWED = {"agent": {"/cases/{c}/merge", "/cases/{c}/detach", "/cases/{c}/pin", "/cases/{c}/dismiss/{d}",
                     "/cases/{c}/route-by-place"},
           "supervisor": {"/map", "/map/data.json", "/map/governorates.geojson", "/charts", "/cases/{c}/merge",
                          "/cases/{c}/detach", "/cases/{c}/pin", "/cases/{c}/dismiss/{d}",
                          "/cases/{c}/route-by-place"},
           "admin": {"/admin/units"}, "reviewer": set(), "officer": set()}


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_each_role_reaches_only_its_pages(client_as, pile, role):
    client = client_as(role)
    token = csrf_of(page(client, "/account"))  # a real token: the permission check must refuse
    for method, pattern in ROUTES:
        url = pattern.format(c=pile[2], d=pile[0])
        status = (client.get(url) if method == "get" else client.post(url, data={"csrf_token": token})).status_code
        if pattern in ALLOWED[role]:
            assert status != 403, (role, url)
        else:
            assert status == 403, (role, url, status)


def test_anonymous_is_sent_to_sign_in_but_open_data_is_public(app, pile):
    client = app.test_client()
    for url in ("/map", "/map/data.json", "/charts", "/admin/units", f"/cases/{pile[0]}/photos/1/thumb"):
        assert client.get(url).status_code in (302, 401), url
    assert client.get("/open-data").status_code == 200


def test_thumbnail_of_another_cases_photo_is_not_found(client_as, pile):
    from hotline.models import Attachment

    with db.session_scope() as session:
        session.add(Attachment(case_id=pile[1], kind="photo", media_type="image/jpeg"))
        session.flush()
        attachment = session.scalar(select(Attachment.id))
    assert client_as("agent").get(f"/cases/{pile[0]}/photos/{attachment}/thumb").status_code == 404


def _plain(html: str) -> str:
    """The page's text without its tags (a code's <bdi> inside a sentence), digits as 0-9."""
    import html as markup

    return western(markup.unescape(re.sub(r"<[^>]+>", "", html)))


def test_admin_imports_units_and_sees_every_problem(client_as):
    import io

    from tests.places.test_units import HEADER, SAMPLE

    admin = client_as("admin")
    html = page(admin, "/admin/units")
    bad = HEADER + "lu-z,gov-cairo,district,,Z,,,,,\nlu-z2,gov-nowhere,district,ح,Z,,,,,\n"
    response = admin.post("/admin/units", data={"csrf_token": csrf_of(html), "file": (io.BytesIO(bad.encode()), "u.csv")},
                          content_type="multipart/form-data")
    body = _plain(response.get_data(as_text=True))
    assert response.status_code == 400 and "السطر 2: name_ar: مطلوب" in body and "السطر 3: الجهة الأعلى «gov-nowhere»" in body
    admin.get("/lang/en")
    response = admin.post("/admin/units", data={"csrf_token": csrf_of(html), "file": (io.BytesIO(bad.encode()), "u.csv")},
                          content_type="multipart/form-data")
    body = _plain(response.get_data(as_text=True))
    assert response.status_code == 400 and "line 2: name_ar: required" in body and "line 3: parent 'gov-nowhere'" in body
    admin.get("/lang/ar")
    response = admin.post("/admin/units", data={"csrf_token": csrf_of(html),
                                                "file": (io.BytesIO(SAMPLE.encode()), "u.csv")},
                          content_type="multipart/form-data")
    assert response.status_code == 303
    html = page(admin, "/admin/units")
    assert 'data-code="lu-giza-ausim-bartos"' in html and "استوردت 1 وحدة جديدة" in seen(html)
    with db.session_scope() as session:
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "entities.units_imported"))


@pytest.mark.parametrize("language", ["ar", "en"])
def test_every_problem_the_import_finds_is_said_in_the_pages_language(app, language):
    """Each problem hotline.unit_import can report has the console's words, in one language and
    its digits, what the file holds shown as written (the page's crawl rules, tests/shift/crawl.py)."""
    from flask import session as cookie

    from agent_console.places import units
    from hotline import unit_import
    from tests.shift import crawl

    values = {"columns": ["colour", "size"], "limit": 20000, "code": "Bad Code", "entity_kind": "ministry",
              "kind": "hamlet", "kinds": unit_import.KINDS, "column": "name_ar", "parent": "gov-nowhere",
              "latitude": "29.9792", "longitude": "31.1342", "found": "giza", "governorate": "cairo",
              "categories": ["parking"]}
    assert set(units.PROBLEMS) == set(unit_import.MESSAGES)
    with app.test_request_context():
        cookie["lang"] = language
        for what, english in unit_import.MESSAGES.items():
            problem = unit_import.Problem(7, what, {k: values[k] for k in re.findall(r"{(\w+)", english)})
            html = f'<html lang="{language}"><body><p>{units._worded(problem)}</p></body></html>'
            assert crawl.problems(html, language) == [], (what, html)
            assert ("السطر ٧: " if language == "ar" else "line 7: ") in crawl.words(html, language), html


def test_route_by_place_reaches_the_unit_that_collects_garbage(client_as):
    from hotline import unit_import
    from tests.places.test_units import SAMPLE

    with db.session_scope() as session:
        unit_import.load(session, SAMPLE)
        case_id = new_case(session, pin=NASR_CITY, channel="console").id
    agent = client_as("agent")
    html = page(agent, f"/cases/{case_id}")
    assert 'id="route-by-place"' in html and "Nasr City East" not in html  # Arabic page
    assert agent.post(f"/cases/{case_id}/route-by-place", data={"csrf_token": csrf_of(html)}).status_code == 303
    with db.session_scope() as session:
        case = session.get(Case, case_id)
        assert case.status.value == "routed" and case.entity.code == "lu-cairo-nasr-city-east"


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_places_pages_speak_the_readers_language(client_as, pile, language):
    """What tests/shift/test_crawl.py's world lacks: the place panel with a pin, a governorate
    conflict, suggestions with their evidence and a work item, the entity's reports behind it,
    its inbox, and the units table after an import, each read by the crawl's rules."""
    from hotline import clusters, unit_import
    from hotline.models import User
    from tests.places.test_units import SAMPLE
    from tests.shift import crawl

    with db.session_scope() as session:
        agent = session.scalar(select(User).where(User.username == "agent"))
        cluster = clusters.merge(session, [session.get(Case, i) for i in pile[:2]], user=agent)
        lead = cluster.lead_case_id
        cases.route(session, session.get(Case, lead), session.scalar(select(Entity).where(Entity.code == "cairo-cleaning")),
                    actor="agent", user=agent)
        conflict = new_case(session, pin=PYRAMIDS, governorate="cairo", channel="ivr")
        session.flush()
        conflict = conflict.id
        unit_import.load(session, SAMPLE)
    pages = {"agent": [f"/cases/{pile[2]}", f"/cases/{lead}", f"/cases/{conflict}"],
             "officer": ["/entity/inbox", f"/entity/cases/{lead}"], "supervisor": ["/map", "/charts"],
             "admin": ["/admin/units"]}
    shown, failures = "", []
    for role, urls in pages.items():
        client = client_as(role)
        client.get(f"/lang/{language}")
        for url in urls:
            html = page(client, url)
            shown += html
            found = crawl.problems(html, language)
            if found:
                failures.append(f"{role} {url}: " + "; ".join(found[:8]))
    assert not failures, "\n".join(failures)
    for part in ('class="in-work-item"', 'id="work-item"', 'id="governorate-conflict"',
                 'id="work-item-reports"', 'class="reports"', 'data-code="lu-giza-ausim-bartos"'):
        assert part in shown, part  # each part was there to be read
