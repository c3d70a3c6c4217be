"""Scale-out: the webhook queues on Redis and a separate RQ worker process handles the messages."""
from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import select

from agent_console.whatsapp.models import Message
from hotline import db, settings
from recordings import keyring
from tests.conftest import ROOT, settings_environ
from tests.support import database
from tests.whatsapp import webhooks as wh
from tests.whatsapp.conftest import APP_SECRET, post
from tests.whatsapp.graph_server import TOKEN


@pytest.fixture
def redis_app(postgresql_database, redis_url, graph_api, tmp_path):
    """PostgreSQL and Redis, as a scaled-out deployment runs (the app and the worker apart)."""
    from agent_console import create_app

    database.clean_postgresql(postgresql_database)
    db_url = postgresql_database
    identity = tmp_path / "age-identity.txt"
    recipient = keyring.write_identity(identity)
    conf = settings.get().replace(
        database_url=db_url, console_secure_cookies=False, whatsapp_app_secret=APP_SECRET,
        whatsapp_access_token=TOKEN, whatsapp_graph_url=graph_api.url,
        whatsapp_numbers=(("01555516528", wh.PHONE_NUMBER_ID),), age_recipients=(recipient,),
        age_identity_file=identity)
    app = create_app(conf)
    app.config["TESTING"] = True
    env = settings_environ(conf)
    env.update({"HOTLINE_WHATSAPP_ACCESS_TOKEN": TOKEN, "HOTLINE_WHATSAPP_GRAPH_URL": graph_api.url,
                "HOTLINE_WHATSAPP_NUMBERS": f"01555516528={wh.PHONE_NUMBER_ID}",
                "HOTLINE_AGE_RECIPIENTS": recipient, "HOTLINE_AGE_IDENTITY_FILE": str(identity)})
    return app, env


def test_rq_worker_process_handles_the_message_and_sends_the_reply(redis_app, graph_api):
    app, env = redis_app
    client = app.test_client()
    body = wh.text("السلام عليكم")
    assert post(client, body).status_code == 200
    assert post(client, body).status_code == 200  # redelivered: still one job, one reply
    worker = subprocess.run([sys.executable, "-m", "rq.cli", "worker", "--burst", "--url",
                             settings.get().redis_url, "default"],
                            capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert worker.returncode == 0, worker.stderr
    assert len(graph_api.texts_to(wh.CITIZEN)) == 1
    assert graph_api.texts_to(wh.CITIZEN)[0].startswith("أهلا بك")
    with db.session_scope() as session:
        statuses = [(m.direction, m.status) for m in session.scalars(select(Message).order_by(Message.id))]
    assert statuses == [("in", "processed"), ("out", "sent")]
