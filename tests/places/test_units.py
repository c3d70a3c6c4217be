"""The entity tree below the governorates, imported from CSV with validation; a case's local unit
comes from it, and routing reaches the unit that collects the garbage."""
from __future__ import annotations

from sqlalchemy import select

from hotline import db, places, settings, unit_import
from hotline.models import CasePlace, Entity, EntityUnit
from tests.conftest import ROOT, run_command
from tests.places.world import NASR_CITY, new_case

SAMPLE = (ROOT / "docs" / "local_units_sample.csv").read_text(encoding="utf-8")
HEADER = "code,parent,kind,name_ar,name_en,latitude,longitude,radius_km,aliases,categories\n"


def test_the_sample_imports_and_a_second_run_only_updates(db_url):
    with db.session_scope() as session:
        first = unit_import.load(session, SAMPLE)
    assert first.errors == [] and (first.created, first.updated) == (1, 4)  # 4 are in entities.yaml
    with db.session_scope() as session:
        again = unit_import.load(session, SAMPLE)
        village = session.scalar(select(Entity).where(Entity.code == "lu-giza-ausim-bartos"))
        assert village.parent.code == "lu-giza-ausim" and village.parent.parent.code == "gov-giza"
        assert session.get(EntityUnit, village.id).categories == "garbage"
    assert (again.created, again.updated) == (0, 5)


def test_every_bad_row_is_reported_and_nothing_is_written(db_url):
    bad = HEADER + "\n".join([
        "lu-x1,gov-cairo,district,حي س,X District,30.05,31.33,3,,garbage",  # fine on its own
        "Bad Code,gov-cairo,district,حي,Y,,,,,",
        "lu-x2,gov-nowhere,district,حي ص,Z,,,,,",
        "lu-x3,gov-cairo,hamlet,حي ع,W,,,,,",
        "lu-x4,gov-cairo,district,حي ف,V,29.9792,31.1342,,,",  # the pyramids are in Giza
        "lu-x5,gov-cairo,district,حي ق,U,30.05,,,,",
        "lu-x6,gov-cairo,district,حي ك,T,,,,,parking",
        "min-health,gov-cairo,district,وزارة,Health,,,,,",
        "lu-x1,gov-cairo,district,حي س,X again,,,,,",
    ]) + "\n"
    with db.session_scope() as session:
        result = unit_import.load(session, bad)
        assert session.scalar(select(Entity).where(Entity.code == "lu-x1")) is None
    text = "\n".join(result.errors)
    for expected in ("line 3: code 'Bad Code'", "line 4: parent 'gov-nowhere'", "line 5: kind 'hamlet'",
                     "line 6: latitude/longitude 29.9792,31.1342 lie in giza, not in cairo",
                     "line 7: give both latitude and longitude", "line 8: categories: unknown parking",
                     "line 9: code 'min-health' is a ministry", "line 10: code 'lu-x1' appears twice"):
        assert expected in text, text
    assert "line 2:" not in text


def test_header_problems_are_reported():
    _rows, result = unit_import.check(_NoSession(), "code,parent,colour\nx,y,z\n")
    assert result.errors == ["line 1: missing column(s) kind, name_ar, name_en",
                             "line 1: unknown column(s) colour"]


class _NoSession:
    def scalars(self, _stmt):
        return []


def test_command_imports_or_refuses_with_line_numbers(db_url, tmp_path):
    conf = settings.get()
    good, bad = tmp_path / "units.csv", tmp_path / "bad.csv"
    good.write_text(SAMPLE, encoding="utf-8")
    bad.write_text(HEADER + "lu-y,gov-cairo,district,,Y,,,,,\n", encoding="utf-8")
    checked = run_command(conf, "import-units", "--check", str(good))
    assert checked.returncode == 0 and "5 unit(s) look right" in checked.stdout, checked.stderr
    done = run_command(conf, "import-units", str(good))
    assert done.returncode == 0 and "imported 1 new and 4 updated" in done.stdout, done.stderr
    refused = run_command(conf, "import-units", str(bad))
    assert refused.returncode == 1 and "line 2: name_ar: required" in refused.stderr
    assert "Traceback" not in refused.stderr
    missing = run_command(conf, "import-units", str(tmp_path / "none.csv"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr


def test_local_unit_by_typed_address_or_by_pin_and_routing_reaches_it(db_url):
    with db.session_scope() as session:
        unit_import.load(session, SAMPLE)
    with db.session_scope() as session:
        typed = new_case(session, address="عمارة 5 شارع مكرم عبيد، مدينه نصر", channel="console").id
        pinned = new_case(session, pin=NASR_CITY).id
        nowhere = new_case(session, address="شارع بلا اسم").id
        village = new_case(session, governorate="giza", address="قرية برطس بجوار المسجد").id
        markaz = new_case(session, governorate="giza", category="roads_traffic",
                          address="مدخل أوسيم", description="حفرة كبيرة في الطريق الرئيسي").id
    with db.session_scope() as session:
        unit = lambda case_id: session.get(Entity, session.get(CasePlace, case_id).local_unit_id)  # noqa: E731
        assert unit(typed).code == unit(pinned).code == "lu-cairo-nasr-city-east"
        assert session.get(CasePlace, nowhere).local_unit_id is None
        assert unit(village).code == "lu-giza-ausim-bartos"  # the village, not its markaz
        from hotline.models import Case

        # The unit collects garbage itself: routing reaches it, past the cleaning authority.
        assert places.suggest_entity(session, session.get(Case, typed)).code == "lu-cairo-nasr-city-east"
        assert places.suggest_entity(session, session.get(Case, nowhere)).code == "cairo-cleaning"
        # The markaz does not collect roads: the rules decide.
        assert unit(markaz).code == "lu-giza-ausim"
        assert places.suggest_entity(session, session.get(Case, markaz)).code == "gov-giza"
