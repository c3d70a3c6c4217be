"""``audit verify``: walk the audit trail's keyed chain, check it against the anchored heads,
and report the first broken entry (a missing anchor is an error, not a skip)."""
from __future__ import annotations

import argparse

from hotline import anchor, audit, db


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="action")
    check = sub.add_parser("verify", help="check every entry and the anchored head; exit 1 if broken")
    check.add_argument("--anchor", metavar="FILE", default=None,
                       help="the anchor file to check against (default: the audit_anchor_file "
                            "setting; e.g. the copy a log host keeps)")


def run(args: argparse.Namespace) -> int:
    with db.session_scope() as session:
        result = audit.verify(session, args.anchor)
    if result.ok:
        print(f"audit trail intact: {result.checked} entries, anchored in {anchor.path(args.anchor)}")
        if result.unanchored:
            print(f"note: the newest {result.unanchored} entries are not anchored yet "
                  "(their process stopped before writing the anchor)")
        return 0
    where = f"at entry {result.broken_id}" if result.broken_id else "(no entry to blame)"
    print(f"audit trail BROKEN {where}: {result.problem}")
    return 1
