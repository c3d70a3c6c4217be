"""The vault: files encrypted with age to every configured recipient, checked by SHA-256 on open.

Files are written with pyrage (rage) and read back with ``recordings.agefile`` (the same age
format, decrypted chunk by chunk with OpenSSL's ChaCha20-Poly1305). A whole file is checked
against the plaintext's SHA-256. For random access (playback seeks), :func:`open_reader` checks
the file's age header against the digest recorded when it was written, and its size; every
chunk it then decrypts is authenticated by age itself.

A file is written to a temporary name, fsynced and renamed, so a crash never leaves a half file
under a real name. Its name ends with the id of the recipient set (``<stem>.<keyset>.age``), so a
rotation writes the new file beside the old one and the database row always names a whole file.
Paths in rows are relative to ``recordings_dir``.
"""
from __future__ import annotations

import hashlib
import os
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import pyrage

from hotline import durable, settings
from hotline.errors import HotlineError
from recordings import agefile, keyring


class VaultError(HotlineError):
    """A vault file cannot be written or read."""


class IntegrityError(VaultError):
    """A vault file was tampered with, truncated or swapped: its content is refused."""


class WrongKey(VaultError):
    """None of this host's identities can decrypt the file."""


@dataclass(frozen=True)
class Sealed:
    """What the database keeps about a vault file."""

    path: str  # relative to recordings_dir
    sha256: str
    size: int
    recipients: list[str]  # fingerprints
    header_sha256: str  # this encryption's age header and payload nonce (agefile.header_digest)


def resolve(relative: str) -> Path:
    """The absolute path of a vault file named in a row."""
    path = Path(relative)
    return path if path.is_absolute() else settings.get().recordings_dir / path


def file_name(stem: str, recipients: list[str]) -> str:
    """``<stem>.<keyset>.age``: the name of ``stem`` encrypted to ``recipients``."""
    return f"{stem}.{keyring.keyset_id(recipients)}.age"


def stem_of(relative: str) -> str:
    """The stem of a vault file name (``r12-ab12cd34.wav`` for ``r12-ab12cd34.wav.1f2e3d4c.age``)."""
    return Path(relative).name.rsplit(".", 2)[0]


def store(data: bytes, stem: str, folder: str, recipients: list[str] | None = None,
          when=None) -> Sealed:
    """Encrypt ``data`` into ``<folder>/YYYY/MM/<stem>.<keyset>.age`` and return its record."""
    from hotline.models import utcnow

    recipients = recipients or keyring.configured_recipients()
    when = when or utcnow()
    relative = Path(folder) / f"{when:%Y}" / f"{when:%m}" / file_name(stem, recipients)
    digest = hashlib.sha256()
    # hashlib drops the GIL on large buffers: the hash runs beside the encryption.
    hasher = threading.Thread(target=digest.update, args=(data,), name="vault-sha256")
    hasher.start()
    try:
        ciphertext = pyrage.encrypt(data, keyring.parse_recipients(recipients))
    except pyrage.EncryptError as exc:
        raise VaultError(f"encryption failed: {exc}") from None
    finally:
        hasher.join()
    write_atomic(resolve(str(relative)), ciphertext)
    return Sealed(relative.as_posix(), digest.hexdigest(), len(data),
                  [keyring.fingerprint(r) for r in recipients],
                  agefile.header_digest(ciphertext[:agefile.MAX_HEADER + agefile.NONCE]))


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary name, fsync, rename; mode 0600."""
    with atomic_writer(path) as handle:
        handle.write(data)


class atomic_writer:
    """A context manager giving a file that appears at ``path`` only once whole and synced."""

    def __init__(self, path: Path):
        self.path = path
        self.temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.handle = os.fdopen(fd, "wb")
        return self.handle

    def __exit__(self, kind, value, tb):
        try:
            if kind is None:
                self.handle.flush()
                os.fsync(self.handle.fileno())
            self.handle.close()
            if kind is None:
                os.replace(self.temp, self.path)
                durable.fsync_dir(self.path.parent)
        finally:
            if self.temp.exists():
                self.temp.unlink()
        return False



def open_bytes(relative: str, sha256: str, identities=None) -> bytes:
    """The plaintext of a vault file, in memory, after checking its SHA-256."""
    return read_checked(_reader(relative, identities or keyring.read_identities()), relative, sha256)


def read_checked(reader: agefile.AgeReader, relative: str, sha256: str) -> bytes:
    """All the plaintext of an open vault file, after checking its SHA-256; closes the reader."""
    with reader:
        try:
            data = reader.read()
        except agefile.Damaged as exc:
            raise IntegrityError(f"vault file {relative} is damaged or was tampered with ({exc})") from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise IntegrityError(f"vault file {relative} does not hold the recorded content (hash differs)")
    return data


def open_reader(relative: str, sha256: str, size: int, header_sha256: str | None,
                identities=None) -> agefile.AgeReader:
    """Random access to a vault file, for byte ranges: nothing is decrypted until read.

    The file must carry the age header recorded when it was written (so it is that encryption,
    not another vault file swapped in) and hold ``size`` bytes (so it was not cut short); each
    chunk read is then authenticated, and a damaged one raises ``agefile.Damaged``. A row
    written before header digests were kept is checked whole first.
    """
    identities = identities or keyring.read_identities()
    if header_sha256 is None:
        check(relative, sha256, identities)
    reader = _reader(relative, identities)
    if header_sha256 is not None and reader.header_digest != header_sha256:
        reader.close()
        raise IntegrityError(f"vault file {relative} is not the recorded encryption (header differs)")
    if reader.size != size:
        reader.close()
        raise IntegrityError(f"vault file {relative} holds {reader.size} bytes, not the recorded {size}")
    return reader


def _reader(relative: str, identities) -> agefile.AgeReader:
    """An open reader of a vault file, or the VaultError saying why there is none."""
    try:
        handle = open(resolve(relative), "rb")
    except FileNotFoundError:
        raise IntegrityError(f"vault file missing: {relative}") from None
    except OSError as exc:
        raise VaultError(f"cannot read vault file {relative}: {exc.strerror}") from None
    try:
        return agefile.AgeReader(handle, [agefile.secret_key(str(i)) for i in identities])
    except agefile.NoIdentity:
        handle.close()
        raise WrongKey(f"no identity on this host can decrypt {relative}") from None
    except agefile.Damaged as exc:
        handle.close()
        raise IntegrityError(f"vault file {relative} is damaged or was tampered with ({exc})") from None


def _decrypt_error(relative: str, exc: Exception) -> VaultError:
    if "No matching keys" in str(exc):
        return WrongKey(f"no identity on this host can decrypt {relative}")
    return IntegrityError(f"vault file {relative} is damaged or was tampered with ({exc})")


class _HashingSink:
    """A writer that hashes and counts what it is given, optionally passing it on."""

    def __init__(self, target=None):
        self.hash, self.size, self.target = hashlib.sha256(), 0, target

    def write(self, chunk) -> int:
        self.hash.update(chunk)
        self.size += len(chunk)
        if self.target is not None:
            self.target.write(chunk)
        return len(chunk)

    def flush(self) -> None:
        if self.target is not None:
            self.target.flush()


def check(relative: str, sha256: str, identities=None, header_sha256: str | None = None) -> int:
    """Decrypt a vault file as a stream (nothing kept) and check its hash; returns its size.

    With ``header_sha256``, the file's age header must also be the one recorded, as
    :func:`open_reader` requires.
    """
    identities = identities or keyring.read_identities()
    sink = _HashingSink()
    try:
        source = open(resolve(relative), "rb")
    except FileNotFoundError:
        raise IntegrityError(f"vault file missing: {relative}") from None
    with source:
        try:
            pyrage.decrypt_io(source, sink, identities)
        except (pyrage.DecryptError, OSError) as exc:  # pyrage reports a bad stream as OSError
            raise _decrypt_error(relative, exc) from None
    if sink.hash.hexdigest() != sha256:
        raise IntegrityError(f"vault file {relative} does not hold the recorded content (hash differs)")
    if header_sha256 is not None and agefile.header_digest(
            agefile.read_prefix(resolve(relative))) != header_sha256:
        raise IntegrityError(f"vault file {relative} is not the recorded encryption (header differs)")
    return sink.size


def reseal(relative: str, sha256: str, recipients: list[str], identities=None) -> Sealed:
    """Re-encrypt a vault file to ``recipients`` beside the old one, streaming; the old stays."""
    identities = identities or keyring.read_identities()
    new_relative = (Path(relative).parent / file_name(stem_of(relative), recipients)).as_posix()
    if new_relative == relative:
        raise VaultError(f"{relative} is already encrypted to these recipients")
    read_fd, write_fd = os.pipe()
    failure: list[BaseException] = []
    # Plaintext flows through a pipe between the two streams: it is never written to disk.
    with open(read_fd, "rb") as plain_in, atomic_writer(resolve(new_relative)) as out:
        sink = _HashingSink(open(write_fd, "wb"))

        def decrypt() -> None:
            try:
                with open(resolve(relative), "rb") as source:
                    pyrage.decrypt_io(source, sink, identities)
            except BaseException as exc:  # reported by the caller's thread
                failure.append(exc)
            finally:
                sink.target.close()

        worker = threading.Thread(target=decrypt, name="vault-reseal", daemon=True)
        worker.start()
        try:
            pyrage.encrypt_io(plain_in, out, keyring.parse_recipients(recipients))
        except BaseException:
            plain_in.close()  # the decrypting thread then stops on a broken pipe
            raise
        finally:
            worker.join()
        if failure:
            exc = failure[0]
            if isinstance(exc, FileNotFoundError):
                raise IntegrityError(f"vault file missing: {relative}")
            if isinstance(exc, (pyrage.DecryptError, OSError)):
                raise _decrypt_error(relative, exc)
            raise exc
        if sink.hash.hexdigest() != sha256:
            raise IntegrityError(f"vault file {relative} does not hold the recorded content (hash differs)")
    return Sealed(new_relative, sha256, sink.size, [keyring.fingerprint(r) for r in recipients],
                  agefile.header_digest(agefile.read_prefix(resolve(new_relative))))


def remove(relative: str) -> bool:
    """Delete a vault file; False when it was already gone."""
    try:
        resolve(relative).unlink()
        return True
    except FileNotFoundError:
        return False
