"""SQLite: copy with the online backup API (never a file copy, which can miss the WAL)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from marketplace.backup.snapshot import Measure, measure
from marketplace.db import create_db_engine


def database_path(url: str) -> Path:
    """The file of an SQLite URL; an in-memory database cannot be backed up or restored."""
    name = sa.engine.make_url(url).database
    if not name or name == ":memory:":
        raise ValueError("An in-memory SQLite database has no file to back up or restore.")
    return Path(name)


def dump(url: str, target: Path) -> Measure:
    """Copy the database into ``target`` and measure it, both in one read transaction."""
    engine = create_db_engine(url)  # its BEGIN opens the read transaction pysqlite would not
    try:
        with engine.connect() as conn, conn.begin():
            measured = measure(conn)  # the read transaction's snapshot starts here
            with closing(sqlite3.connect(target)) as copy:
                # one step (pages=-1) inside the open transaction: the copy is that snapshot
                conn.connection.driver_connection.backup(copy)  # type: ignore[union-attr]
                copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        engine.dispose()
    problem = integrity(target)
    if problem:
        raise RuntimeError(f"The copy failed SQLite's integrity check: {problem}")
    return measured


def integrity(path: Path) -> str | None:
    """None when ``PRAGMA integrity_check`` says ok, else what it says."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        return str(error)
    return None if result == ["ok"] else "; ".join(result[:5])


def is_empty(path: Path) -> bool:
    """Whether the file is missing or holds no table."""
    if not path.exists() or path.stat().st_size == 0:
        return True
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        query = "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        return conn.execute(query).fetchone()[0] == 0


def restore(copy: Path, target: Path) -> None:
    """Write the checked copy into ``target`` through the backup API (safe if it is in use)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    with closing(source), closing(sqlite3.connect(target)) as destination:
        source.backup(destination)


def measure_file(path: Path) -> Measure:
    """Measure a database file that nobody else writes to."""
    engine = sa.create_engine(f"sqlite:///{path}", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return measure(conn)
    finally:
        engine.dispose()
