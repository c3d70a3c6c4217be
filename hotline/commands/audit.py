"""``audit verify``: walk the audit trail's hash chain and report the first broken entry."""
from __future__ import annotations

import argparse

from hotline import audit, db


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="action")
    sub.add_parser("verify", help="check every entry; exit 1 at the first broken one")


def run(args: argparse.Namespace) -> int:
    with db.session_scope() as session:
        result = audit.verify(session)
    if result.ok:
        print(f"audit trail intact: {result.checked} entries")
        return 0
    print(f"audit trail BROKEN at entry {result.broken_id}: {result.problem}")
    return 1
