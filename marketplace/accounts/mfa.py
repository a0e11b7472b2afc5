"""The second login step for consultants and administrators: an authenticator app (TOTP).

Consultants and administrators see special-category data of many people, so a password alone
is not enough (BIO2 5.17.01, security.md R14). Every code works once: the newest 30-second
step used is kept on the account and only a later step is accepted, with one conditional
UPDATE so that two requests cannot both use the same code. Wrong codes are throttled per
account. Recovery codes stand in for a lost phone; only their hashes are kept.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import datetime

import pyotp
import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from marketplace.accounts.models import RecoveryCode, Role, User
from marketplace.accounts.sessions import revoke_all_sessions
from marketplace.accounts.throttle import mfa_retry_after, record_mfa_attempt
from marketplace.audit.services import record_event
from marketplace.db import utcnow
from marketplace.domain import DomainError, NotAllowed
from marketplace.permissions import needs_second_step

STEP_SECONDS = 30
#: codes of one step before or after are accepted: phone clocks drift
DRIFT_STEPS = 1
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


class MfaThrottled(DomainError):
    def __init__(self, retry_after: int):
        super().__init__(_l("Too many wrong codes. Please wait a while and try again."))
        self.retry_after = retry_after


WRONG_CODE = _l(
    "This code is not right, or it was used already. Wait for a new code and try again."
)


def is_enrolled(user: User) -> bool:
    return user.mfa_enabled_at is not None and user.totp_secret is not None


def _step(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


# --- enrolment -----------------------------------------------------------------------------


def proposed_secret(dbs: Session, user: User) -> str:
    """The secret to add to the app: kept until confirmed, so reloading the page keeps it."""
    if is_enrolled(user):
        raise DomainError(_l("Your authenticator app is already set up."))
    if user.totp_secret is None:
        user.totp_secret = pyotp.random_base32()
        dbs.flush()
    return user.totp_secret


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// link an authenticator app reads from the QR code."""
    issuer = current_app.config["MFA_ISSUER"]
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def readable_secret(secret: str) -> str:
    """The secret in groups of four, for typing it into the app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def confirm_enrolment(dbs: Session, user: User, code: str, ip: str) -> list[str]:
    """Switch the second step on once the app gives a right code; return new recovery codes.

    The user's other sessions end: from now on each needs the app.
    """
    if is_enrolled(user) or user.totp_secret is None:
        raise DomainError(_l("Your authenticator app is already set up."))
    _check_code(dbs, user, code, ip)
    user.mfa_enabled_at = utcnow()
    revoke_all_sessions(dbs, user.id)
    record_event(dbs, "authn_mfa_enrolled", actor=user, subject_user_id=user.id, ip=ip)
    return new_recovery_codes(dbs, user, ip, audit=False)


def reset(dbs: Session, actor: User, user: User, ip: str | None, by_self: bool = False) -> None:
    """Forget the app and the recovery codes; every session of the user ends.

    At the next login the user sets up an app again. Used by the user (lost or new phone,
    after giving their password) and by an administrator (never their own account: another
    administrator must do it, so one stolen password cannot switch the step off).
    """
    if by_self and actor.id != user.id:
        raise NotAllowed(_l("You cannot do this for this account."))
    if not by_self and (actor.role != Role.ADMIN or actor.id == user.id):
        # one's own app only through the account page, which asks for the password
        raise DomainError(_l("Only another administrator can do this."))
    if not needs_second_step(user):
        raise DomainError(_l("This account logs in with a password only."))
    user.totp_secret = None
    user.mfa_enabled_at = None
    user.totp_last_step = None
    dbs.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    revoke_all_sessions(dbs, user.id)
    record_event(dbs, "authn_mfa_reset", actor=actor, subject_user_id=user.id, obj=user, ip=ip)


# --- checking a code -----------------------------------------------------------------------


def _try_second_step(
    dbs: Session, user: User, ip: str, accept: Callable[[datetime], bool], wrong: str
) -> None:
    """One try at the second step, throttled per account: ``accept(now)`` says whether the
    code was right (and uses it up); a wrong one counts and is audited, then raises."""
    now = utcnow()
    wait = mfa_retry_after(dbs, user.id, now)
    if wait is not None:
        record_event(dbs, "authn_mfa_throttled", actor=user, subject_user_id=user.id, ip=ip)
        raise MfaThrottled(wait)
    accepted = accept(now)
    record_mfa_attempt(dbs, user.id, ip, accepted, now)
    if not accepted:
        record_event(
            dbs, "authn_mfa_fail", actor=user, subject_user_id=user.id, result="failure", ip=ip
        )
        raise DomainError(wrong, "code")


def _check_code(dbs: Session, user: User, code: str, ip: str) -> None:
    """Accept a code of the app once, or raise (throttled per account)."""

    def accept(now: datetime) -> bool:
        step = _matching_step(user.totp_secret or "", code, now)
        return step is not None and _claim_step(dbs, user, step)

    _try_second_step(dbs, user, ip, accept, WRONG_CODE)


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    digits = "".join(code.split())
    if not secret or len(digits) != 6 or not digits.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = _step(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def _claim_step(dbs: Session, user: User, step: int) -> bool:
    """Mark the step used; False when it (or a later one) was used already."""
    result = dbs.execute(
        sa.update(User)
        .where(
            User.id == user.id,
            sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    user.totp_last_step = step
    return True


def verify(dbs: Session, user: User, code: str, ip: str) -> None:
    """The second step at login, with the app's code."""
    _check_code(dbs, user, code, ip)
    record_event(dbs, "authn_mfa_success", actor=user, subject_user_id=user.id, ip=ip)


# --- recovery codes ------------------------------------------------------------------------


def _code_hash(code: str) -> str:
    # The codes are random (about 60 bits), so a fast hash is enough to keep them unreadable.
    return hashlib.sha256(_normalised(code).encode()).hexdigest()


def _normalised(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _new_code() -> str:
    chars = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(12))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def new_recovery_codes(dbs: Session, user: User, ip: str | None, audit: bool = True) -> list[str]:
    """Replace the user's recovery codes with fresh ones, shown once."""
    dbs.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_code() for _ in range(RECOVERY_CODES)]
    dbs.add_all(RecoveryCode(user_id=user.id, code_hash=_code_hash(code)) for code in codes)
    dbs.flush()
    if audit:
        record_event(dbs, "authn_mfa_recovery_renewed", actor=user, subject_user_id=user.id, ip=ip)
    return codes


def recovery_codes_left(dbs: Session, user: User) -> int:
    return dbs.scalar(
        sa.select(sa.func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def verify_recovery_code(dbs: Session, user: User, code: str, ip: str) -> int:
    """The second step with a recovery code instead of the app; returns how many are left."""

    def accept(now: datetime) -> bool:
        used = dbs.execute(
            sa.update(RecoveryCode)
            .where(
                RecoveryCode.user_id == user.id,
                RecoveryCode.code_hash == _code_hash(code),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        return used.rowcount == 1

    wrong = _l("This recovery code is not right, or it was used already.")
    _try_second_step(dbs, user, ip, accept, wrong)
    record_event(dbs, "authn_mfa_recovery_used", actor=user, subject_user_id=user.id, ip=ip)
    return recovery_codes_left(dbs, user)
