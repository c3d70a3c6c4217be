"""Places in headless Chromium, in Arabic and in English: the agent merges the same pile
reported three times (evidence and thumbnails on screen), the entity sees one work item with
three reports, the supervisor's hot-spot map (Leaflet, governorates from egygeo) and time
charts, the admin's units import, and the public statistics page. Nothing may be fetched from
outside the console. Screenshots go to tests/artifacts/."""
from __future__ import annotations

import re
import threading
from urllib.parse import urlparse

import pytest
from sqlalchemy import select

from hotline import cases, clusters, db, settings
from hotline.models import Case, Entity, User
from tests.conftest import ROOT, use_settings
from tests.places.test_clusters import _photo
from tests.places.world import NASR_CITY, NEAR_NASR_CITY, PASSWORD, PILE_AGAIN, PYRAMIDS, make_users, new_case
from tests.support import database
from tests.support.browser import launch
from tests.support.console_app import console_app

ARTIFACTS = ROOT / "tests" / "artifacts"
LANGUAGES = ("ar", "en")
EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def shown(text: str, language: str) -> str:
    """``text`` as the page writes it: Arabic pages in Arabic-Indic digits."""
    return text.translate(EASTERN) if language == "ar" else text


@pytest.fixture
def site(sqlite_template, tmp_path):
    """A console on a fresh SQLite database, served over HTTP by a thread; yields its base URL,
    and the ids of three reports of one pile (with photos) and one Giza report."""
    from werkzeug.serving import make_server

    from agent_console import ratelimit
    from recordings import keyring, photos

    url = database.copy_sqlite(sqlite_template, tmp_path / "browser.db")
    identity = tmp_path / "age.txt"
    conf = use_settings(settings.get().replace(database_url=url, console_secure_cookies=False,
                                               age_recipients=(keyring.write_identity(identity),),
                                               age_identity_file=identity))
    ratelimit._local.clear()
    make_users()
    ids = []
    with db.session_scope() as session:
        for i, (pin, text) in enumerate(((NASR_CITY, None), (NEAR_NASR_CITY, PILE_AGAIN), (NASR_CITY, PILE_AGAIN))):
            case = new_case(session, pin=pin, name=f"مواطن {i}", phone=f"0100000000{i}", consent=i == 0,
                            **({"description": text} if text else {}))
            session.flush()
            photos.store_photo(session, case, _photo(5, shift=2 * i), "image/jpeg")
            ids.append(case.id)
        ids.append(new_case(session, pin=PYRAMIDS, governorate="giza").id)
    with console_app(conf, testing=False) as app:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_port}", ids
        server.shutdown()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = launch(pw)
        yield chromium
        chromium.close()


def open_as(browser, base: str, username: str | None, language: str):
    """A page signed in as ``username`` (None: nobody) in ``language``; it records every host
    the page asks for anything."""
    context = browser.new_context(locale="ar-EG" if language == "ar" else "en-US")
    page = context.new_page()
    page.hosts = set()
    page.on("request", lambda request: page.hosts.add(urlparse(request.url).netloc))
    if username:
        page.goto(f"{base}/login")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.click("#login-form button[type=submit]")
        page.wait_for_load_state("networkidle")
    if language == "en":
        page.goto(f"{base}/lang/en")
    return page


def shoot(page, name: str, language: str) -> None:
    """Keep a screenshot; the page runs right to left in Arabic, left to right in English."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"places-{name}-{language}.png"), full_page=True)
    assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")


def only_local(page, base: str) -> None:
    assert page.hosts <= {urlparse(base).netloc}, page.hosts


@pytest.mark.parametrize("language", LANGUAGES)
def test_agent_merges_the_pile_and_the_entity_sees_one_item(site, browser, language):
    from playwright.sync_api import expect

    base, ids = site
    agent = open_as(browser, base, "agent", language)
    agent.goto(f"{base}/cases/{ids[2]}")
    table = agent.locator("#duplicates")
    expect(table).to_be_visible()
    expect(agent.locator("#duplicates tr.suggestion")).to_have_count(2)
    first = agent.locator(f'#duplicates tr[data-case="{ids[0]}"]')
    expect(first.locator("td.distance")).to_have_text("٠ م" if language == "ar" else "0 m")
    expect(agent.locator(f'#duplicates tr[data-case="{ids[1]}"] td.distance')).to_have_text(
        "١١٦ م" if language == "ar" else "116 m")
    expect(first.locator("td.photos img")).to_have_count(1)
    expect(first.locator(".photo-bits")).to_contain_text("same scene" if language == "en" else "نفس المشهد")
    loaded = agent.evaluate("Array.from(document.querySelectorAll('#duplicates img')).every(i => i.naturalWidth > 0)")
    assert loaded, "thumbnails did not load"
    expect(agent.locator("#place-pin")).to_contain_text("30.0561")
    shoot(agent, "agent-suggestions", language)
    agent.check(f'#duplicates input[value="{ids[0]}"]')
    agent.check(f'#duplicates input[value="{ids[1]}"]')
    agent.click("#merge")
    expect(agent.locator("#work-item")).to_be_visible()
    expect(agent.locator("#work-item-members li")).to_have_count(3)
    shoot(agent, "agent-work-item", language)
    only_local(agent, base)

    with db.session_scope() as session:
        lead = session.get(Case, clusters.cluster_of(session, ids[0]).lead_case_id)
        user = session.scalar(select(User).where(User.username == "agent"))
        cases.route(session, lead, session.scalar(select(Entity).where(Entity.code == "cairo-cleaning")),
                    actor="agent", user=user)
        lead_id = lead.id
    officer = open_as(browser, base, "officer", language)
    officer.goto(f"{base}/entity/inbox")
    expect(officer.locator("#inbox tbody tr[data-case]")).to_have_count(1)
    expect(officer.locator("#inbox small.reports")).to_contain_text(shown("3", language))
    officer.goto(f"{base}/entity/cases/{lead_id}")
    expect(officer.locator("#work-item-reports tr.report")).to_have_count(3)
    names = officer.locator("#work-item-reports td.name").all_inner_texts()
    assert names == ["مواطن 0", "***", "***"]
    shoot(officer, "entity-work-item", language)
    only_local(officer, base)


@pytest.mark.parametrize("language", LANGUAGES)
def test_supervisor_map_and_time_charts(site, browser, language):
    from playwright.sync_api import expect

    base, ids = site
    with db.session_scope() as session:
        clusters.merge(session, [session.get(Case, i) for i in ids[:3]],
                       user=session.scalar(select(User).where(User.username == "agent")))
    page = open_as(browser, base, "supervisor", language)
    page.goto(f"{base}/map")
    expect(page.locator("#hotspot-map[data-ready='1']")).to_be_attached(timeout=15000)
    expect(page.locator("path[data-governorate]")).to_have_count(27)
    cairo = page.locator('path[data-governorate="cairo"]').get_attribute("fill")
    empty = page.locator('path[data-governorate="aswan"]').get_attribute("fill")
    assert cairo != empty and empty == "#f7fbff"
    expect(page.locator(".cluster-point")).to_have_count(1)
    expect(page.locator('#map-table tr[data-governorate="cairo"] td').nth(1)).to_have_text(shown("3", language))
    expect(page.locator('#map-table tr[data-governorate="cairo"] td').first).to_have_text(
        "القاهرة" if language == "ar" else "Cairo")
    page.locator(".cluster-point").click()
    expect(page.locator(".leaflet-popup-content a")).to_be_visible()
    shoot(page, "map", language)
    page.select_option("#map-category", "health")
    page.click("#map-filters button[type=submit]")
    expect(page.locator("#hotspot-map[data-ready='1']")).to_be_attached(timeout=15000)
    expect(page.locator(".cluster-point")).to_have_count(0)
    assert page.locator('path[data-governorate="cairo"]').get_attribute("fill") == "#f7fbff"
    only_local(page, base)

    page.goto(f"{base}/charts")
    expect(page.locator("#weekly-governorate svg polyline")).to_have_count(2)  # Cairo and Giza
    expect(page.locator('#weekly-category tr[data-key="garbage"] td').nth(1)).to_have_text(shown("4", language))
    expect(page.locator("#sla-by-entity")).to_be_visible()
    shoot(page, "charts", language)
    page.select_option("#charts-governorate", "giza")
    page.click("form.filters button[type=submit]")
    expect(page.locator('#weekly-category tr[data-key="garbage"] td').nth(1)).to_have_text(shown("1", language))
    expect(page.locator("#weekly-governorate svg polyline")).to_have_count(2)  # not filtered by governorate
    only_local(page, base)


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_statistics_and_the_admins_units_import(site, browser, language, tmp_path):
    from playwright.sync_api import expect

    base, _ids = site
    public = open_as(browser, base, None, language)
    public.goto(f"{base}/open-data")
    expect(public.locator("#totals-governorate")).to_be_visible()
    # Four complaints in all, three in Cairo: every count is below k = 5, so withheld.
    expect(public.locator("#totals-governorate td.suppressed")).to_have_count(2)
    content = public.content()  # no complainant's name ("مواطن", "مواطن 0"…) and no free text
    assert not re.search(r"(?<![\u0621-\u064A])مواطن(?![\u0621-\u064A])", content) and PILE_AGAIN not in content
    csv = public.request.get(f"{base}/open-data/complaints.csv")
    assert csv.ok and csv.text().lstrip("\ufeff").startswith("governorate,")
    shoot(public, "open-data", language)
    only_local(public, base)

    admin = open_as(browser, base, "admin", language)
    admin.goto(f"{base}/admin/units")
    bad = tmp_path / "bad.csv"
    bad.write_text("code,parent,kind,name_ar,name_en\nlu-q,gov-nowhere,district,حي,Q\n", encoding="utf-8")
    admin.set_input_files("#units-form input[type=file]", str(bad))
    admin.click("#units-form button[type=submit]")
    expect(admin.locator("#units-errors li")).to_have_count(1)
    expect(admin.locator("#units-errors")).to_contain_text(
        "السطر ٢: الجهة الأعلى «gov-nowhere»" if language == "ar" else "line 2: parent 'gov-nowhere'")
    shoot(admin, "units-errors", language)
    good = tmp_path / "good.csv"
    good.write_text((ROOT / "docs" / "local_units_sample.csv").read_text(encoding="utf-8"), encoding="utf-8")
    admin.set_input_files("#units-form input[type=file]", str(good))
    admin.click("#units-form button[type=submit]")
    expect(admin.locator('#units tr[data-code="lu-giza-ausim-bartos"]')).to_be_visible()
    shoot(admin, "units", language)
    only_local(admin, base)
