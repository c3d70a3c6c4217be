"""Reference data: 27 governorates with national-ID codes, nine categories, entities, national IDs."""
import pytest
from sqlalchemy import select

from hotline import db, national_id, reference
from hotline.errors import ValidationError
from hotline.models import Entity, EntityKind


def test_twenty_seven_governorates_with_unique_national_id_codes():
    governorates = reference.governorates()
    assert len(governorates) == 27
    assert len({g.nid_code for g in governorates}) == 27
    assert reference.governorate("cairo").nid_code == "01"
    assert reference.governorate("minya").name_ar == "المنيا"


def test_nine_categories_in_keypad_order_with_garbage_first():
    categories = reference.categories()
    assert [c.digit for c in categories] == list("123456789")
    assert categories[0].code == "garbage" and "زبالة" in categories[0].keywords
    assert categories[-1].code == "other"


def test_entities_and_local_units_are_loaded_with_parents(db_url):
    with db.session_scope() as session:
        kinds = {k: session.scalars(select(Entity).where(Entity.kind == k)).all() for k in EntityKind}
        assert len(kinds[EntityKind.governorate]) == 27
        assert {"min-health", "min-supply", "min-interior"} <= {e.code for e in kinds[EntityKind.ministry]}
        units = {e.code: e for e in kinds[EntityKind.local_unit]}
        for governorate in ("cairo", "giza", "alexandria", "minya"):
            assert any(u.parent.governorate == governorate for u in units.values())
        assert units["lu-minya-mallawi"].parent.code == "gov-minya"


@pytest.mark.parametrize("value", ["29001011234567", "30512312101234", "٢٩٠٠١٠١١٢٣٤٥٦٧"])
def test_valid_national_ids(value):
    assert national_id.problem(value) is None


@pytest.mark.parametrize("value, reason", [
    ("2900101123456", "exactly 14 digits"),
    ("2900101123456a", "exactly 14 digits"),
    ("19001011234567", "first digit must be 2 or 3"),
    ("29002301234567", "not a real birth date"),
    ("39901011234567", "in the future"),
    ("29001019934567", "unknown governorate code 99"),
])
def test_invalid_national_ids_say_why(value, reason):
    assert reason in national_id.problem(value)
    with pytest.raises(ValidationError, match=reason):
        national_id.validate(value)


def test_birth_governorate():
    assert national_id.birth_governorate("29001012434567").slug == "minya"
    assert national_id.birth_governorate("29001018834567") is None  # born abroad
