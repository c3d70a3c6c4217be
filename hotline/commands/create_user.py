"""``create-user``: add a console user; the password is read without echo, or from stdin."""
from __future__ import annotations

import argparse
import getpass
import sys

from hotline import db, security, users
from hotline.errors import UsageError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("username")
    parser.add_argument("--role", required=True, choices=sorted(security.ROLES))
    parser.add_argument("--entity", metavar="CODE", help="entity code (entity officers only)")
    parser.add_argument("--extension", help="agent's phone extension / Asterisk queue member")
    parser.add_argument("--name", default="", help="display name")
    parser.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input")


def _read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise UsageError("no password on standard input")
        return password
    password = getpass.getpass("Password: ")
    if password != getpass.getpass("Repeat password: "):
        raise UsageError("the two passwords differ")
    return password


def run(args: argparse.Namespace) -> int:
    password = _read_password(args.password_stdin)
    with db.session_scope() as session:
        user = users.create_user(session, username=args.username, password=password,
                                 role=args.role, entity_code=args.entity,
                                 extension=args.extension, display_name=args.name,
                                 actor="create-user")
        print(f"created {user.role} {user.username!r} (id {user.id})")
    return 0
