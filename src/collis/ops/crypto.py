"""Streaming authenticated encryption for backup archives (health data, face videos).

Format ("COLLIS-ENC1"): a header (magic + 7 random nonce bytes), then chunks of at most 1 MiB of
plaintext, each sealed with AES-256-GCM and written as ``<4-byte length><ciphertext+tag>``. The
12-byte nonce of chunk *i* is ``prefix(7) || i (4 bytes) || last-flag (1 byte)``, and the header
is the associated data of every chunk, so chunks cannot be reordered, dropped, taken from another
archive, or the archive cut short (the last chunk is flagged; a missing one is an error) —
the STREAM construction used by age and Tink. Memory use is one chunk, whatever the archive size.

The key is 32 random bytes, written as URL-safe base64 (``manage.py backup_key`` makes one). The
clinic holds it: in ``BACKUP_ENCRYPTION_KEY`` on the server and a copy somewhere the server is
not (a password manager, a safe). Without the key a backup cannot be read by anyone, the clinic
included.
"""

from __future__ import annotations

import base64
import binascii
import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"COLLIS-ENC1\n"
CHUNK = 1024 * 1024
_PREFIX = 7
_LENGTH = struct.Struct(">I")


class DecryptionError(Exception):
    """Wrong key, or the archive was altered or cut short."""


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def parse_key(text: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip().encode())
    except (binascii.Error, ValueError) as exc:
        raise ValueError("the backup key must be URL-safe base64 (manage.py backup_key)") from exc
    if len(key) != 32:
        raise ValueError("the backup key must be 32 bytes (manage.py backup_key makes one)")
    return key


def is_encrypted(path: os.PathLike | str) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", index) + (b"\x01" if last else b"\x00")


class EncryptingWriter:
    """A write-only file object: what is written is sealed chunk by chunk into ``sink``."""

    def __init__(self, sink: BinaryIO, key: bytes) -> None:
        self._sink = sink
        self._aead = AESGCM(key)
        self._prefix = os.urandom(_PREFIX)
        self._header = MAGIC + self._prefix
        self._buffer = bytearray()
        self._index = 0
        self._closed = False
        sink.write(self._header)

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:  # keep one chunk back: it may be the last
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, plaintext: bytes, *, last: bool) -> None:
        if self._index >= 2**32 - 1:
            raise ValueError("archive too large for one key stream")
        nonce = _nonce(self._prefix, self._index, last)
        sealed = self._aead.encrypt(nonce, plaintext, self._header)
        self._sink.write(_LENGTH.pack(len(sealed)) + sealed)
        self._index += 1

    def flush(self) -> None:
        self._sink.flush()

    def close(self) -> None:
        if not self._closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._closed = True
            self._sink.flush()


def decrypt_stream(source: BinaryIO, sink: BinaryIO, key: bytes) -> None:
    header = source.read(len(MAGIC) + _PREFIX)
    if not header.startswith(MAGIC) or len(header) != len(MAGIC) + _PREFIX:
        raise DecryptionError("not an encrypted Collis archive")
    prefix = header[len(MAGIC) :]
    aead = AESGCM(key)
    index = 0
    pending: bytes | None = None
    while True:
        raw_length = source.read(_LENGTH.size)
        if not raw_length:
            break
        if len(raw_length) != _LENGTH.size:
            raise DecryptionError("archive cut short")
        (length,) = _LENGTH.unpack(raw_length)
        if length > CHUNK + 16:
            raise DecryptionError("archive damaged (chunk too long)")
        sealed = source.read(length)
        if len(sealed) != length:
            raise DecryptionError("archive cut short")
        if pending is not None:
            raise DecryptionError("archive damaged (data after the last chunk)")
        try:
            plaintext = aead.decrypt(_nonce(prefix, index, False), sealed, header)
        except InvalidTag:
            try:
                plaintext = aead.decrypt(_nonce(prefix, index, True), sealed, header)
            except InvalidTag:
                raise DecryptionError("wrong key, or the archive was altered") from None
            pending = plaintext  # the last chunk: nothing may follow
        sink.write(plaintext)
        index += 1
    if pending is None:
        raise DecryptionError("archive cut short (no final chunk)")
