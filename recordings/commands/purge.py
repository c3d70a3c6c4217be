"""``run_ivr.py purge [--dry-run] | --sweep``: retention, and retrying pending encryptions."""
from __future__ import annotations

import argparse

from recordings import retention, sweeper


def configure(parser: argparse.ArgumentParser) -> None:
    """Options of the purge command."""
    parser.add_argument("--dry-run", action="store_true",
                        help="list what would be deleted, delete nothing")
    parser.add_argument("--sweep", action="store_true",
                        help="instead of purging, retry recordings whose encryption failed")


def run(args: argparse.Namespace) -> int:
    """Purge past retention, or sweep the spool."""
    if args.sweep:
        return _sweep()
    report = retention.purge(dry_run=args.dry_run)
    verb = "would delete" if args.dry_run else "deleted"
    for item in report.purged:
        print(f"{verb} {item.describe()}")
    for item in report.held:
        print(f"kept (legal hold) {item.describe()}")
    print(f"{verb} {len(report.purged)}, kept on legal hold {len(report.held)}")
    return 0


def _sweep() -> int:
    report = sweeper.sweep()
    print(f"encrypted {len(report.stored)}, still pending {len(report.still_pending)}, "
          f"not audio {len(report.invalid)}, plaintext removed {len(report.plaintext_removed)}, "
          f"orphaned takes removed {len(report.orphan_takes_removed)}")
    for recording_id in report.still_pending:
        print(f"still pending: recording {recording_id}")
    return 1 if report.still_pending else 0
