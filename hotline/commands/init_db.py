"""``init-db``: apply migrations and load the reference data; running it again changes nothing."""
from __future__ import annotations

import argparse

from hotline import db, logs, migrate, pii, reference, settings


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")


def run(args: argparse.Namespace) -> int:
    conf = settings.get()
    logs.setup(conf)
    before = migrate.current()
    migrate.upgrade()
    with db.session_scope() as session:
        changes = reference.load_into(session)
    pii.ensure_key()
    if not args.quiet:
        schema = migrate.current()
        moved = "unchanged" if before == schema else f"{before or 'empty'} → {schema}"
        print(f"database {db.engine().url.render_as_string(hide_password=True)}: schema {moved}; "
              f"reference data: {changes['entities']} entity and {changes['rules']} rule changes")
    return 0
