"""A real Asterisk for the tests: built once per machine into a cache outside the work tree.

``python -m tests.support.asterisk_build [--tarball PATH] [--asterisk PATH]`` is what ``make test``
runs first. It uses, in this order: an ``asterisk`` binary named with ``--asterisk`` (or already
on PATH), a finished build in the cache, or builds one from the tarball (Asterisk 22.10.1 from
``../shared/asterisk/`` by default) with the flags measured in that folder's README: no bundled
pjproject (it downloads) and no sound packages (downloads too; the tests render what they play).
A build takes about 6 minutes on 2 cores; its log is kept beside it.

:func:`find` tells the tests where the binary and its modules are, or why there are none.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.support.cache import cache_dir, sha256

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TARBALL = ROOT.parent / "shared" / "asterisk" / "asterisk-22.10.1.tar.gz"
# What the tests need of a build: classic and fast AGI, queues, call files, the manager,
# recording and mixing, WAV, and a Local channel to script callers with.
REQUIRED_MODULES = ("res_agi.so", "app_queue.so", "pbx_spool.so", "app_mixmonitor.so",
                    "format_wav.so", "app_senddtmf.so", "res_musiconhold.so", "app_playback.so",
                    "pbx_config.so", "codec_ulaw.so")
MENUSELECT_OFF = ("MENUSELECT_CORE_SOUNDS", "MENUSELECT_MOH", "MENUSELECT_EXTRA_SOUNDS")
BUILD_HINT = ("build one with `make asterisk` (needs the tarball in ../shared/asterisk/ or "
              "ASTERISK_TARBALL=...), or point ASTERISK=... at an installed asterisk")


@dataclass(frozen=True)
class Install:
    """Where an Asterisk's binary and modules are."""

    binary: Path
    modules: Path
    documentation: Path  # the XML docs Asterisk must find in its data folder to start
    version: str


def _prefix(tarball: Path) -> Path:
    name = tarball.name.removesuffix(".tar.gz").removesuffix(".tgz")
    return cache_dir() / name


def _installed(binary: Path) -> Install | None:
    """An Install for a binary whose modules folder holds what the tests need."""
    if not binary.is_file() or not os.access(binary, os.X_OK):
        return None
    candidates = [binary.parent.parent / "lib" / "asterisk" / "modules",
                  Path("/usr/lib/asterisk/modules"), Path("/usr/lib/x86_64-linux-gnu/asterisk/modules")]
    docs = [binary.parent.parent / "var" / "lib" / "asterisk" / "documentation",
            Path("/var/lib/asterisk/documentation"), Path("/usr/share/asterisk/documentation")]
    documentation = next((d for d in docs if d.is_dir()), None)
    for modules in candidates:
        if documentation and all((modules / name).is_file() for name in REQUIRED_MODULES):
            done = subprocess.run([str(binary), "-V"], capture_output=True, text=True, timeout=30)
            return Install(binary, modules, documentation, done.stdout.strip())
    return None


def find(asterisk: str | None = None, tarball: Path = DEFAULT_TARBALL) -> tuple[Install | None, str]:
    """(the Asterisk to test against, '') or (None, one line saying why none and how to get one)."""
    named = asterisk or os.environ.get("ASTERISK") or ""
    if named:
        found = _installed(Path(shutil.which(named) or named))
        return (found, "") if found else (None, f"ASTERISK={named} is not an Asterisk with "
                                          f"{', '.join(REQUIRED_MODULES)}")
    cached = _installed(_prefix(tarball) / "sbin" / "asterisk")
    if cached:
        return cached, ""
    on_path = shutil.which("asterisk")
    if on_path and (found := _installed(Path(on_path))):
        return found, ""
    return None, f"no Asterisk built in {_prefix(tarball)}: {BUILD_HINT}"


def build(tarball: Path, jobs: int) -> Path:
    """Configure, build and install the tarball into the cache; returns the prefix."""
    prefix = _prefix(tarball)
    log_path = prefix.with_name(prefix.name + ".build.log")
    prefix.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="asterisk-build-", dir=prefix.parent))
    print(f"asterisk: building {tarball.name} into {prefix} (about 6 minutes on 2 cores; "
          f"log: {log_path})", flush=True)
    try:
        with tarfile.open(tarball) as archive:
            archive.extractall(work, filter="data")
        source = next(p for p in work.iterdir() if p.is_dir())
        menuselect = ["menuselect/menuselect"]
        for category in MENUSELECT_OFF:
            menuselect += ["--disable-category", category]
        steps = [["./configure", f"--prefix={prefix}", "--without-pjproject"],
                 ["make", "menuselect.makeopts"],
                 [*menuselect, "menuselect.makeopts"],
                 ["make", f"-j{jobs}"],
                 ["make", "install"]]
        with open(log_path, "w") as log:
            for step in steps:
                log.write(f"\n$ {' '.join(step)}\n")
                log.flush()
                done = subprocess.run(step, cwd=source, stdout=log, stderr=subprocess.STDOUT)
                if done.returncode != 0:
                    raise SystemExit(f"asterisk: `{' '.join(step)}` failed (exit {done.returncode}); "
                                     f"see {log_path}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return prefix


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="asterisk_build", description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, default=None, help="Asterisk source tarball")
    parser.add_argument("--asterisk", default=None, help="an installed asterisk binary to use instead")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args(argv)
    tarball = (args.tarball or DEFAULT_TARBALL).resolve()
    found, why = find(args.asterisk, tarball)
    if found:
        print(f"asterisk: {found.version} at {found.binary}")
        return 0
    if args.asterisk or os.environ.get("ASTERISK"):
        print(f"asterisk: {why}", file=sys.stderr)
        return 1
    if not tarball.is_file():
        # Not an error for `make test`: the real-PBX tests then skip, each saying why.
        print(f"asterisk: no tarball at {tarball}; the real-PBX tests will skip ({BUILD_HINT})",
              file=sys.stderr)
        return 0
    print(f"asterisk: {tarball.name} sha256 {sha256(tarball)}")
    build(tarball, args.jobs)
    found, why = find(None, tarball)
    if not found:
        print(f"asterisk: the build finished but {why}", file=sys.stderr)
        return 1
    print(f"asterisk: {found.version} at {found.binary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
