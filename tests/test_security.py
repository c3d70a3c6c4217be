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


@pytest.mark.parametrize("role, consent, masked", [
    (security.AGENT, False, False),            # agents see identity while handling the case
    (security.ENTITY_OFFICER, True, False),    # entities see it only with consent
    (security.ENTITY_OFFICER, False, True),
    (security.REVIEWER, True, True),
    (security.ADMIN, True, True),
    ("intruder", True, True),
])
def test_identity_is_masked_unless_role_and_consent_allow(role, consent, masked):
    view = security.identity_view(role, consent=consent, name="منى", phone="01001234567",
                                  national_id="29001011234567")
    assert view["masked"] is masked
    if masked:
        assert view == {"name": "***", "phone": "010****4567", "national_id": "2*********4567",
                        "masked": True}
    else:
        assert view["phone"] == "01001234567" and view["national_id"] == "29001011234567"
