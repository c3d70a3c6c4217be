"""Satisfaction and reopen rates per entity and category, on the reports page and in the open
data (counts below k withheld), and the league table of entities by on-time answers and
satisfaction."""
from __future__ import annotations

import json
import re
from datetime import timedelta

from hotline import db, loop_figures, opendata, satisfaction, settings
from hotline.models import Case, utcnow
from tests.loop import world


def _story(officer: str, entity: str, *, late: bool, solved: bool | None, category: str = "garbage") -> int:
    case_id = world.routed_case(to=entity, category=category)
    if late:
        with db.session_scope() as session:
            session.get(Case, case_id).due_at = utcnow() - timedelta(days=1)
    world.answer(case_id, officer)
    if solved is not None:
        with db.session_scope() as session:
            satisfaction.answer(session, session.get(Case, case_id), solved, via="sms",
                                words=None if solved else "لم تحل")
    return case_id


def _build() -> None:
    """The unit: 6 answers (1 late), 4 solved and 1 not of the 5 asked. The governorate: 5
    answers (3 late), 2 solved and 3 not. Giza's unit... has 1 answer only: too few to rank."""
    for n in range(6):
        _story("unit_officer", world.UNIT, late=n == 0, solved=None if n == 5 else n != 4)
    for n in range(5):
        _story("governorate_officer", world.GOVERNORATE, late=n < 3, solved=n < 2, category="water_sewage")


def test_rates_and_the_league_table(officers):
    _build()
    with db.session_scope() as session:
        rows = {r.key: r for r in loop_figures.rates(session, "entity")}
        unit, governorate = rows[world.UNIT], rows[world.GOVERNORATE]
        # The unit's not-solved reopened the case back to the unit, which has not answered again.
        assert (unit.answers, unit.on_time, unit.timed, unit.surveyed, unit.solved, unit.reopened) == (6, 5, 6, 5, 4, 1)
        assert (unit.on_time_percent, unit.satisfaction_percent, unit.reopen_percent) == (83, 80, 17)
        assert (governorate.on_time_percent, governorate.satisfaction_percent, governorate.reopen_percent) == (40, 40, 60)
        ranked, unranked = loop_figures.league(list(rows.values()), 5)
        assert [(rank, r.key) for rank, r in ranked] == [(1, world.UNIT), (2, world.GOVERNORATE)]
        by_category = {r.key: r for r in loop_figures.rates(session, "category")}
        assert by_category["garbage"].satisfaction_percent == 80 and by_category["water_sewage"].reopen_percent == 60
        ranked, unranked = loop_figures.league(list(rows.values()), 6)  # the governorate has 5
        assert [r.key for _rank, r in ranked] == [world.UNIT] and [r.key for r in unranked] == [world.GOVERNORATE]


def test_the_reports_page_shows_rates_and_the_league(app, client_as, officers):
    _build()
    page = client_as("supervisor").get("/reports").get_data(as_text=True)
    league = page[page.index('id="league"'):page.index('id="loop-by-entity"')]
    assert re.search(rf'data-key="{world.UNIT}" data-rank="1"', league)
    assert re.search(rf'data-key="{world.GOVERNORATE}" data-rank="2"', league)
    by_entity = page[page.index('id="loop-by-entity"'):]
    row = re.search(rf'<tr data-key="{world.UNIT}">.*?</tr>', by_entity, re.S).group(0)
    assert 'class="satisfaction" data-value="80"' in row and 'class="reopen" data-value="17"' in row
    assert 'class="on-time" data-value="83"' in row
    assert 'id="loop-by-category"' in page and "حي مصر الجديدة" in league  # the unit, in Arabic


def test_open_data_withholds_figures_on_fewer_than_k_answers(app, officers):
    _build()
    _story("unit_officer", world.UNIT, late=False, solved=True, category="roads_traffic")  # a lone roads answer
    client = app.test_client()
    data = client.get("/open-data/satisfaction.json").get_json()
    assert data["k"] == settings.get().open_data_min_count == 5
    entities = {r["code"]: r for r in data["by_entity"]}
    unit = entities[world.UNIT]
    assert (unit["rank"], unit["answers"], unit["satisfaction_percent"], unit["suppressed"]) == (1, 7, 83, False)
    categories = {r["code"]: r for r in data["by_category"]}
    assert categories["roads_traffic"]["suppressed"] and categories["roads_traffic"]["answers"] is None
    assert categories["roads_traffic"]["satisfaction_percent"] is None
    assert "totals" not in data  # nothing to subtract a withheld row from
    csv_text = client.get("/open-data/satisfaction.csv").get_data(as_text=True)
    assert csv_text.startswith("\ufeffby,code,name_ar") and f"entity,{world.UNIT}," in csv_text
    roads = next(line for line in csv_text.splitlines() if line.startswith("category,roads_traffic"))
    assert roads.split(",")[4:] == ["", "", "", "", "", ""]
    page = client.get("/open-data").get_data(as_text=True)
    assert 'id="satisfaction"' in page and 'id="satisfaction-by_entity"' in page
    text = json.dumps(data, ensure_ascii=False) + csv_text + page
    for identity in (world.NAME, world.NID, world.PHONE):
        assert identity not in text
    assert opendata.satisfaction_csv(data) == csv_text
