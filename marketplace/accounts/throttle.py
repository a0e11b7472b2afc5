"""Login throttling kept in the database, so that every worker process sees it (R12, R14).

Limits: failures for one account from one address, failures from one address across all
accounts, and a lock after many consecutive failures of one account. A successful login
resets the account's count.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from marketplace.accounts.models import LoginAttempt


def account_key(email: str) -> str:
    """A stable key for the address typed, whether or not an account has it."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _failures_since(
    dbs: Session, since: datetime, conditions: tuple, reset_by_success: bool
) -> list[datetime]:
    stmt = (
        sa.select(LoginAttempt.attempted_at)
        .where(*conditions, LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at >= since)
        .order_by(LoginAttempt.attempted_at)
    )
    if reset_by_success:
        last_success = (
            sa.select(sa.func.max(LoginAttempt.attempted_at))
            .where(*conditions, LoginAttempt.succeeded.is_(True))
            .scalar_subquery()
        )
        stmt = stmt.where(sa.or_(last_success.is_(None), LoginAttempt.attempted_at > last_success))
    return list(dbs.scalars(stmt))


def retry_after(dbs: Session, key: str, ip: str, now: datetime) -> int | None:
    """Seconds to wait before this account may try again from this address, or None."""
    config = current_app.config
    window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    since = now - window
    pair = (LoginAttempt.account_key == key, LoginAttempt.ip == ip)
    checks = (
        # a successful login resets the account's count, never the address's
        (config["LOGIN_FAILURES_PER_ACCOUNT"], pair, True),
        (config["LOGIN_FAILURES_PER_IP"], (LoginAttempt.ip == ip,), False),
    )
    waits = []
    for limit, conditions, reset_by_success in checks:
        failures = _failures_since(dbs, since, conditions, reset_by_success)
        if len(failures) >= limit:
            unblocked_at = failures[-limit] + window
            waits.append(max(1, int((unblocked_at - now).total_seconds()) + 1))
    return max(waits) if waits else None


def record_attempt(dbs: Session, key: str, ip: str, succeeded: bool, now: datetime) -> None:
    dbs.add(LoginAttempt(account_key=key, ip=ip, succeeded=succeeded, attempted_at=now))


def _mfa_key(user_id: int) -> str:
    return hashlib.sha256(f"mfa:{user_id}".encode()).hexdigest()


def mfa_retry_after(dbs: Session, user_id: int, now: datetime) -> int | None:
    """Seconds before this account may try another second-step code, or None.

    Counted per account from any address: whoever is here already knows the password.
    """
    config = current_app.config
    window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    limit = config["MFA_FAILURES_PER_ACCOUNT"]
    failures = _failures_since(
        dbs, now - window, (LoginAttempt.account_key == _mfa_key(user_id),), True
    )
    if len(failures) < limit:
        return None
    return max(1, int((failures[-limit] + window - now).total_seconds()) + 1)


def record_mfa_attempt(dbs: Session, user_id: int, ip: str, succeeded: bool, now: datetime) -> None:
    record_attempt(dbs, _mfa_key(user_id), ip, succeeded, now)
