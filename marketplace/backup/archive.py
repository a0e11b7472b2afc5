"""The backup file: a gzipped tar of ``manifest.json`` and the database, encrypted when a key
is set.

Its name carries the UTC time and the schema revision, e.g.
``marketplace-20261130T020000Z-0008.tar.gz.fernet``, so that prune and an operator can read both
without opening it.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import zlib
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from marketplace.backup.crypto import (
    BackupDamaged,
    BackupKeyError,
    DecryptingReader,
    EncryptingWriter,
    is_encrypted,
)
from marketplace.backup.snapshot import Measure

FORMAT = 1
MANIFEST = "manifest.json"
PAYLOADS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
NAME = re.compile(r"^marketplace-(\d{8}T\d{6}Z)-([\w.]+?)\.tar\.gz(\.fernet)?$")
STAMP = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class Manifest:
    """What a backup holds, checked by the restore."""

    format: int
    backend: str
    created_at: str
    revision: str | None
    tables: dict[str, int]
    data_sha256: str
    payload_bytes: int
    payload_sha256: str

    @classmethod
    def describe(cls, backend: str, created: datetime, measured: Measure, payload: Path):
        return cls(
            format=FORMAT,
            backend=backend,
            created_at=created.astimezone(UTC).isoformat(timespec="seconds"),
            revision=measured.revision,
            tables=measured.tables,
            data_sha256=measured.data_sha256,
            payload_bytes=payload.stat().st_size,
            payload_sha256=file_sha256(payload),
        )

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def backup_name(created: datetime, revision: str | None, encrypted: bool) -> str:
    stamp = created.astimezone(UTC).strftime(STAMP)
    return f"marketplace-{stamp}-{revision or 'none'}.tar.gz" + (".fernet" if encrypted else "")


def backup_time(path: Path) -> datetime | None:
    """The UTC time in a backup file's name, or None for a file that is not a backup."""
    match = NAME.match(path.name)
    if not match:
        return None
    return datetime.strptime(match.group(1), STAMP).replace(tzinfo=UTC)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def write_backup(target: Path, manifest: Manifest, payload: Path, key: str | None) -> None:
    """Write the backup to ``target`` (mode 0600), whole or not at all."""
    partial = target.with_name(target.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            sink: BinaryIO = EncryptingWriter(file, key) if key else file  # type: ignore[assignment]
            packed = gzip.GzipFile(fileobj=sink, mode="wb", compresslevel=6, mtime=0)
            with packed, tarfile.open(fileobj=packed, mode="w|") as tar:
                text = json.dumps(asdict(manifest), indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode = len(text), 0o600
                tar.addfile(info, io.BytesIO(text))
                tar.add(payload, arcname=PAYLOADS[manifest.backend], recursive=False)
            if key:
                sink.close()
            file.flush()
            os.fsync(file.fileno())
        if target.exists():
            raise FileExistsError(f"A backup named {target.name} exists already.")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def read_backup(path: Path, key: str | None, workdir: Path) -> tuple[Manifest, Path]:
    """The manifest and the database file (written into ``workdir``), both checked."""
    if not path.is_file():
        raise BackupDamaged(f"There is no backup file {path}.")
    encrypted = is_encrypted(path)
    if encrypted and not key:
        raise BackupKeyError(
            "This backup is encrypted: set BACKUP_ENCRYPTION_KEY to the key it was made with."
        )
    with open(path, "rb") as file:
        source: BinaryIO = DecryptingReader(file, key) if encrypted else file  # type: ignore[arg-type,assignment]
        try:
            with gzip.GzipFile(fileobj=source, mode="rb") as packed:
                return _unpack(packed, workdir)  # type: ignore[arg-type]
        except (
            tarfile.TarError,
            gzip.BadGzipFile,
            EOFError,
            zlib.error,
            ValueError,
            KeyError,
            TypeError,
        ):
            raise BackupDamaged(f"{path.name} is not a readable backup.") from None


def _unpack(source: BinaryIO, workdir: Path) -> tuple[Manifest, Path]:
    with tarfile.open(fileobj=source, mode="r|") as tar:
        first = tar.next()
        if first is None or first.name != MANIFEST or not first.isfile():
            raise BackupDamaged("The backup has no manifest.")
        manifest = Manifest(**json.loads(tar.extractfile(first).read()))  # type: ignore[union-attr]
        if manifest.format != FORMAT or manifest.backend not in PAYLOADS:
            raise BackupDamaged("The backup was written in a format this version cannot read.")
        second = tar.next()
        if second is None or second.name != PAYLOADS[manifest.backend] or not second.isfile():
            raise BackupDamaged("The backup holds no database.")
        payload = workdir / PAYLOADS[manifest.backend]  # our own name, never the member's
        with open(payload, "wb") as out:
            shutil.copyfileobj(tar.extractfile(second), out)  # type: ignore[arg-type]
    if file_sha256(payload) != manifest.payload_sha256:
        raise BackupDamaged("The database in the backup does not match its checksum.")
    return manifest, payload
