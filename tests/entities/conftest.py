"""Fixtures for the entity tests: two entities' officers and cases, a fake SMS/WhatsApp gateway."""
from __future__ import annotations

import pytest

from entities_world import World, build_world, Gateway


@pytest.fixture
def world(db_url) -> World:
    """Cairo (with its cleaning authority below it) and Giza, their officers, a supervisor,
    an admin, and cases with and without consent routed to each."""
    return build_world()


@pytest.fixture
def gateway():
    """A real HTTP server on loopback that answers like an SMS gateway / the WhatsApp Cloud API."""
    server = Gateway()
    yield server
    server.close()
