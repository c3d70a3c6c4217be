"""Random access into age files: every range equals what pyrage and Debian's age decrypt."""
from __future__ import annotations

import io
import os
import subprocess

import pyrage
import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from recordings import agefile
from recordings.agefile import CHUNK

IDENTITY = pyrage.x25519.Identity.generate()
OTHER = pyrage.x25519.Identity.generate()
SCALAR = agefile.secret_key(str(IDENTITY))


def _reader(ciphertext: bytes, tmp_path, identities=(SCALAR,)) -> agefile.AgeReader:
    path = tmp_path / f"f{len(ciphertext)}-{os.urandom(4).hex()}.age"
    path.write_bytes(ciphertext)
    return agefile.AgeReader(open(path, "rb"), list(identities))


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK + 17])
def test_sizes_at_chunk_boundaries(tmp_path, size):
    data = os.urandom(size)
    # Two recipients (and rage's grease stanza): the identity opens the second stanza.
    ciphertext = pyrage.encrypt(data, [OTHER.to_public(), IDENTITY.to_public()])
    with _reader(ciphertext, tmp_path) as reader:
        assert reader.size == size
        assert reader.read() == data
        assert reader.header_digest == agefile.header_digest(ciphertext)


DATA = os.urandom(5 * CHUNK + 1234)
CIPHERTEXT = pyrage.encrypt(DATA, [IDENTITY.to_public()])


@hypothesis_settings(max_examples=60, deadline=None)
@given(start=st.integers(0, len(DATA) - 1), length=st.integers(1, 3 * CHUNK))
def test_any_range_equals_the_plaintext_slice(tmp_path_factory, start, length):
    with _reader(CIPHERTEXT, tmp_path_factory.mktemp("r")) as reader:
        end = min(start + length, len(DATA)) - 1
        assert b"".join(reader.iter_range(start, end)) == DATA[start:end + 1]


def test_reads_what_debian_age_writes(tmp_path):
    plain = tmp_path / "plain.wav"
    plain.write_bytes(DATA)
    out = tmp_path / "by-age.age"
    subprocess.run(["age", "-r", str(IDENTITY.to_public()), "-o", str(out), str(plain)],
                   check=True, capture_output=True, timeout=60)
    with agefile.AgeReader(open(out, "rb"), [SCALAR]) as reader:
        assert reader.read(3 * CHUNK - 5, 10) == DATA[3 * CHUNK - 5:3 * CHUNK + 5]
        assert reader.read() == DATA


def test_another_identity_opens_nothing(tmp_path):
    with pytest.raises(agefile.NoIdentity):
        _reader(CIPHERTEXT, tmp_path, [agefile.secret_key(str(OTHER))])


def test_a_flipped_payload_bit_fails_that_chunk_only(tmp_path):
    blob = bytearray(CIPHERTEXT)
    header = len(CIPHERTEXT) - (5 * (CHUNK + 16) + 1234 + 16)  # header and nonce
    blob[header + 2 * (CHUNK + 16) + 100] ^= 0x01  # inside chunk 2
    with _reader(bytes(blob), tmp_path) as reader:
        assert reader.read(0, CHUNK) == DATA[:CHUNK]
        with pytest.raises(agefile.Damaged, match="chunk 2"):
            reader.read(2 * CHUNK, 10)


def test_a_tampered_header_is_refused(tmp_path):
    mac_line = CIPHERTEXT.index(b"\n--- ") + 5
    blob = bytearray(CIPHERTEXT)
    blob[mac_line] = ord("A") if blob[mac_line] != ord("A") else ord("B")
    with pytest.raises(agefile.Damaged, match="MAC"):
        _reader(bytes(blob), tmp_path)
    with pytest.raises(agefile.Damaged, match="not an age"):
        _reader(b"RIFF" + CIPHERTEXT[4:], tmp_path)
    with pytest.raises(agefile.Damaged):
        _reader(CIPHERTEXT[:mac_line], tmp_path)


def test_a_file_cut_at_a_chunk_boundary_fails_at_its_end(tmp_path):
    cut = CIPHERTEXT[:-(1234 + 16)]  # the last chunk gone: the file now ends on a full chunk
    with _reader(cut, tmp_path) as reader:
        assert reader.size == 5 * CHUNK  # the vault compares this with the recorded size
        assert reader.read(0, 10) == DATA[:10]
        with pytest.raises(agefile.Damaged, match="chunk 4"):  # not flagged as the last
            reader.read(5 * CHUNK - 10, 10)
    with pytest.raises(agefile.Damaged, match="cut short"):
        _reader(CIPHERTEXT[:-(1234 + 5)], tmp_path)


def _last_char_changed(text: str) -> str:
    return text[:-1] + ("Q" if text[-1] != "Q" else "P")


@pytest.mark.parametrize("text", ["AGE-SECRET-KEY-1QQQQ", "age1notasecret",
                                  _last_char_changed(str(IDENTITY)), str(IDENTITY.to_public())],
                         ids=["short", "not-a-secret", "checksum-broken", "a-recipient"])
def test_secret_key_refuses_what_is_not_an_identity(text):
    with pytest.raises(ValueError):
        agefile.secret_key(text)


def test_header_digest_names_one_encryption():
    again = pyrage.encrypt(DATA, [IDENTITY.to_public()])
    assert agefile.header_digest(again) != agefile.header_digest(CIPHERTEXT)
    assert agefile.header_digest(CIPHERTEXT[:2000]) == agefile.header_digest(CIPHERTEXT)
    with pytest.raises(agefile.Damaged):
        agefile.header_digest(io.BytesIO(CIPHERTEXT).read(30))
