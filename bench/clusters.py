"""Duplicate search on PostgreSQL with N cases (default 1,000,000): p50/p95 time to find the
candidates of a new case, and precision/recall on generated reports with known duplicates.

Usage: python bench/clusters.py [--cases 1000000] [--piles 600] [--seed 16]
The background cases are generated in SQL (generate_series) into a scratch database: a year of
complaints, most around Cairo and Giza, three in ten still open. Then ``--piles`` problems
(garbage piles, potholes...) in the same streets are each reported 1-5 times through the real
path (hotline.cases.create_case, then hotline.casewatch on commit), with paraphrased Arabic
(spelling variants, dialect, one in seven vague), pins up to 60 m apart, three in ten with a
photo hash of the same scene, and neighbours of the same category a street away. Goal: p95 < 20 ms.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import support  # noqa: E402

CATEGORIES = ["garbage", "water_sewage", "electricity", "roads_traffic", "health", "education",
              "supply_bread", "housing_violations", "other"]
WORDS = ["شكوى", "الحي", "المنطقة", "الشارع", "مشكلة", "منذ", "يوم", "اسبوع", "السكان", "الاهالي",
         "قمامه", "مياه", "كهرباء", "حفره", "اناره", "صرف", "مخبز", "مدرسه", "مستشفي", "سوق"]
# Where the background complaints are: (lat, lon, spread in degrees, share).
TOWNS = [(30.05, 31.25, 0.08, 0.35), (30.00, 31.18, 0.06, 0.2), (31.20, 29.92, 0.06, 0.1),
         (30.79, 31.00, 0.05, 0.05), (31.04, 31.38, 0.05, 0.05), (27.18, 31.18, 0.05, 0.05),
         (26.56, 31.69, 0.05, 0.05), (30.59, 32.27, 0.05, 0.05), (24.09, 32.90, 0.05, 0.05),
         (29.31, 30.84, 0.05, 0.05)]
PROBLEMS = {
    "garbage": ["تراكم القمامة", "الزبالة متكومة", "أكوام المخلفات", "القمامه متراكمه", "زباله كتير"],
    "water_sewage": ["طفح مياه الصرف", "المجاري طافحة", "انفجار ماسورة المياه", "مية المجاري ماليه"],
    "roads_traffic": ["حفرة كبيرة في الطريق", "الحفره اللي في الشارع", "مطب عالي بدون علامات"],
    "electricity": ["عمود الإنارة مطفي", "سلك كهرباء مكشوف", "محول الكهرباء بيولع"],
}
PLACES = ["مدرسة", "مسجد", "مخبز", "صيدلية", "كوبري", "موقف", "سوق", "كنيسة", "مستشفى", "نادي", "بنك"]
NAMES = ["الشهيد أحمد", "النور", "الرحمة", "الحرية", "السلام", "عمر بن الخطاب", "الفتح", "التوحيد",
         "الأمل", "الصفا", "المروة", "الهدى", "الزهراء", "الإيمان", "الفاروق", "النصر"]
STREETS = ["شارع التحرير", "شارع مصطفى النحاس", "شارع عباس العقاد", "شارع الهرم", "شارع فيصل",
           "شارع جسر السويس", "شارع مكرم عبيد", "شارع الطيران", "شارع النزهة", "شارع شبرا",
           "شارع الجيش", "شارع بورسعيد", "شارع الثورة", "شارع الخليفة المأمون", "شارع رمسيس"]
EXTRAS = ["من أسبوع", "ارجو سرعة التدخل", "والريحة وحشة جدا", "محدش بيعدي", "يا ريت حد يشوفها",
          "من امبارح", "الأطفال بيعدوا من جنبها", "", "", ""]


def fill(session, count: int, seed: int) -> None:
    """``count`` background cases and their places, a year of them, three in ten open."""
    from sqlalchemy import text

    session.execute(text("SELECT setseed(:s)"), {"s": (seed % 1000) / 1000})
    towns = " ".join(f"WHEN r < {sum(t[3] for t in TOWNS[:i + 1]):.2f} THEN {i}" for i in range(len(TOWNS)))
    words = "ARRAY[" + ",".join(f"'{w}'" for w in WORDS) + "]"
    cats = "ARRAY[" + ",".join(f"'{c}'" for c in CATEGORIES) + "]"
    lats = "ARRAY[" + ",".join(str(t[0]) for t in TOWNS) + "]"
    lons = "ARRAY[" + ",".join(str(t[1]) for t in TOWNS) + "]"
    spreads = "ARRAY[" + ",".join(str(t[2]) for t in TOWNS) + "]"
    session.execute(text(f"""
        CREATE TEMP TABLE gen AS
        SELECT i, (CASE {towns} ELSE 0 END) + 1 AS town, random() AS u, random() AS v,
               ({cats})[1 + floor(random() * 9)::int] AS category,
               now() - (random() * 365 || ' days')::interval AS at,
               random() < 0.3 AS open
        FROM (SELECT i, random() AS r FROM generate_series(1, :n) AS i) s"""), {"n": count})
    session.execute(text(f"""
        INSERT INTO cases (id, number, status, channel, language, category, incomplete,
                           recording_pending, legal_hold, created_at, updated_at, description)
        SELECT i + 1000000000, 'b' || lpad(i::text, 12, '0'),
               CASE WHEN open THEN 'routed' ELSE 'closed' END, 'ivr', 'ar', category, false, false,
               false, at, at, ({words})[1 + i % 20] || ' ' || ({words})[1 + (i / 20) % 20]
        FROM gen"""))
    session.execute(text(f"""
        INSERT INTO case_places (case_id, source, latitude, longitude, cell, governorate_conflict,
                                 category, is_open, created_at, text_norm, updated_at)
        SELECT i + 1000000000, 'ivr', lat, lon,
               floor((lat + 90) / 0.005)::bigint * 100000 + floor((lon + 180) / 0.005)::bigint,
               false, category, open, at,
               ({words})[1 + i % 20] || ' ' || ({words})[1 + (i / 20) % 20] || ' ' || ({words})[1 + (i / 400) % 20],
               at
        FROM (SELECT *, ({lats})[town] + (({spreads})[town]) * sqrt(-2 * ln(greatest(u, 1e-9))) * cos(2 * pi() * v) AS lat,
                        ({lons})[town] + (({spreads})[town]) * sqrt(-2 * ln(greatest(u, 1e-9))) * sin(2 * pi() * v) AS lon
              FROM gen) g"""))
    session.execute(text("DROP TABLE gen"))
    session.execute(text("ANALYZE"))


def spelling(text: str, rng: random.Random) -> str:
    """The same words as another citizen might type them."""
    swaps = [("ة", "ه"), ("أ", "ا"), ("ى", "ي"), ("إ", "ا")]
    for a, b in swaps:
        if rng.random() < 0.5:
            text = text.replace(a, b)
    return text


def piles(count: int, rng: random.Random) -> list[dict]:
    """Problems on the ground: a category, a spot and how it is described; a third have a
    neighbour of the same kind a street or two away (another problem, not a duplicate)."""
    found = []
    while len(found) < count:
        category = rng.choice(list(PROBLEMS)) if rng.random() < 0.4 else "garbage"
        lat, lon = rng.uniform(29.98, 30.12), rng.uniform(31.20, 31.36)
        found.append(_pile(len(found), category, lat, lon, rng))
        if rng.random() < 0.33 and len(found) < count:
            d = rng.uniform(80, 300) / 111_320
            found.append(_pile(len(found), category, lat + d * rng.choice((-1, 1)), lon + d, rng))
    return found


def _pile(index: int, category: str, lat: float, lon: float, rng: random.Random) -> dict:
    return {"id": index, "category": category, "lat": lat, "lon": lon,
            "place": f"{rng.choice(PLACES)} {rng.choice(NAMES)}", "street": rng.choice(STREETS),
            "hash": rng.getrandbits(64), "reports": rng.choice((1, 1, 2, 2, 3, 3, 4, 5))}


def report(pile: dict, rng: random.Random) -> tuple[str, tuple[float, float], str | None]:
    """One citizen's words, pin and (sometimes) photo hash for a pile."""
    problem = rng.choice(PROBLEMS[pile["category"]])
    where = rng.choice(("أمام", "جنب", "قدام", "بجوار", "عند"))
    parts = [problem, where, pile["place"]]
    if rng.random() < 0.15:  # a vague report: the problem and the street at most
        parts = [problem] + ([f"في {pile['street']}"] if rng.random() < 0.5 else [])
    elif rng.random() < 0.8:
        parts.append(("في " if rng.random() < 0.5 else "ب") + pile["street"])
    parts.append(rng.choice(EXTRAS))
    text = spelling(" ".join(p for p in parts if p), rng)
    jitter = rng.uniform(0, 60) / 111_320
    pin = (pile["lat"] + jitter * rng.uniform(-1, 1), pile["lon"] + jitter * rng.uniform(-1, 1))
    photo = None
    if rng.random() < 0.3:
        flipped = pile["hash"]
        for _ in range(rng.randrange(0, 7)):
            flipped ^= 1 << rng.randrange(64)
        photo = f"{flipped:016x}"
    return text, pin, photo


def labelled(session_scope, all_piles: list[dict], rng: random.Random):
    """Report every pile through create_case (reports interleaved in time); returns
    [(case_id, pile_id)] in the order they were filed."""
    from hotline import cases
    from hotline.models import Attachment, PhotoHash

    queue = [p for p in all_piles for _ in range(p["reports"])]
    rng.shuffle(queue)
    filed = []
    for pile in queue:
        text, pin, photo = report(pile, rng)
        with session_scope() as session:
            case = cases.create_case(session, channel="whatsapp", actor="bench", category=pile["category"],
                                     governorate="cairo", description=text)
            case.latitude, case.longitude = pin
            if photo:
                session.flush()
                attachment = Attachment(case_id=case.id, kind="photo", media_type="image/jpeg")
                session.add(attachment)
                session.flush()
                session.add(PhotoHash(attachment_id=attachment.id, case_id=case.id, phash=photo))
            session.flush()
            filed.append((case.id, pile["id"]))
    return filed


def quality(session, filed: list[tuple[int, int]]) -> dict:
    """Pairwise precision and recall of the suggestions against the piles."""
    from sqlalchemy import select

    from hotline.models import DuplicateSuggestion

    pile_of = dict(filed)
    suggested = {(s.case_id, s.candidate_id) for s in session.scalars(
        select(DuplicateSuggestion).where(DuplicateSuggestion.case_id.in_(list(pile_of))))}
    order = {case_id: i for i, (case_id, _) in enumerate(filed)}
    truth = {(a, b) for a, pa in filed for b, pb in filed if pa == pb and order[b] < order[a]}
    labelled_hits = {(a, b) for a, b in suggested if b in pile_of}
    right = labelled_hits & truth
    return {"suggested": len(suggested), "to_background": len(suggested - labelled_hits),
            "true_pairs": len(truth), "right": len(right),
            "precision": len(right) / len(suggested) if suggested else 1.0,
            "recall": len(right) / len(truth) if truth else 1.0,
            "any_earlier_found": _any_found(filed, suggested)}


def _any_found(filed, suggested) -> float:
    """Share of repeat reports for which at least one earlier report of the same pile was suggested."""
    seen, repeats, found = {}, 0, 0
    for case_id, pile in filed:
        if pile in seen:
            repeats += 1
            found += any((case_id, b) in suggested for b in seen[pile])
        seen.setdefault(pile, []).append(case_id)
    return found / repeats if repeats else 1.0


def timings(session_scope, filed, runs: int) -> tuple[list[float], list[float], list[int]]:
    """Milliseconds for the candidate query alone and for find (query + scoring), per case."""
    from hotline import duplicates
    from hotline.models import CasePlace

    query, full, sizes = [], [], []
    for case_id, _pile in filed[:runs]:
        with session_scope() as session:
            place = session.get(CasePlace, case_id)
            t0 = time.perf_counter()
            found = duplicates.candidates(session, place)
            t1 = time.perf_counter()
            duplicates.find(session, place)
            t2 = time.perf_counter()
            session.rollback()
        query.append((t1 - t0) * 1000)
        full.append((t2 - t1) * 1000)
        sizes.append(len(found))
    return query, full, sizes


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 2 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--piles", type=int, default=600)
    parser.add_argument("--runs", type=int, default=500, help="new cases timed")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    if args.cases < 0 or args.piles < 2 or args.runs < 2:
        parser.error("--cases >= 0, --piles >= 2, --runs >= 2")

    from sqlalchemy import text

    from hotline import db, reference, settings

    rng = random.Random(args.seed)
    with support.scratch_postgresql():
        started = time.perf_counter()
        with db.session_scope() as session:
            reference.load_into(session)
            fill(session, args.cases, args.seed)
        print(f"generated {args.cases} background cases in {time.perf_counter() - started:.0f} s")
        conf = settings.get()
        print(f"settings: radius {conf.duplicate_radius_m} m, window {conf.duplicate_window_days} days, "
              f"min score {conf.duplicate_min_score}%, photo bits {conf.duplicate_photo_bits}")
        all_piles = piles(args.piles, rng)
        started = time.perf_counter()
        filed = labelled(db.session_scope, all_piles, rng)
        spent = time.perf_counter() - started
        print(f"filed {len(filed)} reports of {len(all_piles)} problems through create_case + casewatch: "
              f"{spent / len(filed) * 1000:.1f} ms per case (whole transaction)")
        with db.session_scope() as session:
            session.execute(text("ANALYZE case_places"))
        timed = list(filed)
        rng.shuffle(timed)
        query, full, sizes = timings(db.session_scope, timed, args.runs)
        print(f"candidate query   p50={statistics.median(query):6.2f} ms  p95={p95(query):6.2f} ms  "
              f"max={max(query):6.2f} ms  (candidates per case: median {statistics.median(sizes):.0f}, max {max(sizes)})")
        print(f"find (+ scoring)  p50={statistics.median(full):6.2f} ms  p95={p95(full):6.2f} ms  "
              f"max={max(full):6.2f} ms   goal p95 < 20 ms")
        with db.session_scope() as session:
            q = quality(session, filed)
        print(f"quality: {q['right']} of {q['suggested']} suggested pairs right "
              f"(precision {q['precision']:.3f}; {q['to_background']} to background cases), "
              f"{q['right']} of {q['true_pairs']} duplicate pairs found (recall {q['recall']:.3f}); "
              f"a repeat report finds an earlier one of its pile {q['any_earlier_found']:.1%} of the time")
        print(f"load average: {support.load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
