"""Closed newcomer files past their retention period, and removing one whole file.

A file goes by the erasure's own definitions: ``rows_about`` says which rows are about the
person, and ``ERASED`` with ``neutral_value`` what the rows that stay hold afterwards: the
closed account, whose id the audit log keeps as a pseudonym, and the place scores, which no
longer point to anyone. The audit log itself is kept and never changed (security.md R38, R40).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.audit.models import AuditEvent
from marketplace.db import Base
from marketplace.newcomers.models import NewcomerProfile
from marketplace.notices.consultants import forget_newcomer
from marketplace.placements.models import OPEN_STATUSES
from marketplace.privacy.erasure import ERASED, neutral_value
from marketplace.privacy.export import rows_about
from marketplace.search.sync import note_changed

#: rows about a newcomer that stay when their file is removed, anonymised
STAYS = ("user_account", "feedback")


def erased_columns(table: str) -> list[str]:
    """The columns of ``table`` that the erasure empties (``ERASED``, the one list)."""
    names = (target.partition(".") for part in ERASED for target in part.covers)
    return [column for name, _dot, column in names if name == table and column]


def blank(row: Any, columns: list[str]) -> None:
    """Give each column what an erased one holds (``neutral_value``)."""
    for name in columns:
        column = row.__table__.c[name]
        setattr(row, column.key, neutral_value(column, row))


def last_recorded_on(rows: dict[str, list]) -> date:
    """The latest date anywhere in the file (closing the account writes an audit row)."""
    days = [date.min]
    for table_rows in rows.values():
        for row in table_rows:
            for column in row.__table__.columns:
                value = getattr(row, column.key)
                if isinstance(value, datetime):
                    days.append(value.astimezone(UTC).date())
                elif isinstance(value, date):
                    days.append(value)
    return max(days)


def _account_columns() -> list[str]:
    """What a removed file's account keeps nothing of: what the erasure empties, and every
    personal or secret column besides (a column added later is covered by its class)."""
    classified = [
        column.name
        for column in User.__table__.columns
        if column.info.get("pii") in ("personal", "secret")
    ]
    return list(dict.fromkeys(erased_columns("user_account") + classified))


def _sign_in_tables() -> list[sa.Table]:
    """Tables of a user's sign-in secrets (sessions, e-mailed links, recovery codes), found by
    a secret column and a ``user_id``, so that a new one goes with the file unnamed."""
    return [
        table
        for table in Base.metadata.sorted_tables
        if "user_id" in table.c
        and any(fk.column.table.name == "user_account" for fk in table.c.user_id.foreign_keys)
        and any(column.info.get("pii") == "secret" for column in table.columns)
    ]


def anonymise_account(dbs: Session, user: User) -> None:
    """Keep the account row (others' records point to it) with nothing personal or secret in
    it, and delete its sign-in rows: sessions, e-mailed links, recovery codes."""
    blank(user, _account_columns())
    dbs.flush()
    for table in _sign_in_tables():
        dbs.execute(sa.delete(table).where(table.c.user_id == user.id))


def remove_newcomer_file(dbs: Session, user: User, rows: dict[str, list]) -> None:
    """Delete every row about the newcomer except the account and the place scores, which are
    anonymised; their sign-in rows go too, and the index hears about their places."""
    for profile in rows["newcomer_profile"]:
        forget_newcomer(dbs, profile)  # the consultants' reminders name the newcomer
    anonymise_account(dbs, user)
    for row in rows["feedback"]:
        blank(row, erased_columns("feedback"))
    dbs.flush()
    for table in reversed(Base.metadata.sorted_tables):  # children before their parents
        mine = rows.get(table.name) if table.name not in (*STAYS, "audit_event") else None
        if mine:
            model = type(mine[0])
            ids = [row.id for row in mine]
            dbs.execute(sa.delete(model).where(model.id.in_(ids)))
    for place_id in sorted({p.place_id for p in rows["placement"]}):
        note_changed(dbs, "place", place_id)  # the index re-reads the place after the commit


def closed_files_past(dbs: Session, first_kept: date) -> tuple[list, int]:
    """The closed newcomer files with nothing recorded since before ``first_kept``, each as
    (account, its rows), and how many of those wait because a placement is still open."""
    since = datetime.combine(first_kept, datetime.min.time(), UTC)
    recent = sa.exists().where(AuditEvent.subject_user_id == User.id, AuditEvent.at >= since)
    closed = (
        sa.select(User)
        .join(NewcomerProfile, NewcomerProfile.user_id == User.id)
        .where(User.role == Role.NEWCOMER, User.active.is_(False))
        .where(User.created_at < since, ~recent)  # cheap first: most files were active lately
        .order_by(User.id)
    )
    past, waiting = [], 0
    for user in dbs.scalars(closed).all():
        rows = rows_about(dbs, user)
        if last_recorded_on(rows) >= first_kept:
            continue
        if any(p.status in OPEN_STATUSES for p in rows["placement"]):
            waiting += 1  # its consultant must end the placement first
            continue
        past.append((user, rows))
    return past, waiting
