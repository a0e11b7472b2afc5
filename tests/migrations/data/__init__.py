"""Per-revision data fixtures for ``test_upgrade_with_data`` (security.md R47).

Each module ``revNNNN`` holds rows written with plain SQL right after upgrading to revision
NNNN (the models describe only the head schema): ``load(conn)``; ``at_head(session)`` checks
through the models that the rows survived every later upgrade, with defaults for new columns;
``after_downgrade(conn)`` checks with SQL that they are intact once the database is back at
NNNN. Ids are NNN01, NNN02..., so fixtures never collide.
"""

from __future__ import annotations

import importlib
from types import ModuleType

import sqlalchemy as sa

REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009")

#: a fixed moment for every timestamp column, as the databases accept it from plain SQL
AT = "2026-01-05 10:00:00"


def fixture(revision: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.rev{revision}")


def insert(conn: sa.Connection, table: str, **values) -> None:
    """One row, with bound parameters (no types: the values are given as the column holds them)."""
    conn.execute(sa.insert(sa.table(table, *map(sa.column, values))).values(**values))


def update(conn: sa.Connection, table: str, row_id: int, **values) -> None:
    t = sa.table(table, sa.column("id"), *map(sa.column, values))
    conn.execute(sa.update(t).where(t.c.id == row_id).values(**values))


def row(conn: sa.Connection, table: str, row_id: int, *columns: str) -> tuple:
    """The given columns of one row, read with SQL (None when the row is gone)."""
    t = sa.table(table, sa.column("id"), *map(sa.column, columns))
    found = conn.execute(sa.select(*(t.c[c] for c in columns)).where(t.c.id == row_id)).first()
    return None if found is None else tuple(found)


def as_date(value) -> str:
    """A date or timestamp column as 'YYYY-MM-DD' whichever way the driver returns it."""
    return str(value)[:10]
