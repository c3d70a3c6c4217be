"""Open data: counts by governorate, category, month and status; counts below k withheld, no
group left with one withheld cell its total would give away, and no free text anywhere."""
from __future__ import annotations

import csv
import io
import itertools
import json
import random
from collections import Counter

from hotline import db, opendata
from tests.places.world import new_case


def test_small_cells_and_their_complements_are_withheld():
    rng = random.Random(5)
    cells = Counter({(g, c, m, s): rng.choice((1, 2, 3, 6, 9, 14, 40))
                     for g, c, m, s in itertools.product(("cairo", "giza", "luxor"), ("garbage", "health"),
                                                         ("2026-10", "2026-11"), ("routed", "closed"))})
    hidden = opendata.suppress(cells, 5)
    assert {key for key, n in cells.items() if n < 5} <= hidden
    for axis in range(4):
        groups: dict[str, list] = {}
        for key in cells:
            groups.setdefault(key[axis], []).append(key)
        for members in groups.values():
            assert sum(key in hidden for key in members) != 1, members  # no lone withheld cell


def test_the_export_has_counts_only_and_respects_k(db_url):
    secret = "اسمي محمد ورقمي 01012345678 والقمامة عند بيتي"
    with db.session_scope() as session:
        for i in range(7):
            new_case(session, governorate="cairo", description=secret, address="شارع سري 5")
        new_case(session, governorate="giza", description=secret)
    with db.session_scope() as session:
        data = opendata.table(session)
    text = json.dumps(data, ensure_ascii=False) + opendata.to_csv(data)
    assert "محمد" not in text and "01012345678" not in text and "سري" not in text
    assert data["k"] == 5
    by_governorate = {r["governorate"]: r for r in data["totals"]["governorate"]}
    assert by_governorate["cairo"]["count"] == 7 and not by_governorate["cairo"]["suppressed"]
    assert by_governorate["giza"]["count"] is None and by_governorate["giza"]["suppressed"]
    assert all(r["count"] is None or r["count"] >= 5 for r in data["rows"])
    rows = list(csv.DictReader(io.StringIO(opendata.to_csv(data).lstrip("\ufeff"))))
    assert set(rows[0]) == set(opendata.COLUMNS)
    giza = [r for r in rows if r["governorate"] == "giza"]
    assert giza and all(r["count"] == "" and r["suppressed"] == "yes" for r in giza)


def test_k_is_a_setting(db_url):
    with db.session_scope() as session:
        for _ in range(3):
            new_case(session, governorate="giza")
    with db.session_scope() as session:
        assert opendata.table(session, k=3)["totals"]["governorate"][0]["count"] == 3
        assert opendata.table(session)["totals"]["governorate"][0]["count"] is None


def test_public_endpoints_need_no_sign_in(app):
    with db.session_scope() as session:
        for _ in range(6):
            new_case(session, governorate="cairo")
    client = app.test_client()
    data = client.get("/open-data/complaints.json").get_json()
    assert data["totals"]["governorate"] == [{"governorate": "cairo", "count": 6, "suppressed": False}]
    response = client.get("/open-data/complaints.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "القاهرة" in client.get("/open-data").get_data(as_text=True)
