"""``open311-key``: issue an API key for an entity's own system; the key is printed once."""
from __future__ import annotations

import argparse


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("entity", help="entity code, e.g. gov-minya (see config/entities.yaml)")
    parser.add_argument("--label", default="", help="which system the key is for")


def run(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from agent_console.open311 import keys
    from hotline import audit, db
    from hotline.errors import NotFound
    from hotline.models import Entity

    with db.session_scope() as session:
        entity = session.scalar(select(Entity).where(Entity.code == args.entity))
        if entity is None:
            raise NotFound(f"no entity with code {args.entity!r}")
        key = keys.issue(session, entity, args.label)
        audit.record(session, "open311.key_issued", actor="open311-key", object_type="entity",
                     object_id=entity.id, detail={"label": args.label})
    print(f"Open311 key for {entity.code} ({entity.name_en}); it is shown only now:\n{key}")
    return 0
