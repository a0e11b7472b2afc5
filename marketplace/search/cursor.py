"""How far this host's index has applied the outbox: one ``IndexCursor`` row per host.

Outbox ids are handed out when a row is inserted, not when its transaction commits, so on
PostgreSQL a later id can become visible before an earlier one. The cursor therefore never
steps over a gap in the ids until the entry after the gap is older than
``SEARCH_OUTBOX_GAP_SECONDS`` (by then the missing id belonged to a transaction that rolled
back). Entries past such a gap are applied anyway; applying an entry twice is harmless.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from marketplace.db import utcnow
from marketplace.search.models import IndexCursor, OutboxEntry


def host_name() -> str:
    """This host's name for its cursor: SEARCH_HOST_NAME, else the machine's host name."""
    return current_app.config.get("SEARCH_HOST_NAME") or socket.gethostname()


def _gap_cutoff():
    return utcnow() - timedelta(seconds=current_app.config.get("SEARCH_OUTBOX_GAP_SECONDS", 300))


def get_position(session: Session, host: str) -> int:
    """The last outbox id this host has applied (0 for a host not seen before)."""
    position = session.scalar(sa.select(IndexCursor.last_entry_id).where(IndexCursor.host == host))
    return position or 0


def set_position(session: Session, host: str, position: int, expected: int | None = None) -> bool:
    """Move the cursor in a transaction of its own; with ``expected``, only from that value.

    Returns False when another process moved it first (the caller's work is then simply
    applied again next time).
    """
    stmt = sa.update(IndexCursor).where(IndexCursor.host == host)
    if expected is not None:
        stmt = stmt.where(IndexCursor.last_entry_id == expected)
    moved = session.execute(stmt.values(last_entry_id=position, updated_at=utcnow())).rowcount
    if moved == 0 and expected in (None, 0) and get_position(session, host) == 0:
        moved = _insert(session, host, position)
    session.commit()
    return bool(moved)


def _insert(session: Session, host: str, position: int) -> int:
    try:
        with session.begin_nested():
            session.add(IndexCursor(host=host, last_entry_id=position))
        return 1
    except IntegrityError:  # another process created the row at the same moment
        return 0


def pending_entries(session: Session, after: int, limit: int) -> Sequence[OutboxEntry]:
    """The next outbox entries after a cursor position, oldest first."""
    stmt = sa.select(OutboxEntry).where(OutboxEntry.id > after).order_by(OutboxEntry.id)
    return session.scalars(stmt.limit(limit)).all()


def pending_count(session: Session, host: str) -> int:
    """How many outbox entries this host has not applied yet."""
    after = get_position(session, host)
    stmt = sa.select(sa.func.count()).select_from(OutboxEntry).where(OutboxEntry.id > after)
    return session.scalar(stmt) or 0


def advance(position: int, entries: Sequence[Any]) -> int:
    """How far the cursor may move past applied entries without stepping over a young gap."""
    cutoff = _gap_cutoff()
    for entry in entries:
        if entry.id != position + 1 and entry.created_at > cutoff:
            break
        position = entry.id
    return position


def safe_position(session: Session) -> int:
    """The highest outbox id up to which every entry is visible now (for a rebuild's start)."""
    old = session.scalar(
        sa.select(sa.func.max(OutboxEntry.id)).where(OutboxEntry.created_at <= _gap_cutoff())
    )
    position = old or 0
    recent = session.execute(
        sa.select(OutboxEntry.id, OutboxEntry.created_at)
        .where(OutboxEntry.id > position)
        .order_by(OutboxEntry.id)
    ).all()
    return advance(position, recent)
