"""The permission table and consent masking."""
import pytest

from hotline import security


def test_every_role_grants_only_known_permissions():
    for role, granted in security.ROLES.items():
        assert granted <= set(security.PERMISSIONS), role


def test_admins_do_not_see_case_contents():
    admin = security.permissions(security.ADMIN)
    assert not admin & {"cases.view", "cases.view_entity", "identity.view", "recordings.play",
                        "transcripts.view", "transcripts.view_redacted"}


def test_unknown_permission_is_a_programming_error():
    with pytest.raises(KeyError):
        security.has_permission(security.AGENT, "cases.delete_everything")


G = security.Grounds


@pytest.mark.parametrize("role, grounds, masked", [
    (security.AGENT, G(handling=True), False),        # the agent on the case's call
    (security.AGENT, G(revealed=True), False),        # an agent who gave a reason
    (security.AGENT, G(consent=True), True),          # consent is for the entity, not every agent
    (security.AGENT, G(), True),
    (security.SUPERVISOR, G(revealed=True), False),
    (security.SUPERVISOR, G(handling=True, consent=True), True),  # supervisors take no calls
    (security.ENTITY_OFFICER, G(consent=True), False),  # entities see it only with consent
    (security.ENTITY_OFFICER, G(revealed=True, handling=True), True),
    (security.REVIEWER, G(consent=True, revealed=True, handling=True), True),
    (security.ADMIN, G(consent=True, revealed=True, handling=True), True),
    ("intruder", G(consent=True, revealed=True, handling=True), True),
])
def test_identity_is_masked_unless_role_and_grounds_allow(role, grounds, masked):
    view = security.identity_view(role, grounds, name="منى", phone="01001234567",
                                  national_id="29001011234567")
    assert view["masked"] is masked
    if masked:
        assert view == {"name": "***", "phone": "010****4567", "national_id": "2*********4567",
                        "masked": True}
    else:
        assert view["phone"] == "01001234567" and view["national_id"] == "29001011234567"


def test_only_the_centre_closes_cases():
    for status in ("closed", "rejected", "duplicate"):
        assert not security.may_set_status(security.ENTITY_OFFICER, status)
        assert security.may_set_status(security.SUPERVISOR, status)
    for status in ("under_review", "answered", "received"):
        assert security.may_set_status(security.ENTITY_OFFICER, status)
    assert not security.may_set_status(security.REVIEWER, "answered")


def test_every_role_but_admin_reaches_case_contents():
    assert {r for r in security.ROLES if security.reaches_cases(r)} == set(security.ROLES) - {security.ADMIN}
