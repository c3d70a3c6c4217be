"""Random access into an age v1 file encrypted to X25519 recipients.

age (https://age-encryption.org/v1) encrypts its payload in 64 KiB chunks, each sealed on its
own with ChaCha20-Poly1305 under a key derived from the file key and a random nonce. So a byte
range of a 10-minute recording needs only the chunks that hold it: a seek in the reviewer's
audio element costs a few chunks, not the whole file. Every chunk read is authenticated; the
last chunk carries a flag, so a file cut short at a chunk boundary is refused when its end is
read, and sooner by its size (see ``vault.open_reader``).

This module reads what pyrage (rage) and Debian's ``age`` write; it never writes. The header
digest (:func:`header_digest`) names one encryption of one file: the header holds the wrapped
file key and its MAC, the payload nonce follows it, and every chunk is bound to both.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
from typing import BinaryIO, Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION_LINE = b"age-encryption.org/v1\n"
CHUNK = 64 * 1024
TAG = 16
SEALED_CHUNK = CHUNK + TAG
NONCE = 16
MAX_HEADER = 64 * 1024  # far beyond any real header (one stanza per recipient, a few lines each)
_X25519_INFO = b"age-encryption.org/v1/X25519"


class Damaged(Exception):
    """Not an age file, or one that was altered, truncated or swapped."""


class NoIdentity(Exception):
    """None of the given identities is a recipient of the file."""


def secret_key(identity: str) -> bytes:
    """The 32-byte X25519 scalar of an ``AGE-SECRET-KEY-1...`` identity string."""
    hrp, data = _bech32_decode(identity.strip().lower())
    if hrp != "age-secret-key-" or len(data) != 32:
        raise ValueError("not an age X25519 identity")
    return data


def header_digest(prefix: bytes) -> str:
    """SHA-256 (hex) of an age file's header and payload nonce, read from its first bytes."""
    return hashlib.sha256(prefix[:_header_end(prefix) + NONCE]).hexdigest()


def read_prefix(path) -> bytes:
    """The first bytes of an age file: enough for its header and payload nonce."""
    with open(path, "rb") as handle:
        return handle.read(MAX_HEADER + NONCE)


class AgeReader:
    """Decrypts any byte range of an open age file; every chunk is authenticated."""

    def __init__(self, handle: BinaryIO, identities: list[bytes]):
        self._handle = handle
        prefix = handle.read(MAX_HEADER + NONCE)
        end = _header_end(prefix)
        self.header_digest = hashlib.sha256(prefix[:end + NONCE]).hexdigest()
        file_key = _unwrap(prefix[:end], identities)
        nonce = prefix[end:end + NONCE]
        self._payload = end + NONCE
        self._aead = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
        sealed = os.fstat(handle.fileno()).st_size - self._payload
        self._chunks = max(-(-sealed // SEALED_CHUNK), 1)
        last = sealed - (self._chunks - 1) * SEALED_CHUNK
        if last < TAG or (last == TAG and self._chunks > 1):
            raise Damaged("payload cut short")
        self.size = (self._chunks - 1) * CHUNK + last - TAG

    def chunk(self, index: int) -> bytes:
        """The plaintext of chunk ``index`` (0-based), authenticated."""
        if not 0 <= index < self._chunks:
            raise IndexError(index)
        final = index == self._chunks - 1
        self._handle.seek(self._payload + index * SEALED_CHUNK)
        sealed = self._handle.read(SEALED_CHUNK)
        nonce = index.to_bytes(11, "big") + (b"\x01" if final else b"\x00")
        try:
            return self._aead.decrypt(nonce, sealed, None)
        except InvalidTag:
            raise Damaged(f"chunk {index} fails authentication") from None

    def iter_range(self, start: int, end: int) -> Iterator[bytes]:
        """The plaintext bytes ``start`` to ``end`` inclusive, one chunk's worth at a time."""
        if not 0 <= start <= end < self.size:
            raise IndexError((start, end))
        for index in range(start // CHUNK, end // CHUNK + 1):
            data = self.chunk(index)
            base = index * CHUNK
            yield data[max(start - base, 0):end - base + 1]

    def read(self, start: int = 0, length: int | None = None) -> bytes:
        """``length`` plaintext bytes from ``start`` (to the end when None)."""
        end = self.size - 1 if length is None else min(start + length, self.size) - 1
        if self.size == 0 or end < start:
            return b""
        return b"".join(self.iter_range(start, end))

    def close(self) -> None:
        self._handle.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _header_end(prefix: bytes) -> int:
    """The offset just after the header's MAC line (the payload nonce follows, checked here)."""
    if not prefix.startswith(VERSION_LINE):
        raise Damaged("not an age v1 file")
    mac_at = prefix.find(b"\n--- ")
    if mac_at < 0:
        raise Damaged("no header MAC line in the first 64 KiB")
    line_end = prefix.find(b"\n", mac_at + 1)
    if line_end < 0 or len(prefix) < line_end + 1 + NONCE:
        raise Damaged("file ends inside its header")
    return line_end + 1


def _unwrap(header: bytes, identities: list[bytes]) -> bytes:
    """The file key, from the first X25519 stanza an identity opens; the header MAC checked."""
    mac_at = header.rindex(b"\n--- ") + 1
    for first, body in _stanzas(header[len(VERSION_LINE):mac_at]):
        arguments = first.split(b" ")
        if arguments[0] != b"X25519" or len(arguments) != 2:
            continue
        share, wrapped = _b64(arguments[1]), _b64(body)
        if len(share) != 32 or len(wrapped) != 32:
            raise Damaged("malformed X25519 stanza")
        for scalar in identities:
            file_key = _open_stanza(scalar, share, wrapped)
            if file_key is not None:
                mac = _b64(header[mac_at + 4:-1])
                expected = hmac.new(_hkdf(file_key, b"", b"header"), header[:mac_at + 3],
                                    hashlib.sha256).digest()
                if not hmac.compare_digest(mac, expected):
                    raise Damaged("header MAC does not match")
                return file_key
    raise NoIdentity("no identity opens this file")


def _stanzas(lines: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(argument line, body) of each ``-> ...`` stanza in the header's stanza lines."""
    stanzas: list[list[bytes]] = []
    for line in lines.split(b"\n")[:-1]:
        if line.startswith(b"-> "):
            stanzas.append([line[3:], b""])
        elif stanzas:
            stanzas[-1][1] += line
        else:
            raise Damaged("header line outside a stanza")
    return ((first, body) for first, body in stanzas)


def _open_stanza(scalar: bytes, share: bytes, wrapped: bytes) -> bytes | None:
    private = X25519PrivateKey.from_private_bytes(scalar)
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(share))
    except ValueError:  # a low-order share: all-zero shared secret
        raise Damaged("X25519 stanza with a low-order share") from None
    recipient = private.public_key().public_bytes_raw()
    wrap_key = _hkdf(shared, share + recipient, _X25519_INFO)
    try:
        return ChaCha20Poly1305(wrap_key).decrypt(b"\x00" * 12, wrapped, None)
    except InvalidTag:
        return None  # another recipient's stanza


def _hkdf(secret: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(secret)


def _b64(text: bytes) -> bytes:
    """age's base64: standard alphabet, no padding."""
    try:
        return base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except ValueError:
        raise Damaged("bad base64 in header") from None


_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _bech32_decode(text: str) -> tuple[str, bytes]:
    """(human-readable part, data) of a Bech32 string, checksum verified (BIP 173)."""
    hrp, sep, rest = text.rpartition("1")
    if not sep or len(rest) < 6 or any(c not in _BECH32 for c in rest):
        raise ValueError("not a Bech32 string")
    values = [_BECH32.index(c) for c in rest]
    if _polymod([ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp] + values) != 1:
        raise ValueError("Bech32 checksum does not match")
    acc = bits = 0
    out = bytearray()
    for value in values[:-6]:
        acc, bits = (acc << 5) | value, bits + 5
        if bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)
    if bits >= 5 or acc & ((1 << bits) - 1):
        raise ValueError("Bech32 padding is not zero")
    return hrp, bytes(out)


def _polymod(values: list[int]) -> int:
    generators = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for i, generator in enumerate(generators):
            if (top >> i) & 1:
                check ^= generator
    return check
