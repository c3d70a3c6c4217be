"""Case search latency on PostgreSQL with N cases (default 1,000,000): p50/p95 per query kind.

Usage: python bench/case_search.py [--cases 1000000] [--runs 50]
Rows are generated in SQL (generate_series) into a scratch database, then the console's own
query builder (agent_console.search) is timed. Goal: p95 < 50 ms.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import support  # noqa: E402

WORDS = ["مياه", "كهرباء", "صرف", "طريق", "مدرسه", "مستشفي", "قمامه", "اناره", "مخبز", "معاش"]


def fill(session, count: int) -> None:
    from sqlalchemy import text

    words = "ARRAY[" + ",".join(f"'{w}'" for w in WORDS) + "]"
    session.execute(text(f"""
        INSERT INTO cases (number, status, channel, language, category, governorate, incomplete,
                           recording_pending, legal_hold, created_at, updated_at, due_at, description)
        SELECT lpad(i::text, 12, '0'),
               (ARRAY['received','under_review','routed','answered','closed'])[1 + i % 5],
               'ivr', 'ar', (SELECT code FROM (VALUES ('water'),('electricity'),('roads')) v(code) LIMIT 1),
               NULL, false, false, false,
               now() - (i || ' seconds')::interval, now(), now() - ((i % 30) || ' days')::interval,
               ({words})[1 + i % 10] || ' شكوى رقم ' || i
        FROM generate_series(1, :n) AS i"""), {"n": count})
    session.execute(text(f"""
        INSERT INTO case_search (case_id, created_at, body)
        SELECT id, created_at, description || ' ' || ({words})[1 + (id * 7) % 10] FROM cases"""))
    session.execute(text("UPDATE search_watermarks SET last_id = (SELECT max(id) FROM cases) WHERE name = 'cases'"))
    session.execute(text("ANALYZE"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    from agent_console import search
    from hotline import db, reference

    with support.scratch_postgresql():
        started = time.perf_counter()
        with db.session_scope() as session:
            reference.load_into(session)
            fill(session, args.cases)
        print(f"generated {args.cases} cases in {time.perf_counter() - started:.0f} s")
        kinds = {
            "newest page": search.Filters(),
            "status filter": search.Filters(status="routed"),
            "full text (1 word)": search.Filters(q="إنارة"),
            "full text (2 words)": search.Filters(q="مياه شكوى"),
            "full text (1 match)": search.Filters(q=f"رقم {args.cases // 3}"),
            "full text (no match)": search.Filters(q="زلزال"),
            "complaint number": search.Filters(number=f"{args.cases // 2:012d}"),
            "national ID": search.Filters(national_id="29001011234567"),
            "SLA breached": search.Filters(sla_breached=True),
            "page 40 of a filter": search.Filters(status="closed"),
        }
        for name, filters in kinds.items():
            timings = []
            for _ in range(args.runs):
                with db.session_scope() as session:
                    t0 = time.perf_counter()
                    search.page(session, filters, 40 if name.startswith("page 40") else 1)
                    timings.append((time.perf_counter() - t0) * 1000)
            q = statistics.quantiles(timings, n=20)
            print(f"{name:22s} p50={statistics.median(timings):7.1f} ms  p95={q[18]:7.1f} ms")
        print(f"load average: {support.load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
