"""Encrypting a backup as a stream of Fernet tokens, so that a large file never sits in memory.

Each token holds one chunk of at most ``CHUNK`` bytes, prefixed with the file's random id, the
chunk's number and a last-chunk flag: chunks cannot be reordered, dropped, cut off at the end
or spliced in from another backup without the reader noticing.
"""

from __future__ import annotations

import os
import struct
from typing import BinaryIO

from cryptography.fernet import Fernet, InvalidToken

MAGIC = b"MPBACKUP-FERNET-1\n"
CHUNK = 1024 * 1024
_HEADER = struct.Struct(">16sQ?")  # file id, chunk number, last chunk
_LENGTH = struct.Struct(">I")


class BackupKeyError(Exception):
    """The key is missing, malformed, or not the one the backup was encrypted with."""


class BackupDamaged(Exception):
    """The backup file is cut off, altered or not a backup at all."""


def fernet_for(key: str) -> Fernet:
    """The Fernet for a key from the settings, or a clear error when it is not one."""
    try:
        return Fernet(key.strip().encode())
    except (ValueError, TypeError):
        raise BackupKeyError(
            "BACKUP_ENCRYPTION_KEY is not a Fernet key (44 characters of url-safe base64). "
            "Make one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'"
        ) from None


def is_encrypted(path: os.PathLike | str) -> bool:
    """Whether the file starts as an encrypted backup does."""
    with open(path, "rb") as file:
        return file.read(len(MAGIC)) == MAGIC


class EncryptingWriter:
    """A write-only file object that encrypts what is written to ``target``."""

    def __init__(self, target: BinaryIO, key: str):
        self._fernet = fernet_for(key)
        self._target = target
        self._file_id = os.urandom(16)
        self._number = 0
        self._buffer = bytearray()
        target.write(MAGIC)

    def write(self, data: bytes) -> int:
        self._buffer.extend(data)
        while len(self._buffer) > CHUNK:
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def close(self) -> None:
        """Write the last chunk (possibly empty); the target stays open."""
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _emit(self, chunk: bytes, last: bool) -> None:
        header = _HEADER.pack(self._file_id, self._number, last)
        token = self._fernet.encrypt(header + chunk)
        self._target.write(_LENGTH.pack(len(token)) + token)
        self._number += 1


class DecryptingReader:
    """A read-only file object giving the plaintext of an encrypted backup."""

    def __init__(self, source: BinaryIO, key: str):
        self._fernet = fernet_for(key)
        self._source = source
        if source.read(len(MAGIC)) != MAGIC:
            raise BackupDamaged("This file is not an encrypted backup.")
        self._file_id: bytes | None = None
        self._number = 0
        self._done = False
        self._buffer = bytearray()

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            self._buffer.extend(self._next_chunk())
        if size < 0:
            size = len(self._buffer)
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def _next_chunk(self) -> bytes:
        length = self._source.read(_LENGTH.size)
        if len(length) != _LENGTH.size:
            raise BackupDamaged("The encrypted backup is cut off.")
        token = self._source.read(_LENGTH.unpack(length)[0])
        try:
            plain = self._fernet.decrypt(token)
        except InvalidToken:
            if self._number == 0:
                raise BackupKeyError(
                    "BACKUP_ENCRYPTION_KEY is not the key this backup was encrypted with "
                    "(or the start of the file was altered)."
                ) from None
            raise BackupDamaged("The encrypted backup was altered or is cut off.") from None
        file_id, number, last = _HEADER.unpack(plain[: _HEADER.size])
        if number != self._number or self._file_id not in (None, file_id):
            raise BackupDamaged("The encrypted backup's parts are out of order or mixed.")
        self._file_id, self._number = file_id, number + 1
        if last:
            self._done = True
            if self._source.read(1):
                raise BackupDamaged("The encrypted backup has data after its end.")
        return plain[_HEADER.size :]
