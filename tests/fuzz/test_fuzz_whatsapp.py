"""The WhatsApp webhook fed malformed, oversized and wrongly-signed bodies: 4xx with a reason, no half-stored rows."""
from __future__ import annotations

import json

from hypothesis import given, settings, strategies as st
from sqlalchemy import func, select

from agent_console.whatsapp import signature
from agent_console.whatsapp.models import Message
from hotline import db
from tests.fuzz.conftest import FUZZ
from tests.fuzz.strings import nasty_text
from tests.whatsapp import webhooks
from tests.whatsapp.conftest import APP_SECRET, app, client, drain, graph_api  # noqa: F401 - fixtures

json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), nasty_text)
json_any = st.recursive(json_leaf, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=20)
KEYS = ["object", "entry", "changes", "value", "field", "metadata", "messages", "statuses", "id", "from",
        "type", "text", "body", "timestamp", "phone_number_id", "display_phone_number", "errors"]


def _mutate(draw, body):
    """Replace one nested value of a real body with garbage (a list, a string, a deep object…)."""
    node = body
    path = draw(st.lists(st.sampled_from(KEYS + [0]), min_size=1, max_size=7))
    for key in path[:-1]:
        child = node[key] if isinstance(node, dict) and key in node else \
            node[key] if isinstance(node, list) and isinstance(key, int) and node else None
        if not isinstance(child, (dict, list)):
            break
        node = child
    garbage = draw(json_any)
    if isinstance(node, dict):
        node[str(path[-1]) if not isinstance(path[-1], str) else path[-1]] = garbage
    elif isinstance(node, list) and node:
        node[0] = garbage
    return body


@st.composite
def malformed_bodies(draw):
    real = draw(st.sampled_from([webhooks.text("شكوى"), webhooks.image("1234567890"),
                                 webhooks.text(draw(nasty_text))]))
    body = json.loads(json.dumps(real))
    for _ in range(draw(st.integers(0, 3))):
        body = _mutate(draw, body)
    return body


def stored() -> int:
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(Message).where(Message.direction == "in"))


def deliver(client, raw: bytes, header: str | None):
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["X-Hub-Signature-256"] = header
    return client.post("/whatsapp/webhook", data=raw, headers=headers)


def clear_refusal(response, *codes: int) -> None:
    text = response.get_data(as_text=True)
    assert response.status_code in codes, (response.status_code, text[:300])
    assert "Traceback" not in text and 'File "' not in text
    if 400 <= response.status_code != 413:
        assert response.get_json()["error"]


def test_wrongly_signed_bodies_are_refused(client):
    @settings(FUZZ, max_examples=60)
    @given(st.one_of(st.binary(max_size=500), malformed_bodies().map(lambda b: json.dumps(b).encode())),
           st.one_of(st.none(), st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=80), st.just("sha256=" + "0" * 64),
                     st.just(signature.sign("another-secret", b"{}"))))
    def fuzz(raw, header):
        before = stored()
        clear_refusal(deliver(client, raw, header), 401)
        assert stored() == before

    fuzz()


def test_signed_garbage_is_a_bad_request_or_read(client):
    @settings(FUZZ, max_examples=120)
    @given(st.one_of(st.binary(max_size=300), malformed_bodies().map(lambda b: json.dumps(b).encode()),
                     json_any.map(lambda b: json.dumps(b).encode())))
    def fuzz(raw):
        before = stored()
        response = deliver(client, raw, signature.sign(APP_SECRET, raw))
        clear_refusal(response, 200, 400)
        added = response.get_json().get("stored", 0) if response.status_code == 200 else 0
        assert stored() == before + added  # all of a body or nothing of it

    fuzz()
    drain()


def test_an_oversized_body_is_refused_before_it_is_read(client):
    raw = json.dumps(webhooks.text("x" * (3 * 1024 * 1024))).encode()
    response = deliver(client, raw, signature.sign(APP_SECRET, raw))
    clear_refusal(response, 413)
    assert stored() == 0
