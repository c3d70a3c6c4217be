"""Playback through the console's review route: byte ranges, refusal by role, and the audit trail."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from recording_helpers import spool_copy, spooled
from hotline import db, reference, settings, users
from hotline.models import AuditEntry, Call, Recording, User
from recordings import intake, playback, vault
from tests.support.console_app import console_app
from tests.support.playback import audio_url, listen

PASSWORD = "correct horse battery"
ROLES = {"agent": "agent", "other_agent": "agent", "supervisor": "supervisor",
         "reviewer": "quality_reviewer", "officer": "entity_officer", "admin": "admin"}


@pytest.fixture
def console(db_url, identity, tone_dir):
    """A console app, one user per role, and a stored recording of a case ``agent`` is completing."""
    from agent_console import agents

    with db.session_scope() as session:
        for name, role in ROLES.items():
            users.create_user(session, username=name, password=PASSWORD, role=role,
                              entity_code=reference.governorates()[0].code if role == "entity_officer" else None,
                              extension={"agent": "101", "other_agent": "102"}.get(name))
        call = Call(uniqueid="1700000000.7", mode="agi", language="ar")
        session.add(call)
        session.flush()
        agent = session.scalar(select(User).where(User.username == "agent"))
        case = agents.take(session, agent, call)
        rid = intake.accept(session, spooled(session, spool_copy(tone_dir, "wav"), "wav", case=case)).id
    with console_app() as app:
        yield app, rid


def _client(app, username: str | None):
    client = app.test_client()
    if username:
        page = client.get("/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        response = client.post("/login", data={"username": username, "password": PASSWORD,
                                               "csrf_token": csrf})
        assert response.status_code == 302
    return client


def _reviewer(app, rid: int, reason: str):
    """A reviewer who gave ``reason`` for listening to recording ``rid``."""
    client = _client(app, "reviewer")
    assert listen(client, rid, reason).status_code == 200
    return client


def _plays() -> list[AuditEntry]:
    with db.session_scope() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == "recording.played")))


def test_range_requests(console):
    app, rid = console
    with db.session_scope() as session:
        wav = playback.load(session, rid)
    total = len(wav)
    client = _client(app, "reviewer")
    url = audio_url(client, rid, "quality check")

    whole = client.get(url)
    assert whole.status_code == 200 and whole.data == wav
    assert whole.headers["Accept-Ranges"] == "bytes" and whole.mimetype == "audio/wav"
    for header, (start, end) in {"bytes=0-1": (0, 1), "bytes=1000-2999": (1000, 2999),
                                 "bytes=-100": (total - 100, total - 1),
                                 f"bytes={total - 10}-": (total - 10, total - 1)}.items():
        part = client.get(url, headers={"Range": header})
        assert part.status_code == 206, header
        assert part.headers["Content-Range"] == f"bytes {start}-{end}/{total}"
        assert part.headers["Accept-Ranges"] == "bytes"
        assert part.data == wav[start:end + 1]
    refused = client.get(url, headers={"Range": f"bytes={total}-"})
    assert refused.status_code == 416 and refused.headers["Content-Range"] == f"bytes */{total}"


def test_refused_for_every_role_not_allowed(console):
    app, rid = console
    url = f"/recordings/{rid}/audio"
    for username in ("other_agent", "supervisor", "officer", "admin"):
        client = _client(app, username)
        assert listen(client, rid, "curious").status_code == 403, username
        assert client.get(url).status_code in (400, 403), username
    anonymous = _client(app, None).get(url)
    assert anonymous.status_code in (302, 401) and not anonymous.data.startswith(b"RIFF")
    assert _plays() == []


def test_allowed_roles_are_audited_with_reason(console):
    app, rid = console
    reviewer, agent = _client(app, "reviewer"), _client(app, "agent")
    played = reviewer.get(audio_url(reviewer, rid, "quality check 7"))
    assert played.status_code == 200
    own = agent.get(audio_url(agent, rid, "completing the form"), headers={"Range": "bytes=0-"})
    assert own.status_code == 206
    entries = _plays()
    with db.session_scope() as session:
        who = {session.get(User, e.user_id).username: e for e in entries}
    assert set(who) == {"reviewer", "agent"}
    assert who["reviewer"].reason == "quality check 7" and who["reviewer"].object_id == str(rid)
    assert who["agent"].reason == "completing the form" and who["agent"].at is not None
    assert _client(app, "reviewer").get(f"/recordings/{rid}/audio").status_code == 400  # no reason
    # A reason in the URL would reach access logs: refused, even with one given before.
    assert reviewer.get(f"/recordings/{rid}/audio?reason=quality").status_code == 400


def test_tampered_recording_is_not_served(console):
    app, rid = console
    with db.session_scope() as session:
        path = vault.resolve(session.get(Recording, rid).vault_path)
    blob = bytearray(path.read_bytes())
    blob[-20] ^= 0xFF
    path.write_bytes(bytes(blob))
    response = _reviewer(app, rid, "quality check").get(f"/recordings/{rid}/audio")
    assert response.status_code == 409 and not response.data.startswith(b"RIFF")
    with db.session_scope() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "recording.played")) == 0


def test_a_range_is_served_from_authenticated_chunks(console):
    """A seek decrypts only the chunks it needs: a damaged chunk is refused where a range
    begins in it; a range elsewhere is served, byte for byte what was recorded."""
    app, rid = console
    wav = _three_chunks_long(rid)
    with db.session_scope() as session:
        path = vault.resolve(session.get(Recording, rid).vault_path)
    blob = bytearray(path.read_bytes())
    blob[-20] ^= 0xFF  # inside the last chunk
    path.write_bytes(bytes(blob))
    client = _client(app, "reviewer")
    url = audio_url(client, rid, "quality check")
    assert client.get(url, headers={"Range": "bytes=-100"}).status_code == 409
    assert _plays() == []
    first = client.get(url, headers={"Range": "bytes=0-65535"})
    assert first.status_code == 206 and first.data == wav[:65536]
    # A range running into the damaged chunk stops there: fewer bytes than announced.
    across = client.get(url, headers={"Range": "bytes=65000-"})
    assert across.status_code == 206
    assert across.data == wav[65000:2 * 65536] and int(across.headers["Content-Length"]) > len(across.data)
    assert client.get(url).status_code == 409  # the whole file is checked whole


def _three_chunks_long(rid: int) -> bytes:
    """Give recording ``rid`` a canonical WAV of three age chunks (~11 s); returns the WAV."""
    import io
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        writer.writeframes(bytes(range(256)) * 700)
    wav = out.getvalue()
    sealed = vault.store(wav, f"r{rid}-long.wav", "recordings")
    with db.session_scope() as session:
        recording = session.get(Recording, rid)
        recording.vault_path, recording.sha256, recording.size = sealed.path, sealed.sha256, sealed.size
        recording.header_sha256 = sealed.header_sha256
    return wav


def test_a_swapped_file_is_refused_before_any_range(console, tone_dir):
    app, rid = console
    with db.session_scope() as session:
        other = intake.accept(session, spooled(session, spool_copy(tone_dir, "wav"), "wav"))
        session.flush()
        mine = session.get(Recording, rid)
        # The same tone, encrypted again: same size and plaintext hash, another encryption.
        vault.resolve(mine.vault_path).write_bytes(vault.resolve(other.vault_path).read_bytes())
    response = _reviewer(app, rid, "quality check").get(f"/recordings/{rid}/audio",
                                            headers={"Range": "bytes=100-199"})
    assert response.status_code == 409 and not response.data.startswith(b"RIFF")
    assert _plays() == []


def test_a_listening_that_starts_mid_file_is_audited_once(console):
    """No range escapes the audit: the first request, wherever it starts, is one listening."""
    app, rid = console
    client = _client(app, "reviewer")
    url = audio_url(client, rid, "spot check")
    assert client.get(url, headers={"Range": "bytes=1-"}).status_code == 206
    assert client.get(url, headers={"Range": "bytes=5000-"}).status_code == 206  # a seek
    assert [e.reason for e in _plays()] == ["spot check"]


def test_a_host_without_the_key_answers_503_not_a_crash(console, tmp_path):
    from recordings import keyring

    app, rid = console
    other = tmp_path / "other-identity.txt"
    keyring.write_identity(other)
    settings.install(settings.get().replace(age_identity_file=other))
    response = _reviewer(app, rid, "quality check").get(f"/recordings/{rid}/audio")
    assert response.status_code == 503 and not response.data.startswith(b"RIFF")
    assert _plays() == []
