"""Account rules: creating users, signing in, passwords, reset links and invitations.

Services change state and flush; they never commit, render, flash or read the request.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from marketplace.accounts import throttle
from marketplace.accounts.models import AccountToken, Role, TokenPurpose, User
from marketplace.accounts.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from marketplace.accounts.sessions import revoke_all_sessions
from marketplace.audit.services import record_event
from marketplace.db import utcnow
from marketplace.domain import DomainError, NotAllowed
from marketplace.mail import queue_mail
from marketplace.organisations.models import Organisation, OrganisationKind


class LoginFailed(DomainError):
    """Wrong address or password, or the account cannot sign in; one message for all."""


class LoginThrottled(DomainError):
    def __init__(self, retry_after: int):
        super().__init__(_l("Too many attempts. Please wait a while and try again."))
        self.retry_after = retry_after


class InvalidToken(DomainError):
    """The link is unknown, used already or expired."""


def find_user_by_email(dbs: Session, email: str) -> User | None:
    return dbs.scalar(sa.select(User).where(User.email == email.strip().lower()))


def create_user(
    dbs: Session,
    *,
    email: str,
    name: str,
    role: Role,
    language: str = "nl",
    password: str | None = None,
    organisation: Organisation | None = None,
) -> User:
    """Create an account; without a password it can only be used through an invitation."""
    email = email.strip().lower()
    if find_user_by_email(dbs, email) is not None:
        raise DomainError(_l("An account with this e-mail address exists already."), "email")
    if password is not None:
        problem = password_problem(password, email=email)
        if problem:
            raise DomainError(problem, "password")
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        language=language,
        password_hash=hash_password(password) if password else None,
        organisation=organisation,
        active=True,
    )
    dbs.add(user)
    dbs.flush()
    return user


def authenticate(dbs: Session, email: str, password: str, ip: str, now: datetime | None = None):
    """The user for these credentials; raises LoginThrottled or LoginFailed (one message)."""
    now = now or utcnow()
    key = throttle.account_key(email)
    wait = throttle.retry_after(dbs, key, ip, now)
    if wait is not None:
        record_event(dbs, "authn_login_fail_max", result="refused", ip=ip)
        raise LoginThrottled(wait)
    user = find_user_by_email(dbs, email)
    # The hash check always runs, also for unknown addresses, so timing reveals nothing.
    ok = verify_password(user.password_hash if user else None, password)
    locked = user is not None and user.failed_logins >= current_app.config["LOGIN_LOCK_AFTER"]
    if not ok or user is None or not user.active or locked:
        throttle.record_attempt(dbs, key, ip, succeeded=False, now=now)
        if user is not None:
            user.failed_logins += 1
        record_event(
            dbs,
            "authn_login_fail",
            subject_user_id=user.id if user else None,
            result="failure",
            ip=ip,
        )
        raise LoginFailed(_l("The e-mail address or the password is not right."))
    throttle.record_attempt(dbs, key, ip, succeeded=True, now=now)
    user.failed_logins = 0
    user.last_login_at = now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    record_event(dbs, "authn_login_success", actor=user, subject_user_id=user.id, ip=ip)
    return user


def confirm_password(
    dbs: Session, user: User, password: str, ip: str, field: str = "password"
) -> None:
    """Check the signed-in user's password again before a change that matters (R19).

    Wrong tries count in the login throttle, so a borrowed session cannot guess it.
    """
    now = utcnow()
    key = throttle.account_key(user.email)
    wait = throttle.retry_after(dbs, key, ip, now)
    if wait is not None:
        record_event(dbs, "authn_login_fail_max", actor=user, result="refused", ip=ip)
        raise LoginThrottled(wait)
    ok = verify_password(user.password_hash, password)
    throttle.record_attempt(dbs, key, ip, succeeded=ok, now=now)
    if not ok:
        record_event(
            dbs, "authn_reauth_fail", actor=user, subject_user_id=user.id, result="failure", ip=ip
        )
        raise DomainError(_l("Your password is not right."), field)


def change_password(
    dbs: Session, user: User, current: str, new: str, keep_token: str, ip: str = ""
) -> None:
    """Set a new password after checking the current one; other sessions end."""
    confirm_password(dbs, user, current, ip, field="current_password")
    problem = password_problem(new, email=user.email)
    if problem:
        raise DomainError(problem, "new_password")
    user.password_hash = hash_password(new)
    revoke_all_sessions(dbs, user.id, keep_token=keep_token)
    record_event(dbs, "authn_password_change", actor=user, subject_user_id=user.id)


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(dbs: Session, user: User, purpose: TokenPurpose, lifetime: timedelta) -> str:
    """Create a single-use link token; only its hash is stored. Older unused ones stop working."""
    now = utcnow()
    dbs.execute(
        sa.update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
    )
    raw = secrets.token_urlsafe(32)  # 256 bits from the operating system's CSPRNG
    dbs.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=_token_hash(raw),
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    dbs.flush()
    return raw


def find_valid_token(dbs: Session, raw: str, purpose: TokenPurpose) -> AccountToken:
    """The unused, unexpired token for this link, or InvalidToken."""
    token = dbs.scalar(
        sa.select(AccountToken).where(
            AccountToken.token_hash == _token_hash(raw or ""), AccountToken.purpose == purpose
        )
    )
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        raise InvalidToken(_l("This link does not work any more. Ask for a new one."))
    if not token.user.active:
        raise InvalidToken(_l("This link does not work any more. Ask for a new one."))
    return token


def request_password_reset(dbs: Session, email: str, ip: str | None = None) -> None:
    """Mail a reset link when the address has an active account; say nothing either way."""
    user = find_user_by_email(dbs, email)
    if user is None or not user.active or user.password_hash is None:
        return
    minutes = current_app.config["RESET_TOKEN_MINUTES"]
    raw = issue_token(dbs, user, TokenPurpose.PASSWORD_RESET, timedelta(minutes=minutes))
    queue_mail(
        dbs,
        user.email,
        user.language,
        "password_reset",
        user=user,
        link=_external_url("accounts.reset_password", token=raw),
        minutes=minutes,
    )
    record_event(dbs, "authn_password_reset_requested", subject_user_id=user.id, ip=ip)


def reset_password(dbs: Session, raw: str, new: str) -> User:
    """Set a new password with a reset link; the link is used up and every session ends."""
    token = find_valid_token(dbs, raw, TokenPurpose.PASSWORD_RESET)
    user = token.user
    problem = password_problem(new, email=user.email)
    if problem:
        raise DomainError(problem, "password")
    token.used_at = utcnow()
    user.password_hash = hash_password(new)
    user.failed_logins = 0
    revoke_all_sessions(dbs, user.id)
    record_event(dbs, "authn_password_reset", actor=user, subject_user_id=user.id)
    return user


def invite(dbs: Session, actor: User, user: User) -> str:
    """Create an invitation link for a new account and mail it; returns the link."""
    days = current_app.config["INVITATION_DAYS"]
    raw = issue_token(dbs, user, TokenPurpose.INVITATION, timedelta(days=days))
    link = _external_url("accounts.accept_invitation", token=raw)
    queue_mail(
        dbs, user.email, user.language, "invitation", user=user, link=link, days=days, inviter=actor
    )
    record_event(dbs, "user_invited", actor=actor, subject_user_id=user.id, role=str(user.role))
    return link


def accept_invitation(dbs: Session, raw: str, password: str, language: str) -> User:
    """Set the first password and language with an invitation link; the link is used up."""
    token = find_valid_token(dbs, raw, TokenPurpose.INVITATION)
    user = token.user
    problem = password_problem(password, email=user.email)
    if problem:
        raise DomainError(problem, "password")
    if language not in current_app.config["LANGUAGES"]:
        raise DomainError(_l("Choose one of the languages in the list."), "language")
    token.used_at = utcnow()
    user.password_hash = hash_password(password)
    user.language = language
    record_event(dbs, "user_invitation_accepted", actor=user, subject_user_id=user.id)
    return user


def register_employer(
    dbs: Session,
    *,
    name: str,
    email: str,
    password: str,
    language: str,
    organisation_name: str,
    organisation_kind: OrganisationKind,
    kvk: str | None,
    postcode: str | None,
    city: str | None,
) -> User:
    """An employer signs up with their organisation, which starts unverified."""
    organisation = Organisation(
        name=organisation_name.strip(),
        kind=organisation_kind,
        kvk=kvk or None,
        postcode=postcode or None,
        city=city or None,
        contact_name=name,
        contact_email=email,
    )
    dbs.add(organisation)
    user = create_user(
        dbs,
        email=email,
        name=name,
        role=Role.EMPLOYER,
        language=language,
        password=password,
        organisation=organisation,
    )
    record_event(dbs, "user_registered", actor=user, subject_user_id=user.id, obj=organisation)
    return user


def set_language(dbs: Session, user: User, language: str) -> None:
    """Remember the user's interface language."""
    if language not in current_app.config["LANGUAGES"]:
        raise DomainError(_l("Choose one of the languages in the list."), "language")
    user.language = language


def set_active(dbs: Session, actor: User, user: User, active: bool) -> None:
    """Deactivate (every session ends at once) or reactivate an account."""
    if actor.role != Role.ADMIN:
        raise NotAllowed(_l("Only an administrator can do this."))
    if user.id == actor.id and not active:
        raise DomainError(_l("You cannot deactivate your own account."))
    user.active = active
    if not active:
        revoke_all_sessions(dbs, user.id)
    record_event(
        dbs,
        "user_activated" if active else "user_deactivated",
        actor=actor,
        subject_user_id=user.id,
    )


def _external_url(endpoint: str, **values) -> str:
    """An absolute link for e-mails, on the configured public address."""
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)
