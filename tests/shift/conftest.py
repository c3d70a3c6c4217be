"""The shift's tests use the console's fixtures: an app on the test's database, users per role."""
from tests.console.conftest import app, client_as, officer_entity  # noqa: F401  (fixtures)
