"""Helpers for the backup tests: a writer thread, the test's own snapshot, the restored checks."""

from __future__ import annotations

import hashlib
import io
import json
import re
import sqlite3
import tarfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.orm import Session

from marketplace.audit.services import record_event
from marketplace.migrate import MIGRATIONS_DIR
from marketplace.organisations.models import Organisation, OrganisationKind
from marketplace.places.models import Place

#: the restore of the test data must take less than this (docs: RTO, "Facts measured")
RESTORE_SECONDS_LIMIT = 30.0
#: rows the writer commits inside the backup's open transaction, which the backup must miss
WRITES_DURING_BACKUP = 5


class AuditWriter(threading.Thread):
    """Appends audit events through the audit service, one committed transaction each."""

    def __init__(self, engine: sa.Engine):
        super().__init__(daemon=True)
        self.engine = engine
        self.committed = 0
        self.error: BaseException | None = None
        self._stop_event = threading.Event()
        self._progress = threading.Condition()

    def run(self) -> None:
        try:
            while not self._stop_event.is_set():
                with Session(self.engine) as session:
                    record_event(session, "backup_test_write", n=self.committed)
                    session.commit()
                with self._progress:
                    self.committed += 1
                    self._progress.notify_all()
        except BaseException as error:  # reported by the test, not lost in the thread
            self.error = error

    def wait_for(self, more: int, timeout: float = 30.0) -> None:
        """Block until ``more`` further rows are committed."""
        with self._progress:
            goal = self.committed + more
            if not self._progress.wait_for(lambda: self.committed >= goal, timeout):
                raise AssertionError(f"the writer committed {self.committed}, not {goal}")

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=30)
        if self.error:
            raise self.error


def seed(engine: sa.Engine) -> None:
    """A few rows besides the audit log, so that several tables are backed up."""
    with Session(engine) as session:
        org = Organisation(name="Buurtkeuken", kind=OrganisationKind.NONPROFIT)
        session.add(org)
        session.flush()
        session.add_all(Place(organisation_id=org.id, title=f"Koken {n}") for n in range(3))
        session.commit()


def audit_fingerprint(conn: sa.Connection) -> tuple[int, int, str]:
    """The test's own snapshot of the audit log: count, highest id, hash over every row."""
    rows = conn.execute(
        sa.text("SELECT id, action, hash, prev_hash FROM audit_event ORDER BY id")
    ).all()
    digest = hashlib.sha256(json.dumps([list(r) for r in rows]).encode()).hexdigest()
    return len(rows), max((r[0] for r in rows), default=0), digest


def record_writes_during_backup(monkeypatch, module, writer: AuditWriter) -> list:
    """Wrap ``module.measure`` (called inside the backup's read transaction) so that it takes
    the test's snapshot on the same connection, then lets the writer commit more rows before
    the copy is made. Returns the list the snapshot is appended to."""
    taken: list = []
    real = module.measure

    def measure_while_writing(conn):
        if taken:  # the restore measures too; only the backup's own measure is held up
            return real(conn)
        taken.append(audit_fingerprint(conn))
        result = real(conn)
        writer.wait_for(WRITES_DURING_BACKUP)
        return result

    monkeypatch.setattr(module, "measure", measure_while_writing)
    return taken


def read_manifest(path: Path) -> dict:
    """The manifest of a plaintext backup, read with tarfile alone."""
    with tarfile.open(path, "r:gz") as tar:
        return json.load(io.BytesIO(tar.extractfile("manifest.json").read()))


def rewrite_manifest(path: Path, target: Path, change) -> None:
    """Copy a plaintext backup to ``target`` with ``change(manifest)`` applied to its manifest."""
    with tarfile.open(path, "r:gz") as source, tarfile.open(target, "w:gz") as copy:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data))


def table_counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        names = sa.inspect(conn).get_table_names()
        return {
            name: conn.scalar(sa.select(sa.func.count()).select_from(sa.table(name)))
            for name in names
        }


def revisions(engine: sa.Engine) -> tuple[str | None, str | None]:
    """(alembic current of the database, head of the code)."""
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    return current, ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def integrity_check(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [row[0] for row in conn.execute("PRAGMA integrity_check")]


def restore_seconds(output: str) -> float:
    """The duration `flask backup restore` printed."""
    match = re.search(r"in (\d+\.\d+) s\.", output)
    assert match, output
    return float(match.group(1))


def copy_database(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def split_tokens(data: bytes, magic: bytes) -> list[bytes]:
    """The length-prefixed encrypted parts of an encrypted backup, each with its prefix."""
    parts, at = [], len(magic)
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        parts.append(data[at : at + 4 + length])
        at += 4 + length
    return parts


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def fresh_postgres_database(engine: sa.Engine) -> Iterator[str]:
    """The URL of a new, empty database beside the test database; dropped afterwards."""
    name = f"backup_restore_{uuid.uuid4().hex[:12]}"
    autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
    with autocommit.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield engine.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with autocommit.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
