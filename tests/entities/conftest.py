"""Fixtures for the entity tests: two entities' officers and cases, a fake SMS/WhatsApp gateway."""
from __future__ import annotations

import pytest

from entities_world import Gateway, World, build_world, signed_in
from tests.support.console_app import console_app


@pytest.fixture
def world(db_url) -> World:
    """Cairo (with its cleaning authority below it) and Giza, their officers, a supervisor,
    an admin, and cases with and without consent routed to each."""
    return build_world()


@pytest.fixture
def app(world):
    """A console app on the test's database (cookies over plain HTTP for the test client)."""
    with console_app() as application:
        yield application


@pytest.fixture
def client_as(app):
    """``client_as("officer_a")``: a test client signed in as that user."""
    return lambda username: signed_in(app, username)


@pytest.fixture
def gateway():
    """A real HTTP server on loopback that answers like an SMS gateway / the WhatsApp Cloud API."""
    server = Gateway()
    yield server
    server.close()
