"""Closing-the-loop fixtures: officers of a local unit and its governorate, settings that ask at
once and never sleep, the loopback SMS gateway, and the in-process job worker with short back-off."""
from __future__ import annotations

import pytest

from hotline import jobs, settings
from hotline.jobs import EmbeddedWorker
from tests.console.conftest import app, client_as  # noqa: F401  the console, one user per role
from tests.loop import world


@pytest.fixture
def loop_settings(db_url):
    """Surveys due at once, no quiet hours (tests that need them set their own)."""
    conf = settings.get().replace(survey_delay_minutes=0, survey_quiet_hours="")
    settings.install(conf)
    return conf


@pytest.fixture
def officers(loop_settings) -> dict[str, int]:
    return world.officers()


@pytest.fixture
def quick_worker(monkeypatch):
    """The in-process job worker with short back-off, so retries happen within the test."""
    worker = EmbeddedWorker(retry_intervals=(0.05, 0.1, 0.2))
    monkeypatch.setattr(jobs, "_worker", worker)
    yield worker
    worker.join()


@pytest.fixture
def sms_gateway(loop_settings):
    """The loopback gateway answering as Twilio's Messages API, configured for SMS."""
    from tests.entities.entities_world import Gateway

    gateway = Gateway()
    settings.install(settings.get().replace(
        notify_sms_url=gateway.url, notify_sms_account="AC123", notify_sms_token="sms-token",
        notify_sms_sender="16528"))
    yield gateway
    gateway.close()


@pytest.fixture
def officer_entity() -> str:
    """The console's test officer ("officer") works for the local unit the cases go to."""
    return world.UNIT
