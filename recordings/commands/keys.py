"""``run_ivr.py keys generate | rotate --to RECIPIENT... | check``: the recordings' age keys."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from hotline import settings
from hotline.errors import UsageError
from recordings import keyring, rotation


def configure(parser: argparse.ArgumentParser) -> None:
    """Sub-commands and their options."""
    actions = parser.add_subparsers(dest="action", metavar="action")
    generate = actions.add_parser("generate", help="write a new identity (mode 0600) and print its recipient")
    generate.add_argument("--out", metavar="FILE", type=Path,
                          help="identity file to write (default: the age_identity_file setting)")
    rotate = actions.add_parser("rotate", help="re-encrypt every vault file to new recipients (resumable)")
    rotate.add_argument("--to", nargs="+", required=True, metavar="RECIPIENT",
                        help="age recipients (age1...) every file will be encrypted to")
    rotate.add_argument("--identity", metavar="FILE", type=Path,
                        help="identity that opens the files today (default: age_identity_file)")
    check = actions.add_parser("check", help="open every vault file and check its hash")
    check.add_argument("--identity", metavar="FILE", type=Path,
                       help="identity to open the files with (default: age_identity_file)")


def run(args: argparse.Namespace) -> int:
    """Run the chosen action."""
    if args.action == "generate":
        return _generate(args.out or settings.get().age_identity_file)
    if args.action not in ("rotate", "check"):
        raise UsageError("choose an action: generate, rotate or check (see 'keys --help')")
    identities = keyring.read_identities(args.identity)
    total = len(rotation.vault_rows())
    with tqdm(total=total, unit="file", file=sys.stderr, desc=args.action,
              disable=not total) as bar:
        if args.action == "rotate":
            report = rotation.rotate(args.to, identities, on_file=lambda _: bar.update())
        else:
            report = rotation.check_all(identities, on_file=lambda _: bar.update())
    for relative, problem in report.failed:
        print(f"FAILED {relative}: {problem}", file=sys.stderr)
    if args.action == "rotate":
        print(f"re-encrypted {report.done}, already done {report.skipped}, failed {len(report.failed)}")
        if not report.failed:
            print("now set age_recipients to: " + ",".join(args.to))
    else:
        print(f"checked {report.done + len(report.failed)} vault files: {report.done} open, "
              f"{len(report.failed)} failed")
    return 1 if report.failed else 0


def _generate(path: Path) -> int:
    recipient = keyring.write_identity(path.expanduser().resolve())
    print(recipient)
    print(f"identity written to {path} (mode 0600); keep it off IVR hosts and back it up — "
          "add the recipient above to age_recipients", file=sys.stderr)
    return 0
