"""Retention (security.md R38): how long each kind of record is kept, and the job that removes
what is past its time.

``RULES`` is the one table of retention: per kind of record, the setting in ``RETENTION``
(config.py, set by the privacy officer) that holds its period, the date the period counts
from, and whether the record is deleted or anonymised. ``purge`` applies every rule as of a
given day. It is idempotent: a second run on the same day finds nothing to do and reports zeros.
Whole newcomer files go as :mod:`marketplace.privacy.closed_files` says; the audit log stays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from marketplace.accounts.models import AccountToken, LoginAttempt, Role, User, UserSession
from marketplace.audit.models import AuditEvent
from marketplace.audit.services import record_event
from marketplace.clock import add_months
from marketplace.feedback.models import Feedback
from marketplace.notices.models import Notice
from marketplace.placements.models import CheckIn, Placement
from marketplace.privacy.closed_files import (
    anonymise_account,
    blank,
    closed_files_past,
    erased_columns,
    remove_newcomer_file,
)
from marketplace.privacy.erasure import ERASED_PREFIX
from marketplace.privacy.models import ErasureRequest, ErasureStatus

#: an erasure request waiting longer than this is past the answer time of GDPR art. 12(3)
ANSWER_DAYS = 30


@dataclass(frozen=True)
class Rule:
    """One line of the retention table."""

    key: str  # the name in the report
    what: str
    setting: str  # the key of its period in RETENTION: "<name>_days" or "<name>_years"
    counted_from: str
    action: str  # "deleted" or "anonymised"
    apply: Callable[[Session, date, PurgeReport], int]


@dataclass
class PurgeReport:
    """How many records each rule removed or anonymised; nothing personal."""

    today: date
    dry_run: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    #: closed files past their period that wait because a placement of theirs is still open
    waiting_for_placement: int = 0
    #: erasure requests that no consultant has answered within ANSWER_DAYS
    overdue_requests: int = 0
    #: the account ids (pseudonyms) of the files removed, for the audit log; never printed
    removed_accounts: list[int] = field(default_factory=list, repr=False)
    #: the ids of the closed staff accounts anonymised, for the audit log; never printed
    anonymised_accounts: list[int] = field(default_factory=list, repr=False)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def cutoff(today: date, setting: str) -> date:
    """The first day still kept: a record dated before it is past its period."""
    period = current_app.config["RETENTION"][setting]
    if setting.endswith("_years"):
        return add_months(today, -12 * period)
    return today - timedelta(days=period)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def _not_blank(model: type, columns: list[str]) -> Any:
    """SQL: at least one of the columns still holds something."""
    held = []
    for name in columns:
        column = getattr(model, name)
        is_text = column.type.python_type is str
        held.append(sa.and_(column.is_not(None), column != "") if is_text else column.is_not(None))
    return sa.or_(*held)


def _newcomer_files(dbs: Session, today: date, report: PurgeReport) -> int:
    past, report.waiting_for_placement = closed_files_past(
        dbs, cutoff(today, "newcomer_file_years")
    )
    for user, rows in past:
        remove_newcomer_file(dbs, user, rows)
        report.removed_accounts.append(user.id)
    return len(past)


def _closed_staff_accounts(dbs: Session, today: date, report: PurgeReport) -> int:
    """Closed accounts of employers, consultants and administrators with nothing done by or
    about them within the period: their name, address and secrets go; the row stays, as
    placements, reviews and the audit log point to it."""
    since = _start_of(cutoff(today, "closed_account_years"))
    recent = sa.exists().where(
        sa.or_(AuditEvent.subject_user_id == User.id, AuditEvent.actor_id == User.id),
        AuditEvent.at >= since,
    )
    query = (
        sa.select(User)
        .where(User.role != Role.NEWCOMER, User.active.is_(False), User.created_at < since)
        .where(sa.or_(User.last_login_at.is_(None), User.last_login_at < since))
        .where(~User.email.like(f"{ERASED_PREFIX}%"), ~recent)
        .order_by(User.id)
    )
    accounts = dbs.scalars(query).all()
    for user in accounts:
        anonymise_account(dbs, user)
        report.anonymised_accounts.append(user.id)
    return len(accounts)


# -- parts of files, and short-lived records -------------------------------------------------


def _check_in_notes(dbs: Session, today: date, _report: PurgeReport) -> int:
    columns = erased_columns("check_in")
    query = (
        sa.select(CheckIn)
        .join(Placement, Placement.id == CheckIn.placement_id)
        .where(Placement.ended_on < cutoff(today, "check_in_notes_years"))
        .where(_not_blank(CheckIn, columns))
    )
    rows = dbs.scalars(query).all()
    for row in rows:
        blank(row, columns)
    return len(rows)


def _feedback(dbs: Session, today: date, _report: PurgeReport) -> int:
    columns = erased_columns("feedback")
    since = _start_of(cutoff(today, "feedback_years"))
    query = sa.select(Feedback).where(Feedback.created_at < since, _not_blank(Feedback, columns))
    rows = dbs.scalars(query).all()
    for row in rows:
        blank(row, columns)
    return len(rows)


def _delete(dbs: Session, model: type, *where: Any) -> int:
    return dbs.execute(sa.delete(model).where(*where)).rowcount


def _notices(dbs: Session, today: date, _report: PurgeReport) -> int:
    since = _start_of(cutoff(today, "notice_days"))
    return _delete(dbs, Notice, Notice.created_at < since)


def _login_attempts(dbs: Session, today: date, _report: PurgeReport) -> int:
    since = _start_of(cutoff(today, "sign_in_days"))
    return _delete(dbs, LoginAttempt, LoginAttempt.attempted_at < since)


def _sessions(dbs: Session, today: date, _report: PurgeReport) -> int:
    since = _start_of(cutoff(today, "sign_in_days"))
    ended = sa.func.coalesce(UserSession.revoked_at, UserSession.last_seen_at)
    return _delete(dbs, UserSession, ended < since)


def _tokens(dbs: Session, today: date, _report: PurgeReport) -> int:
    since = _start_of(cutoff(today, "sign_in_days"))
    done = sa.func.coalesce(AccountToken.used_at, AccountToken.expires_at)
    return _delete(dbs, AccountToken, done < since)


def _written_on(path: Path) -> date:
    """A mail file's date: from its name (``YYYYmmddTHHMMSSffffff.eml``, UTC), else its mtime."""
    try:
        return datetime.strptime(path.stem[:8], "%Y%m%d").date()
    except ValueError:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC).date()


def _mail_files(_dbs: Session, today: date, report: PurgeReport) -> int:
    folder = Path(current_app.config["MAIL_OUTBOX_DIR"])
    first_kept = cutoff(today, "mail_file_days")
    old = [p for p in sorted(folder.glob("*.eml")) if _written_on(p) < first_kept]
    if not report.dry_run:
        for path in old:
            path.unlink(missing_ok=True)
    return len(old)


#: the retention table: what, how long (the setting), counted from when, and what happens
RULES = (
    Rule(
        "newcomer_file",
        "A newcomer's file: profile, intake, plans, placements, check-ins, outcomes, "
        "appointments, notices, erasure requests, sessions and sign-in links",
        "newcomer_file_years",
        "the last date recorded in the file, once the account is closed",
        "deleted; the account row stays, anonymised",
        _newcomer_files,
    ),
    Rule(
        "staff_account",
        "A closed account of an employer, consultant or administrator",
        "closed_account_years",
        "the last time anything was done by or about the account",
        "anonymised (name, address and secrets; the row stays)",
        _closed_staff_accounts,
    ),
    Rule(
        "check_in_notes",
        "The written notes of a check-in",
        "check_in_notes_years",
        "the end of the placement",
        "anonymised (emptied)",
        _check_in_notes,
    ),
    Rule(
        "feedback",
        "A newcomer's feedback on a place",
        "feedback_years",
        "the day it was given",
        "anonymised (text and link to the newcomer removed, scores kept)",
        _feedback,
    ),
    Rule("notice", "Notices", "notice_days", "the day it was made", "deleted", _notices),
    Rule(
        "login_attempt",
        "Sign-in attempts",
        "sign_in_days",
        "the attempt",
        "deleted",
        _login_attempts,
    ),
    Rule(
        "user_session",
        "Ended sign-in sessions",
        "sign_in_days",
        "the sign-out, or else the last request",
        "deleted",
        _sessions,
    ),
    Rule(
        "account_token",
        "Used or expired sign-in links",
        "sign_in_days",
        "their use, or else their expiry",
        "deleted",
        _tokens,
    ),
    Rule(
        "mail_file",
        "E-mail written to MAIL_OUTBOX_DIR",
        "mail_file_days",
        "the day it was written",
        "deleted",
        _mail_files,
    ),
)


def _overdue_requests(dbs: Session, today: date) -> int:
    since = _start_of(today - timedelta(days=ANSWER_DAYS))
    query = sa.select(sa.func.count()).where(
        ErasureRequest.status == ErasureStatus.REQUESTED, ErasureRequest.requested_at < since
    )
    return dbs.scalar(query) or 0


def purge(dbs: Session, today: date, dry_run: bool = False) -> PurgeReport:
    """Delete or anonymise what is past its retention period on ``today``; never commits.

    With ``dry_run`` every change is made inside a savepoint that is rolled back (and no file
    is removed), so the report counts exactly what a real run would do.
    """
    report = PurgeReport(today, dry_run)
    savepoint = dbs.begin_nested() if dry_run else None
    try:
        for rule in RULES:
            report.counts[rule.key] = rule.apply(dbs, today, report)
        # logged last: on PostgreSQL the first audit row locks the log until the commit
        for user_id in report.removed_accounts:
            record_event(dbs, "newcomer_file_purged", subject_user_id=user_id)
        for user_id in report.anonymised_accounts:
            record_event(dbs, "staff_account_anonymised", subject_user_id=user_id)
        if report.total:
            record_event(dbs, "privacy_retention_purge", **report.counts)
        dbs.flush()
    finally:
        if savepoint is not None:
            savepoint.rollback()
    report.overdue_requests = _overdue_requests(dbs, today)
    return report
