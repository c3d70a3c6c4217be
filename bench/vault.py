"""Benchmark the recordings vault: throughput against raw pyrage, and Range time to first byte.

    .venv/bin/python bench/vault.py [--minutes 10] [--rounds 7]

Prints figures only (goals: vault/raw ratio >= 0.8; time to first byte of a Range read into a
10-minute recording < 30 ms). Works in a temporary folder with its own SQLite database.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyrage  # noqa: E402

from hotline import db, settings  # noqa: E402
from hotline.models import Base, Recording  # noqa: E402
from recordings import keyring, playback, vault  # noqa: E402

RATE, WIDTH = 8000, 2  # the canonical telephone WAV: 8 kHz, 16-bit, mono


def timed(func, rounds: int) -> float:
    """The median wall time of ``func`` in seconds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def wav_of(minutes: float) -> bytes:
    """A canonical WAV of ``minutes`` (noise, so nothing about it is easy)."""
    import io
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(WIDTH)
        writer.setframerate(RATE)
        writer.writeframes(os.urandom(int(minutes * 60 * RATE) * WIDTH))
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        conf = settings.load(environ={}, var_dir=str(Path(folder) / "var"))
        settings.install(conf)
        Base.metadata.create_all(db.engine())  # only the tables; no migration history needed
        recipients = keyring.configured_recipients()
        identities = keyring.read_identities()
        parsed = keyring.parse_recipients(recipients)
        data = wav_of(options.minutes)
        mb = len(data) / 1e6
        rounds = options.rounds
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"payload: {options.minutes:g}-minute canonical WAV, {mb:.1f} MB; median of {rounds} rounds")

        # Each round writes a new file, as every recording is one (overwriting is cheaper).
        raw_files = (Path(folder) / f"raw-{n}.age" for n in range(10**6))
        raw_enc = timed(lambda: pyrage.encrypt(data, parsed), rounds)
        raw_enc_file = timed(lambda: _write(next(raw_files), pyrage.encrypt(data, parsed)), rounds)
        raw_enc_sync = timed(lambda: _write(next(raw_files), pyrage.encrypt(data, parsed), sync=True),
                             rounds)
        sealed: list[vault.Sealed] = []
        vault_store = timed(lambda: sealed.append(vault.store(data, f"bench-{len(sealed)}.wav", "bench")),
                            rounds)
        ciphertext = vault.resolve(sealed[-1].path).read_bytes()
        raw_dec = timed(lambda: pyrage.decrypt(ciphertext, identities), rounds)
        raw_dec_file = timed(lambda: pyrage.decrypt(vault.resolve(sealed[-1].path).read_bytes(), identities),
                             rounds)
        vault_open = timed(lambda: vault.open_bytes(sealed[-1].path, sealed[-1].sha256, identities), rounds)

        def row(name, seconds, baseline=None):
            ratio = f"   ratio {baseline / seconds:.2f}" if baseline else ""
            print(f"  {name:<44} {seconds * 1000:8.1f} ms  {mb / seconds:8.0f} MB/s{ratio}")

        print("encrypt")
        row("raw pyrage.encrypt (memory)", raw_enc)
        row("raw pyrage.encrypt + write new file (no fsync)", raw_enc_file)
        row("raw pyrage.encrypt + write new file + fsync", raw_enc_sync)
        row("vault.store (sha256 + encrypt + write + fsync)", vault_store, raw_enc_sync)
        print(f"  vault.store vs raw in-memory encrypt (no disk at all): ratio {raw_enc / vault_store:.2f}")
        print("decrypt")
        row("raw pyrage.decrypt (memory)", raw_dec)
        row("raw read file + pyrage.decrypt", raw_dec_file)
        row("vault.open_bytes (read + decrypt + sha256 check)", vault_open, raw_dec_file)
        print(f"  vault.open_bytes vs raw in-memory decrypt (no disk at all): ratio {raw_dec / vault_open:.2f}")

        with db.session_scope() as session:
            recording = Recording(status="stored", vault_path=sealed[-1].path, sha256=sealed[-1].sha256,
                                  size=len(data), duration_ms=int(options.minutes * 60_000),
                                  header_sha256=sealed[-1].header_sha256)
            session.add(recording)
            session.flush()
            rid = recording.id
        middle = len(data) // 2
        header = f"bytes={middle}-"

        def first_byte() -> bytes:
            # What the review route does before its first byte leaves: the row, the reader
            # (header digest, size), the range, the first chunk decrypted and authenticated.
            with db.session_scope() as session:
                reader = playback.open_audio(session, rid)
            start, end = playback.byte_range(reader.size, header)
            body = playback.stream(reader, start, end)
            first = next(body)[:1]
            body.close()
            return first

        def whole_first_byte() -> bytes:
            with db.session_scope() as session:
                wav = playback.load(session, rid)
            start, end = playback.byte_range(len(wav), header)
            return wav[start:start + 1]

        http_first_byte = _console_client(rid, header)
        assert first_byte() == whole_first_byte() == http_first_byte() == data[middle:middle + 1]
        ttfb = timed(first_byte, rounds * 5)
        http = timed(http_first_byte, rounds * 5)
        whole = timed(whole_first_byte, rounds)
        print("range")
        print(f"  time to first byte, Range {header!r} into {options.minutes:g} min: {ttfb * 1000:.2f} ms "
              "(playback.open_audio + byte_range + first chunk, database included; goal < 30 ms)")
        print(f"  the same through the console's review route (session, permission, audit look-up): "
              f"{http * 1000:.2f} ms")
        print(f"  the same, decrypting and hashing the whole file first: {whole * 1000:.1f} ms "
              f"(what a request without Range costs; {whole / ttfb:.0f}x)")
        db.dispose()
    return 0


def _console_client(recording_id: int, range_header: str):
    """A function returning the first byte of the review route's answer to ``range_header``."""
    from agent_console import create_app
    from hotline import users
    from tests.console.conftest import login

    password = "bench password 1"
    with db.session_scope() as session:
        users.create_user(session, username="reviewer", password=password, role="quality_reviewer")
    app = create_app(settings.get().replace(console_secure_cookies=False))
    client = app.test_client()
    assert login(client, "reviewer", password).status_code == 302
    from tests.support.playback import audio_url

    url = audio_url(client, recording_id, "benchmark")

    def first_byte() -> bytes:
        response = client.get(url, headers={"Range": range_header}, buffered=False)
        assert response.status_code == 206, response.status_code
        first = next(iter(response.response))[:1]
        response.close()
        return first

    return first_byte


def _write(path: Path, blob: bytes, sync: bool = False) -> None:
    with open(path, "wb") as handle:
        handle.write(blob)
        if sync:
            handle.flush()
            os.fsync(handle.fileno())


if __name__ == "__main__":
    raise SystemExit(main())
