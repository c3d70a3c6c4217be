"""The vault: age encryption to every recipient, atomic files, refused tampering, age interop."""
from __future__ import annotations

import hashlib
import os
import stat
import subprocess

import pytest

from hotline import settings
from recordings import keyring, vault

DATA = os.urandom(300_000)


def test_round_trip_to_every_recipient(identity, escrow):
    escrow_recipient = str(keyring.read_identities(escrow)[0].to_public())
    recipients = [settings.get().age_recipients[0], escrow_recipient]
    sealed = vault.store(DATA, "r1-test.wav", "recordings", recipients)
    assert sealed.sha256 == hashlib.sha256(DATA).hexdigest() and sealed.size == len(DATA)
    assert sealed.recipients == [keyring.fingerprint(r) for r in recipients]
    for key_file in (identity, escrow):
        assert vault.open_bytes(sealed.path, sealed.sha256, keyring.read_identities(key_file)) == DATA
    path = vault.resolve(sealed.path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert DATA[:64] not in path.read_bytes()
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def _refused(sealed: vault.Sealed, match: str | None = None) -> None:
    """Both ways of opening a vault file refuse it."""
    with pytest.raises(vault.IntegrityError, match=match):
        vault.open_bytes(sealed.path, sealed.sha256)
    with pytest.raises(vault.IntegrityError, match=match):
        vault.check(sealed.path, sealed.sha256)


def test_wrong_identity_refused(identity, escrow):
    sealed = vault.store(DATA, "r2-test.wav", "recordings")
    with pytest.raises(vault.WrongKey):
        vault.open_bytes(sealed.path, sealed.sha256, keyring.read_identities(escrow))


def test_tampered_file_refused(identity):
    sealed = vault.store(DATA, "r3-test.wav", "recordings")
    path = vault.resolve(sealed.path)
    blob = bytearray(path.read_bytes())
    blob[len(blob) // 2] ^= 0x01
    path.write_bytes(bytes(blob))
    _refused(sealed)


def test_truncated_file_refused(identity):
    sealed = vault.store(DATA, "r4-test.wav", "recordings")
    path = vault.resolve(sealed.path)
    path.write_bytes(path.read_bytes()[:-1000])
    _refused(sealed)


def test_swapped_file_refused(identity):
    # Both files decrypt with the right key: only the recorded hash shows they were swapped.
    first = vault.store(DATA, "r5-test.wav", "recordings")
    second = vault.store(DATA[::-1], "r6-test.wav", "recordings")
    a, b = vault.resolve(first.path), vault.resolve(second.path)
    blob_a, blob_b = a.read_bytes(), b.read_bytes()
    a.write_bytes(blob_b)
    b.write_bytes(blob_a)
    _refused(first)
    _refused(second)


def test_missing_file_refused(identity):
    sealed = vault.store(DATA, "r7-test.wav", "recordings")
    vault.resolve(sealed.path).unlink()
    _refused(sealed, "missing")


def test_debian_age_decrypts_a_vault_file(identity):
    sealed = vault.store(DATA, "r8-test.wav", "recordings")
    out = subprocess.run(["age", "-d", "-i", str(identity), str(vault.resolve(sealed.path))],
                         capture_output=True, check=True, timeout=60)
    assert out.stdout == DATA


def test_age_keygen_identity_file_is_read(tmp_path, isolated_settings):
    key_file = tmp_path / "keygen.txt"
    subprocess.run(["age-keygen", "-o", str(key_file)], check=True, capture_output=True)
    recipient = subprocess.run(["age-keygen", "-y", str(key_file)], check=True, capture_output=True,
                               text=True).stdout.strip()
    sealed = vault.store(DATA, "r9-test.wav", "recordings", [recipient])
    assert vault.open_bytes(sealed.path, sealed.sha256, keyring.read_identities(key_file)) == DATA


def test_reseal_streams_to_new_recipients_and_keeps_the_old_file(identity, escrow):
    sealed = vault.store(DATA, "r10-test.wav", "recordings")
    escrow_recipient = str(keyring.read_identities(escrow)[0].to_public())
    moved = vault.reseal(sealed.path, sealed.sha256, [escrow_recipient])
    assert moved.path != sealed.path and vault.stem_of(moved.path) == "r10-test.wav"
    assert vault.open_bytes(moved.path, moved.sha256, keyring.read_identities(escrow)) == DATA
    assert vault.open_bytes(sealed.path, sealed.sha256) == DATA
    with pytest.raises(vault.WrongKey):
        vault.open_bytes(moved.path, moved.sha256)


def test_embedded_mode_makes_a_private_identity(isolated_settings):
    recipients = keyring.configured_recipients()
    path = isolated_settings.age_identity_file
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert recipients == [str(keyring.read_identities(path)[0].to_public())]
    assert keyring.configured_recipients() == recipients  # made once, then reused


def test_open_reader_serves_ranges_of_the_recorded_encryption(identity):
    sealed = vault.store(DATA, "r11-test.wav", "recordings")
    with vault.open_reader(sealed.path, sealed.sha256, sealed.size, sealed.header_sha256) as reader:
        assert reader.read(123_456, 1000) == DATA[123_456:124_456]


def _reader_refused(sealed: vault.Sealed, match: str) -> None:
    with pytest.raises(vault.IntegrityError, match=match):
        vault.open_reader(sealed.path, sealed.sha256, sealed.size, sealed.header_sha256)


def test_open_reader_refuses_swapped_truncated_missing_and_foreign_files(identity, escrow):
    first = vault.store(DATA, "r12-test.wav", "recordings")
    second = vault.store(DATA, "r13-test.wav", "recordings")  # the same audio, encrypted again
    a, b = vault.resolve(first.path), vault.resolve(second.path)
    blob_a = a.read_bytes()
    a.write_bytes(b.read_bytes())
    _reader_refused(first, "header differs")
    a.write_bytes(blob_a[:-(len(DATA) % 65536 + 16)])  # cut at a chunk boundary
    _reader_refused(first, "not the recorded")
    a.unlink()
    _reader_refused(first, "missing")
    with pytest.raises(vault.WrongKey):
        vault.open_reader(second.path, second.sha256, second.size, second.header_sha256,
                          keyring.read_identities(escrow))


def test_open_reader_checks_a_row_without_header_digest_whole(identity):
    # Rows written before header digests were kept: the whole file is hashed first.
    sealed = vault.store(DATA, "r14-test.wav", "recordings")
    with vault.open_reader(sealed.path, sealed.sha256, sealed.size, None) as reader:
        assert reader.read(0, 100) == DATA[:100]
    path = vault.resolve(sealed.path)
    blob = bytearray(path.read_bytes())
    blob[-100] ^= 0x01
    path.write_bytes(bytes(blob))
    with pytest.raises(vault.IntegrityError):
        vault.open_reader(sealed.path, sealed.sha256, sealed.size, None)


def test_check_with_header_digest_refuses_a_re_encrypted_copy(identity):
    # The same plaintext encrypted again passes the hash; only the header shows it is not the
    # file the row recorded (what `keys check` reports).
    first = vault.store(DATA, "r15-test.wav", "recordings")
    second = vault.store(DATA, "r16-test.wav", "recordings")
    vault.resolve(first.path).write_bytes(vault.resolve(second.path).read_bytes())
    assert vault.check(first.path, first.sha256) == len(DATA)
    with pytest.raises(vault.IntegrityError, match="header differs"):
        vault.check(first.path, first.sha256, header_sha256=first.header_sha256)
