"""``import-units FILE.csv``: add or update the local units below the governorates.

Every row is checked first (``hotline.unit_import``); with any problem nothing is written, each
problem is printed with its line number, and the command exits 1.
"""
from __future__ import annotations

import argparse
import sys

from hotline import db, unit_import
from hotline.errors import UsageError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="CSV with columns " + ", ".join(unit_import.REQUIRED + unit_import.OPTIONAL))
    parser.add_argument("--check", action="store_true", help="only check the file; write nothing")


def run(args: argparse.Namespace) -> int:
    try:
        with open(args.file, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{args.file}: not UTF-8 text (save the CSV as UTF-8)") from None
    with db.session_scope() as session:
        if args.check:
            rows, result = unit_import.check(session, text)
        else:
            result = unit_import.load(session, text)
            rows = None
        if result.errors:
            session.rollback()
            for problem in result.errors:
                print(f"{args.file}: {problem}", file=sys.stderr)
            print(f"nothing imported: {len(result.errors)} problem(s)", file=sys.stderr)
            return 1
    if rows is not None:
        print(f"{args.file}: {len(rows)} unit(s) look right; nothing written (--check)")
    else:
        print(f"imported {result.created} new and {result.updated} updated local unit(s)")
    return 0
