"""``run_ivr.py make-prompts``: render config/prompts.yaml with espeak-ng to 8 kHz mono 16-bit WAV.

Only prompts whose text or voice changed are rendered again (a manifest of hashes is kept
beside the sounds).
"""
from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess


def configure(parser) -> None:
    parser.add_argument("--force", action="store_true", help="render every prompt again")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args) -> int:
    from hotline import settings
    from hotline.errors import HotlineError
    from ivr.prompts import all_prompts

    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise HotlineError("espeak-ng is not installed (apt-get install espeak-ng); it renders the prompts")
    conf = settings.get()
    manifest_path = conf.sounds_dir / "prompts.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {}
    todo = []
    for prompt in all_prompts(conf.languages):
        key = f"{prompt.language}/{prompt.name}"
        digest = hashlib.sha256(f"{prompt.voice}\n{prompt.text}".encode()).hexdigest()
        target = conf.sounds_dir / prompt.language / f"{prompt.name}.wav"
        if args.force or manifest.get(key) != digest or not target.is_file():
            todo.append((prompt, target, key, digest))
    from tqdm import tqdm

    for prompt, target, key, digest in tqdm(todo, desc="prompts", unit="prompt", disable=args.quiet):
        target.parent.mkdir(parents=True, exist_ok=True)
        _render(espeak, prompt, target)
        manifest[key] = digest
        manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True))
    print(f"make-prompts: {len(todo)} rendered, {len(manifest) - len(todo)} unchanged, in {conf.sounds_dir}")
    return 0


def _render(espeak: str, prompt, target) -> None:
    from pydub import AudioSegment

    from hotline.errors import HotlineError

    done = subprocess.run([espeak, "-v", prompt.voice, "--stdout", prompt.text], capture_output=True)
    if done.returncode != 0 or not done.stdout:
        raise HotlineError(f"espeak-ng failed on {prompt.language}/{prompt.name}: {done.stderr.decode().strip()}")
    sound = AudioSegment.from_file(io.BytesIO(done.stdout), format="wav")
    sound.set_frame_rate(8000).set_channels(1).set_sample_width(2).export(str(target), format="wav")
