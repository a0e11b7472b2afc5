"""Make, restore and prune backups; the CLI in `marketplace/backup/cli.py` only wraps these."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from marketplace.backup import postgres, sqlite
from marketplace.backup.archive import (
    Manifest,
    backup_name,
    backup_time,
    read_backup,
    write_backup,
)
from marketplace.backup.crypto import fernet_for
from marketplace.backup.snapshot import Measure, head_revision, known_revision


class BackupRefused(Exception):
    """The backup or restore would be unsafe; nothing was written."""


@dataclass
class Created:
    path: Path
    manifest: Manifest
    seconds: float


@dataclass
class Restored:
    manifest: Manifest
    seconds: float
    integrity: str
    #: what did not match after the restore; empty when everything did
    problems: list[str] = field(default_factory=list)


def backend_of(url: str) -> str:
    name = sa.engine.make_url(url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupRefused(f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def create_backup(
    url: str, backup_dir: Path, key: str | None, now: datetime, production: bool
) -> Created:
    """Copy the database at one moment into an encrypted (when a key is set) backup file."""
    if production and not key:
        raise BackupRefused(
            "Production backups must be encrypted: set BACKUP_ENCRYPTION_KEY "
            "(a Fernet key kept apart from the backups)."
        )
    if key:
        fernet_for(key)  # a malformed key fails before any work
    backend = backend_of(url)
    started = time.perf_counter()
    backup_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tempfile.TemporaryDirectory(prefix="backup-") as work:
        payload = Path(work) / "database"
        dump = sqlite.dump if backend == "sqlite" else postgres.dump
        measured = dump(url, payload)
        manifest = Manifest.describe(backend, now, measured, payload)
        path = backup_dir / backup_name(now, measured.revision, encrypted=bool(key))
        write_backup(path, manifest, payload, key)
    return Created(path=path, manifest=manifest, seconds=time.perf_counter() - started)


def restore_backup(path: Path, url: str, key: str | None, force: bool = False) -> Restored:
    """Restore a backup into the database at ``url`` and check what arrived.

    Everything that can be checked before (key, checksums, integrity, revision, an empty
    target) is checked before the target is touched.
    """
    backend = backend_of(url)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="restore-") as work:
        manifest, payload = read_backup(path, key, Path(work))
        if manifest.backend != backend:
            raise BackupRefused(
                f"This is a {manifest.backend} backup; it cannot be restored into {backend}."
            )
        if not known_revision(manifest.revision):
            raise BackupRefused(
                f"The backup's schema revision {manifest.revision} is unknown to this version "
                "of the application: restore it with the version that made it."
            )
        if backend == "sqlite":
            integrity, measured = _restore_sqlite(payload, url, force)
        else:
            integrity, measured = _restore_postgres(payload, url)
    seconds = time.perf_counter() - started
    return Restored(manifest, seconds, integrity, _differences(manifest, measured))


def _restore_sqlite(copy: Path, url: str, force: bool) -> tuple[str, Measure]:
    problem = sqlite.integrity(copy)
    if problem:
        raise BackupRefused(f"The database in the backup is damaged: {problem}")
    target = sqlite.database_path(url)
    if not force and not sqlite.is_empty(target):
        raise BackupRefused(
            f"{target} holds data. Restore into a new file, or pass --force to replace it "
            "(stop the application first)."
        )
    sqlite.restore(copy, target)
    return sqlite.integrity(target) or "ok", sqlite.measure_file(target)


def _restore_postgres(dump: Path, url: str) -> tuple[str, Measure]:
    if not postgres.is_empty(url):
        raise BackupRefused(
            "The target database holds data. Restore into a new, empty database "
            "(createdb) and point DATABASE_URL at it."
        )
    postgres.restore(dump, url)
    return "pg_restore exit 0", postgres.measure_database(url)


def _differences(manifest: Manifest, measured: Measure) -> list[str]:
    problems = []
    if measured.revision != manifest.revision:
        problems.append(f"schema revision {measured.revision}, the backup says {manifest.revision}")
    elif measured.revision != head_revision():
        problems.append(
            f"schema revision {measured.revision} is older than this code's "
            f"{head_revision()}: run `flask db upgrade` before starting the application"
        )
    for table in sorted(set(manifest.tables) | set(measured.tables)):
        expected, found = manifest.tables.get(table), measured.tables.get(table)
        if expected != found:
            problems.append(f"table {table}: {found} rows, the backup says {expected}")
    if measured.data_sha256 != manifest.data_sha256:
        problems.append("the restored rows do not match the backup's checksum")
    return problems


def prune_backups(backup_dir: Path, keep_days: int, today: date) -> list[Path]:
    """Delete backup files made before ``keep_days`` days ago; the newest is always kept."""
    if keep_days < 1:
        raise BackupRefused("Keep backups for at least one day.")
    if not backup_dir.is_dir():
        return []
    cutoff = datetime.combine(today - timedelta(days=keep_days), datetime.min.time(), UTC)
    dated = sorted(
        (made, path)
        for path in backup_dir.iterdir()
        if path.is_file() and (made := backup_time(path)) is not None
    )
    doomed = [path for made, path in dated[:-1] if made < cutoff]
    for path in doomed:
        path.unlink()
    return doomed
