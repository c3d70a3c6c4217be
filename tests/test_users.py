"""create-user: roles, entities, passwords read from stdin, argon2 hashes, audit."""
from sqlalchemy import select

from hotline import db, settings, users
from hotline.models import AuditEntry, User
from tests.conftest import run_command


def test_create_user_reads_password_from_stdin(db_url):
    result = run_command(settings.get(), "create-user", "mona", "--role", "agent",
                         "--extension", "1001", input="correct horse battery\n")
    assert result.returncode == 0, result.stderr
    with db.session_scope() as session:
        user = session.scalar(select(User).where(User.username == "mona"))
        assert user.role == "agent" and user.extension == "1001"
        assert user.password_hash.startswith("$argon2id$")
        assert users.check_password(user, "correct horse battery")
        assert not users.check_password(user, "wrong password!")
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "user.created"))
        assert entry.detail["username"] == "mona"


def test_entity_officer_needs_a_known_entity(db_url):
    conf = settings.get()
    missing = run_command(conf, "create-user", "sara", "--role", "entity_officer", input="long password 1\n")
    assert missing.returncode == 1
    assert missing.stderr.strip() == "run_ivr.py: error: an entity officer needs --entity (an entity code)"
    unknown = run_command(conf, "create-user", "sara", "--role", "entity_officer", "--entity", "gov-x",
                          input="long password 1\n")
    assert "no entity with code 'gov-x'" in unknown.stderr
    ok = run_command(conf, "create-user", "sara", "--role", "entity_officer", "--entity", "gov-minya",
                     input="long password 1\n")
    assert ok.returncode == 0, ok.stderr


def test_bad_input_gets_one_line_errors(db_url):
    conf = settings.get()
    short = run_command(conf, "create-user", "ali", "--role", "agent", input="short\n")
    assert short.returncode == 1 and "at least 10 characters" in short.stderr
    role = run_command(conf, "create-user", "ali", "--role", "king", input="long password 1\n")
    assert role.returncode == 2 and "invalid choice: 'king'" in role.stderr
    empty = run_command(conf, "create-user", "ali", "--role", "agent", input="")
    assert empty.returncode == 2 and "no password on standard input" in empty.stderr
    run_command(conf, "create-user", "ali", "--role", "agent", input="long password 1\n")
    again = run_command(conf, "create-user", "ali", "--role", "agent", input="long password 1\n")
    assert again.returncode == 1 and "user 'ali' already exists" in again.stderr
    for result in (short, role, empty, again):
        assert "Traceback" not in result.stderr
