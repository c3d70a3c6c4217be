"""The console's forms and JSON API fed oversized, mixed-script and injection-shaped strings.

Every answer is a page or a JSON error (never a 500 or a traceback); a saved form is stored whole,
a refused one not at all; HTML is escaped and CSV cells never start a formula.
"""
from __future__ import annotations

import csv
import io
import html
from urllib.parse import quote

from hypothesis import given, settings, strategies as st

from hotline import cases, db, reference
from hotline.models import Case
from tests.console.conftest import app, client_as, officer_entity, token  # noqa: F401 - fixtures
from tests.console.test_api import api_token
from tests.fuzz.conftest import FUZZ
from tests.fuzz.strings import INJECTIONS, nasty_text, oversized_text

any_text = st.one_of(nasty_text, nasty_text, oversized_text)
# A query string is bounded by the HTTP server in front (gunicorn: 4 KiB request line).
long_query = st.one_of(nasty_text, st.builds(lambda piece, n: ((piece or "ش") * n)[:1500], nasty_text,
                                               st.integers(10, 1500)))


def no_crash(response, *codes: int) -> str:
    text = response.get_data(as_text=True)
    codes += (413,)  # more than the console accepts (MAX_CONTENT_LENGTH, form memory): refused whole
    assert response.status_code in codes, (response.status_code, text[:500])
    assert "Traceback" not in text and 'File "/' not in text
    return text


def a_case() -> tuple[int, str]:
    with db.session_scope() as session:
        case = cases.create_case(session, channel="ivr", actor="fuzz", description="وصف أولي للشكوى")
        return case.id, case.number


def reveal(client, case_id: int) -> None:
    """Show the case's identity to ``client``'s user with a reason: a supervisor edits what the
    identity gate shows them, and it masks what they have no grounds to see (issue 14)."""
    reply = client.post(f"/cases/{case_id}/identity",
                        data={"csrf_token": token(client, f"/cases/{case_id}"), "reason": "fuzzing the form"})
    assert reply.status_code == 303


def case_row(case_id: int) -> dict:
    with db.session_scope() as session:
        case = session.get(Case, case_id)
        person = case.complainant
        return {"description": case.description, "district": case.district, "address": case.address,
                "name": person.name if person else None}


def test_case_form(client_as):
    agent = client_as("supervisor")
    case_id, _ = a_case()
    reveal(agent, case_id)
    csrf = token(agent, f"/cases/{case_id}")
    governorate, category = reference.governorates()[0].slug, reference.categories()[0].code

    @settings(FUZZ, max_examples=25)
    @given(any_text, nasty_text, nasty_text, nasty_text, nasty_text, st.sampled_from(["", "01012345678"]))
    def fuzz(description, name, district, address, phone_or_junk, phone):
        before = case_row(case_id)
        form = {"csrf_token": csrf, "governorate": governorate, "category": category,
                "description": description, "name": name, "district": district, "address": address,
                "phone": phone or phone_or_junk, "note": phone_or_junk}
        response = agent.post(f"/cases/{case_id}", data=form)
        page = no_crash(response, 200, 302, 400)
        after = case_row(case_id)
        if response.status_code == 302:  # saved: all of it, as typed (a name without its blanks)
            assert after["description"] == (description or None)
            assert after["name"] == (name.strip() or None) and after["address"] == (address or None)
        else:  # refused: none of it
            assert after == before
            for attack in INJECTIONS[2:4]:
                assert attack not in page or html.escape(attack) in page

    fuzz()


def test_nul_and_lone_marks_in_every_text_field(client_as):
    supervisor = client_as("supervisor")
    case_id, _ = a_case()
    reveal(supervisor, case_id)
    governorate, category = reference.governorates()[0].slug, reference.categories()[0].code
    for text in ("وصف\x00 الشكوى هنا", "\u202eشكوى\u200f abc \x00", "\x00" * 20):
        before = case_row(case_id)
        form = {"csrf_token": token(supervisor, f"/cases/{case_id}"), "governorate": governorate,
                "category": category, "description": text, "name": text, "district": text, "address": text}
        response = supervisor.post(f"/cases/{case_id}", data=form)
        no_crash(response, 200, 302, 400)
        if response.status_code != 302:
            assert case_row(case_id) == before
        no_crash(supervisor.get("/cases", query_string={"q": text}), 200, 400)


def test_search_page_and_api(client_as):
    supervisor = client_as("supervisor")
    _, number = a_case()
    api = {"Authorization": f"Bearer {api_token(supervisor)}"}
    client = supervisor.application.test_client()

    @settings(FUZZ, max_examples=25)
    @given(long_query, nasty_text, st.one_of(st.integers(-10, 10**12).map(str), nasty_text), any_text)
    def fuzz(query, other, page, note):
        no_crash(supervisor.get("/cases", query_string={"q": query, "number": other, "page": page}), 200, 400)
        listed = client.get("/api/v1/cases", headers=api,
                            query_string={"q": query, "status": other, "page": page, "per_page": page})
        no_crash(listed, 200, 400)
        no_crash(client.get(f"/api/v1/cases/{quote(other[:300], safe='') or 'x'}", headers=api), 200, 404, 400)
        changed = client.post(f"/api/v1/cases/{number}/status", headers=api,
                              json={"status": other, "note": note})
        no_crash(changed, 200, 400, 422)

    fuzz()
    bad_json = client.post(f"/api/v1/cases/{number}/status", headers={**api, "Content-Type": "application/json"},
                           data=b"{not json\x00")
    assert no_crash(bad_json, 400, 422)


def test_login_form(app):
    client = app.test_client()
    csrf = token(client, "/login")

    @settings(FUZZ, max_examples=15)
    @given(any_text, any_text)
    def fuzz(username, password):
        no_crash(client.post("/login", data={"username": username, "password": password, "csrf_token": csrf}),
                 200, 400, 401, 429)

    fuzz()


def test_csv_export_never_starts_a_formula(client_as):
    supervisor = client_as("supervisor")
    case_id, _ = a_case()
    reveal(supervisor, case_id)
    governorate, category = reference.governorates()[0].slug, reference.categories()[0].code
    for attack in ("=HYPERLINK(\"http://x\",\"click\")", "+1+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3"):
        form = {"csrf_token": token(supervisor, f"/cases/{case_id}"), "governorate": governorate,
                "category": category, "description": attack + " وصف الشكوى", "name": attack,
                "district": attack, "address": attack, "consent": "y"}
        assert supervisor.post(f"/cases/{case_id}", data=form).status_code == 302
        exported = supervisor.get("/reports/cases.csv").get_data(as_text=True).lstrip("\ufeff")
        for row in list(csv.reader(io.StringIO(exported)))[1:]:
            for cell in row:
                assert cell[:1] not in ("=", "+", "-", "@"), (cell, row)
