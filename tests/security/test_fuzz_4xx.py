"""Hostile input on every route, as each role: never a 500, always a 4xx with a message.

Walks the console's URL map: ids past 64 bits, negative and huge ``page`` / ``per_page``, a file
in a form that takes none, JSON nested a hundred thousand deep (API and the WhatsApp webhook),
and Open311 coordinates that float() accepts but strict JSON cannot carry (nan, inf, 1e309).
"""
from __future__ import annotations

import io
import json
import re

import pytest
from hypothesis import given, settings as hsettings, strategies as st
from sqlalchemy import select

from agent_console.open311 import keys
from hotline import db, settings
from hotline.models import Entity
from tests.fuzz.conftest import FUZZ
from tests.security.conftest import csrf

HUGE = [2**63, 10**30]  # one past the largest BIGINT, and far past it
SKIP = {"auth.logout", "static"}  # signing out ends the fuzzing client's session


def no_crash(reply, where) -> None:
    body = reply.get_data(as_text=True)
    # 503 is an answer too: a part not configured here (the WhatsApp webhook) says so.
    assert reply.status_code < 500 or (reply.status_code == 503 and "not configured" in body), (
        where, reply.status_code, body[:300])
    assert "Traceback" not in body and 'File "/' not in body, where


def _url(rule, number) -> str | None:
    values = {}
    for name, converter in rule._converters.items():
        if type(converter).__name__ in ("BoundedInt", "IntegerConverter"):
            values[name] = number
        elif rule.endpoint.startswith("open311") and name == "fmt":
            values[name] = "json"
        else:
            values[name] = "x"
    try:
        return rule.build(values, append_unknown=False)[1]
    except Exception:  # a converter refuses the value: that URL cannot even be written
        return None


def _rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint not in SKIP]


@pytest.mark.parametrize("role", ["agent", "supervisor", "officer", "admin", None])
def test_ids_past_64_bits_and_huge_pages_on_every_route(app, client_as, world, role):
    client = client_as(role) if role else app.test_client()
    token = csrf(client, "/account" if role else "/login")
    for rule in _rules(app):
        for number in HUGE:
            url = _url(rule, number)
            if url is None:
                continue
            if "GET" in rule.methods:
                no_crash(client.get(url, query_string={"page": str(10**30), "per_page": str(10**30)}), url)
            if "POST" in rule.methods:
                no_crash(client.post(url, data={"csrf_token": token, "page": str(number), "call_id": str(number),
                                                "entity_id": str(number), "parent": str(number),
                                                "candidate": str(number)}), url)


def test_page_numbers_fuzzed(client_as, world):
    supervisor, officer = client_as("supervisor"), client_as("officer")

    @hsettings(FUZZ, max_examples=40)
    @given(st.one_of(st.integers(min_value=-(2**70), max_value=2**70).map(str),
                     st.sampled_from(["1e309", "nan", "-0", "٣", "9" * 400, ""])))
    def fuzz(page):
        for client, path in ((supervisor, "/cases"), (supervisor, "/audit"), (officer, "/entity/inbox"),
                             (supervisor, "/cases/find")):
            no_crash(client.get(path, query_string={"page": page, "q": page}), path)

    fuzz()


def test_a_file_in_the_case_form_is_refused(client_as, world):
    agent = client_as("agent")
    case_id = world.ids["handled"]
    reply = agent.post(f"/cases/{case_id}", data={
        "csrf_token": csrf(agent, f"/cases/{case_id}"), "governorate": "cairo", "category": "garbage",
        "description": (io.BytesIO(b"\x00" * 1000), "complaint.bin")}, content_type="multipart/form-data")
    assert reply.status_code == 400 and "takes no files" in reply.get_data(as_text=True)


def _deep(depth: int = 100_000) -> bytes:
    return b"[" * depth + b"]" * depth


def test_deeply_nested_json_to_the_api_and_the_webhook(app, client_as, world):
    from agent_console.whatsapp import signature
    from tests.security.test_matrix import api_get  # noqa: F401  (issues the token below)

    supervisor = client_as("supervisor")
    page = supervisor.post("/account", data={"csrf_token": csrf(supervisor)}).get_data(as_text=True)
    token = re.search(r'<pre id="api-token">([^<]+)</pre>', page).group(1)
    api = app.test_client()
    for body in (_deep(), b'{"status":' * 50_000 + b"1" + b"}" * 50_000):
        reply = api.post(f"/api/v1/cases/{world.numbers['masked']}/status", data=body,
                         headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        no_crash(reply, "api")
        assert reply.status_code in (400, 422) and "JSON object" in reply.get_json()["error"]
    secret = "fuzz-app-secret"
    settings.install(settings.get().replace(whatsapp_app_secret=secret))
    hook = api.post("/whatsapp/webhook", data=_deep(), content_type="application/json",
                    headers={"X-Hub-Signature-256": signature.sign(secret, _deep())})
    no_crash(hook, "webhook")
    assert hook.status_code == 400 and "nested too deeply" in hook.get_json()["error"]


@pytest.mark.parametrize("lat, long", [("nan", "31.2"), ("30", "inf"), ("1e309", "31"), ("-inf", "-inf"),
                                       ("91", "31"), ("30", "-180.5"), ("NaN", "nan")])
def test_open311_refuses_coordinates_strict_json_cannot_carry(app, world, lat, long):
    with db.session_scope() as session:
        key = keys.issue(session, session.scalar(select(Entity).where(Entity.code == "gov-cairo")), "t")
    api = app.test_client()
    reply = api.post("/open311/v2/requests.json", data={
        "api_key": key, "service_code": "garbage", "description": "قمامة", "lat": lat, "long": long})
    assert reply.status_code == 400 and "lat/long" in reply.get_json()[0]["description"]
    listed = api.get("/open311/v2/requests.json", headers={"X-Api-Key": key})
    json.loads(listed.get_data(as_text=True), parse_constant=lambda c: pytest.fail(f"served {c}"))
