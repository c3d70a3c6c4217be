"""Migrations on SQLite and PostgreSQL, init-db idempotence, and personal data at rest."""
from pathlib import Path

import pytest
from sqlalchemy import exc, func, inspect, select, text

from hotline import db, migrate, pii, settings
from hotline.models import Base, Call, Complainant, Entity, RoutingRule
from tests.conftest import run_command

NATIONAL_ID = "29001011234567"
PHONE = "01001234567"


def test_migrations_create_every_model_table(db_url):
    assert migrate.current() == migrate.head()
    tables = set(inspect(db.engine()).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_migrations_upgrade_an_empty_database_and_do_nothing_twice(isolated_settings):
    migrate.upgrade()
    migrate.upgrade()
    assert migrate.current() == migrate.head()


def test_init_db_twice_changes_nothing(isolated_settings):
    first = run_command(isolated_settings, "init-db")
    assert first.returncode == 0, first.stderr
    assert f"schema empty → {migrate.head()}" in first.stdout
    with db.session_scope() as session:
        before = (session.scalar(select(func.count()).select_from(Entity)),
                  session.scalar(select(func.count()).select_from(RoutingRule)))
    second = run_command(isolated_settings, "init-db")
    assert second.returncode == 0, second.stderr
    assert "schema unchanged; reference data: 0 entity and 0 rule changes" in second.stdout
    with db.session_scope() as session:
        after = (session.scalar(select(func.count()).select_from(Entity)),
                 session.scalar(select(func.count()).select_from(RoutingRule)))
    assert before == after and before[0] >= 27 + 10 + 20


def test_init_db_keeps_routing_rules_an_admin_changed(db_url):
    from hotline import reference

    with db.session_scope() as session:
        rule = session.scalar(select(RoutingRule).where(RoutingRule.category == "health"))
        rule.entity_id = session.scalar(select(Entity.id).where(Entity.code == "gov-luxor"))
        session.delete(session.scalar(select(RoutingRule).where(RoutingRule.category == "education")))
    with db.session_scope() as session:
        changes = reference.load_into(session)
    with db.session_scope() as session:
        health = session.scalar(select(RoutingRule).where(RoutingRule.category == "health"))
        assert health.entity.code == "gov-luxor"  # the admin's choice survives
        assert session.scalar(select(RoutingRule).where(RoutingRule.category == "education"))
    assert changes["rules"] == 1  # only the missing rule came back


def test_init_db_on_postgresql(isolated_settings, postgresql_database):
    conf = isolated_settings.replace(database_url=postgresql_database)
    result = run_command(conf, "init-db")
    assert result.returncode == 0, result.stderr
    assert "schema unchanged; reference data: 0 entity and 0 rule changes" in result.stdout


def test_pool_sizes_come_from_settings(isolated_settings, postgresql_database):
    settings.install(isolated_settings.replace(database_url=postgresql_database, database_pool_size=2,
                                               database_max_overflow=0, database_pool_timeout=1))
    try:
        engine = db.engine()
        held = [engine.connect() for _ in range(2)]
        with pytest.raises(exc.TimeoutError):  # a third waits database_pool_timeout, then fails
            engine.connect()
        for connection in held:
            connection.close()
        assert engine.pool.size() == 2
    finally:
        db.dispose()


def _store_complainant() -> int:
    with db.session_scope() as session:
        person = Complainant(consent=True)
        person.national_id = NATIONAL_ID
        person.phone = "+20 100 123 4567"
        person.name = "منى عبد الله"
        call = Call(uniqueid="1795879274.163", mode="agi")
        call.caller = PHONE
        session.add_all([person, call])
        session.flush()
        return person.id


def test_pii_columns_hold_no_plaintext(db_url):
    _store_complainant()
    with db.engine().connect() as conn:
        rows = conn.execute(text("SELECT * FROM complainants")).mappings().all()
        rows += conn.execute(text("SELECT * FROM calls")).mappings().all()
    raw = repr(rows)
    assert rows and all(row.get("national_id_enc") or row.get("caller_enc") for row in rows)
    for secret in (NATIONAL_ID, PHONE, "1001234567", "منى", "0x" + "منى".encode().hex()):
        assert secret not in raw


def test_sqlite_file_bytes_hold_no_plaintext(isolated_settings, sqlite_template, tmp_path):
    url = f"sqlite:///{tmp_path / 'raw.db'}"
    Path(tmp_path / "raw.db").write_bytes(sqlite_template.read_bytes())
    settings.install(isolated_settings.replace(database_url=url))
    _store_complainant()
    db.dispose()  # checkpoint the WAL into the file
    data = (tmp_path / "raw.db").read_bytes()
    wal = tmp_path / "raw.db-wal"
    data += wal.read_bytes() if wal.exists() else b""
    for secret in (NATIONAL_ID, PHONE, "منى عبد الله"):
        assert secret.encode() not in data


def test_keyed_hash_finds_complainant_by_national_id(db_url):
    person_id = _store_complainant()
    with db.session_scope() as session:
        found = session.scalar(select(Complainant).where(
            Complainant.national_id_hash == pii.lookup_hash("national_id", "٢٩٠٠١٠١١٢٣٤٥٦٧")))
        assert found is not None and found.id == person_id
        assert found.national_id == NATIONAL_ID
        assert found.phone == PHONE  # stored in the canonical local form
        assert found.name == "منى عبد الله"
        by_phone = session.scalar(select(Complainant).where(
            Complainant.phone_hash == pii.lookup_hash("phone", "00201001234567")))
        assert by_phone is not None and by_phone.id == person_id


def test_ciphertext_is_bound_to_its_column(db_url):
    _store_complainant()
    with db.session_scope() as session:
        person = session.scalar(select(Complainant))
        try:
            pii.decrypt("phone", person.national_id_enc)
        except Exception as exc:  # AES-GCM refuses a value moved to another column
            assert type(exc).__name__ == "InvalidTag"
        else:
            raise AssertionError("a national ID decrypted as a phone number")


def test_masking():
    assert pii.mask_phone("01012345678") == "010****5678"
    assert pii.mask_national_id("29001011234567") == "2*********4567"
    assert pii.mask_phone("") == "" and pii.mask_national_id(None) == ""
