"""What a database holds, measured in one transaction: rows per table and a data checksum.

The backup measures inside the transaction it copies from, and the restore measures the copy;
equal figures mean the restored database holds exactly the rows that were backed up.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from marketplace.migrate import MIGRATIONS_DIR

#: rows fetched at a time while hashing, so a large table never sits in memory
BATCH = 2000


@dataclass(frozen=True)
class Measure:
    """The revision, the row count of each table and a SHA-256 over every row."""

    revision: str | None
    tables: dict[str, int]
    data_sha256: str


def head_revision() -> str | None:
    """The newest migration this code knows."""
    return _scripts().get_current_head()


def known_revision(revision: str | None) -> bool:
    """Whether this code has the migration ``revision`` (a backup from newer code has not)."""
    if revision is None:
        return False
    return any(script.revision == revision for script in _scripts().walk_revisions())


def _scripts() -> ScriptDirectory:
    return ScriptDirectory(str(MIGRATIONS_DIR))


def measure(conn: sa.Connection) -> Measure:
    """Count and hash every table, in the connection's current transaction."""
    inspector = sa.inspect(conn)
    all_columns = inspector.get_multi_columns()  # one query per kind, not one per table
    primary_keys = inspector.get_multi_pk_constraint()
    digest = hashlib.sha256()
    tables: dict[str, int] = {}
    for schema_and_name in sorted(all_columns):
        name = schema_and_name[1]
        columns = [column["name"] for column in all_columns[schema_and_name]]
        key = primary_keys[schema_and_name].get("constrained_columns") or columns
        table = sa.table(name, *(sa.column(c) for c in columns))
        query = sa.select(table).order_by(*(table.c[c] for c in key))
        digest.update(json.dumps(name).encode() + b"\n")
        hash_rows = _hash_copy if conn.dialect.driver == "psycopg" else _hash_rows
        tables[name] = hash_rows(conn, query, digest)
    revision = MigrationContext.configure(conn).get_current_revision()
    return Measure(revision=revision, tables=tables, data_sha256=digest.hexdigest())


def _hash_rows(conn: sa.Connection, query: sa.Select, digest: Any) -> int:
    convert = conn.dialect.name != "sqlite"  # SQLite gives only str, int, float, bytes, None
    count = 0
    for row in conn.execution_options(yield_per=BATCH).execute(query):
        values = tuple(map(_plain, row)) if convert else tuple(row)
        digest.update(repr(values).encode() + b"\n")
        count += 1
    return count


def _hash_copy(conn: sa.Connection, query: sa.Select, digest: Any) -> int:
    """PostgreSQL: hash the rows as COPY sends them, about ten times faster than row objects.

    COPY's text format ends each row with a newline and escapes newlines inside values.
    """
    sql = str(query.compile(dialect=conn.dialect))  # names only, no parameters
    count = 0
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY ({sql}) TO STDOUT") as copy:
        for block in copy:
            data = bytes(block)
            digest.update(data)
            count += data.count(b"\n")
    return count


def _plain(value: Any) -> Any:
    """A value whose repr is the same in every process (a memoryview's holds its address)."""
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    return value
