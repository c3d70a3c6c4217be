"""Every page, as every role, in Arabic and in English, on a shift's data: no Latin word on an
Arabic page that is not a name, a number or a code someone typed, no Arabic label on an English
page, one digit system per language, and no "عربي · English" pair anywhere.

Pages are every GET route of the console (the URL map, so a new page is crawled without being
listed here), each case page for each state a shift leaves a case in, and the pages a refused
form comes back with.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hotline import db
from hotline.models import User
from tests.console.conftest import ROLES, csrf_of, login
from tests.shift import crawl, world

NOT_PAGES = ("static", "language", "auth.logout", "favicon")  # no page of their own
ARGUMENTS = {"entity_id": "entity", "user_id": "user"}
BILINGUAL = re.compile(r"[\u0621-\u064A][^<>\"]{0,80} [·—] [A-Za-z]")


@pytest.fixture
def shift(app):
    made = world.build()
    with db.session_scope() as session:
        made.ids["user"] = session.scalar(select(User.id).where(User.username == "agent"))
    return made


def _urls(app, shift) -> list[str]:
    urls = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
                continue
            unknown = set(rule.arguments) - {"case_id", *ARGUMENTS}
            if unknown:  # a file (recording, photo) or a job: not a page
                continue
            if "case_id" in rule.arguments:
                for key in ("routed", "waiting", "answered", "declined", "whatsapp", "on_call"):
                    urls.append(url_for(rule.endpoint, case_id=shift.ids[key],
                                        **{a: shift.ids[ARGUMENTS[a]] for a in rule.arguments if a != "case_id"}))
            else:
                urls.append(url_for(rule.endpoint, **{a: shift.ids[ARGUMENTS[a]] for a in rule.arguments}))
    return sorted(set(urls)) + ["/no/such/page", "/cases/999999"]


def _refused_forms(client, role: str, shift) -> list[tuple[str, str]]:
    """Pages that come back from a refused form: their messages must be in the language too."""
    pages = []

    def post(path: str, data: dict, page: str | None = None):
        token = csrf_of(client.get(page or path).get_data(as_text=True))
        reply = client.post(path, data={**data, "csrf_token": token}, follow_redirects=True)
        pages.append((f"POST {path}", reply.get_data(as_text=True)))

    if role == "agent":
        post(f"/cases/{shift.ids['on_call']}", {"national_id": "123", "phone": "999", "description": "قصير",
                                                "category": "", "complete": "1"})
        post(f"/cases/{shift.ids['on_call']}", {"governorate": "cairo", "category": "garbage",
                                                "description": "قمامة متراكمة أمام المدرسة",
                                                "complete": "1", "disposition": "case_routed"})
    if role == "admin":
        post("/admin/entities", {"code": "Bad Code", "kind": "authority", "name_ar": "x", "name_en": "ص"})
        post("/admin/routing", {"category": "garbage", "governorate": "cairo", "target": ""})
    if role == "officer":
        post(f"/entity/cases/{shift.ids['routed']}/answer", {"text": ""}, f"/entity/cases/{shift.ids['routed']}")
    return pages


@pytest.mark.parametrize("language", ["ar", "en"])
def test_every_page_as_every_role_speaks_one_language(app, shift, language):
    failures, crawled = [], 0
    urls = _urls(app, shift)
    for role, username in [(name, name) for name in ROLES] + [("anonymous", None)]:
        client = app.test_client()
        if username:
            assert login(client, username).status_code == 302
        client.get(f"/lang/{language}")
        pages = [(url, client.get(url)) for url in urls]
        pages = [(url, r.get_data(as_text=True)) for url, r in pages
                 if r.mimetype == "text/html" and not 300 <= r.status_code < 400]
        if username:
            pages += _refused_forms(client, role, shift)
        for url, html in pages:
            crawled += 1
            assert f'lang="{language}"' in html[:200], f"{role} {url}: not a {language} page"
            found = crawl.problems(html, language)
            found += [f"bilingual pair {m!r}" for m in BILINGUAL.findall(crawl.words(html, language))]
            if found:
                failures.append(f"{role} {url}: " + "; ".join(found[:6]))
    assert crawled > 150, crawled  # every role saw many pages, not a login redirect each time
    assert not failures, f"{len(failures)} pages in the wrong language:\n" + "\n".join(failures)


def test_the_crawl_sees_what_it_must_and_leaves_names_alone():
    page = ('<html lang="ar"><body><p>الشكوى <bdi dir="ltr">٢٦٠٠٠٠٠١٠</bdi> <bdi translate="no">agent1</bdi>'
            '<kbd>Alt+S</kbd> <a lang="en">English</a> <p dir="auto">typed by a citizen</p>'
            '<button title="Save">حفظ</button> routed 2026</p></body></html>')
    assert crawl.problems(page, "ar") == ["Latin word 'Save'", "Latin word 'routed'",
                                          "Western digits in 'ave حفظ routed 2026'"]
    english = '<html lang="en"><body><p>Complaint <bdi translate="no">منى</bdi> وردت ٢٠</p></body></html>'
    assert crawl.problems(english, "en") == ["Arabic word 'وردت'", "Arabic-Indic digits in 'Complaint وردت ٢٠'"]
    assert BILINGUAL.findall("الرد على المواطن · Answer the citizen")
