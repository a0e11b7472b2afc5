"""Server-side sessions: a signed-in browser is a row, so logging out really ends it.

The cookie (Flask's signed session) carries a random token; the database keeps its hash with
the time of sign-in and of the last request. Logout, a password change and deactivation revoke
rows, after which a copied cookie no longer works (security.md R18, R19).
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, current_app, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from marketplace import db
from marketplace.accounts.models import User, UserSession
from marketplace.db import utcnow

login_manager = LoginManager()
SESSION_KEY = "sid"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(dbs, user: User, mfa_passed: bool = False) -> str:
    """Open a server-side session for the user and return its token for the cookie."""
    token = secrets.token_urlsafe(32)
    mfa_at = utcnow() if mfa_passed else None
    dbs.add(UserSession(user_id=user.id, token_hash=token_hash(token), mfa_at=mfa_at))
    dbs.flush()
    return token


def revoke_session(dbs, token: str | None) -> None:
    """End one signed-in browser."""
    if token:
        dbs.execute(
            sa.update(UserSession)
            .where(UserSession.token_hash == token_hash(token), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def revoke_all_sessions(dbs, user_id: int, keep_token: str | None = None) -> None:
    """End every signed-in browser of a user, except the one named."""
    stmt = sa.update(UserSession).where(
        UserSession.user_id == user_id, UserSession.revoked_at.is_(None)
    )
    if keep_token:
        stmt = stmt.where(UserSession.token_hash != token_hash(keep_token))
    dbs.execute(stmt.values(revoked_at=utcnow()))


def _load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the user only while the cookie's server-side session is alive."""
    token = session.get(SESSION_KEY)
    if not token or not user_id.isdigit():
        return None
    row = db.session.scalar(
        sa.select(UserSession).where(UserSession.token_hash == token_hash(token))
    )
    now = utcnow()
    config = current_app.config
    if (
        row is None
        or row.user_id != int(user_id)
        or row.revoked_at is not None
        or now - row.last_seen_at > timedelta(minutes=config["SESSION_IDLE_MINUTES"])
        or now - row.created_at > timedelta(hours=config["SESSION_ABSOLUTE_HOURS"])
    ):
        return None
    user = row.user
    if not user.active:
        return None
    if now - row.last_seen_at > timedelta(minutes=1):
        row.last_seen_at = now  # written at most once a minute
    g.user_session = row
    return user


def current_session() -> UserSession | None:
    """The server-side row of this request's signed-in browser."""
    return g.get("user_session")


def fresh_login_required(view: Callable) -> Callable:
    """Ask for the password again unless this browser signed in (or confirmed it) within
    FRESH_LOGIN_MINUTES: for what a borrowed session must not get, like a data download (R19).
    """

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        row = current_session()
        limit = timedelta(minutes=current_app.config["FRESH_LOGIN_MINUTES"])
        if row is None or utcnow() - row.created_at > limit:
            return redirect(
                url_for("accounts.confirm_password", next=request.full_path.rstrip("?"))
            )
        return view(*args, **kwargs)

    return wrapped


def init_app(app: Flask) -> None:
    """Wire Flask-Login to the server-side sessions; remember-me cookies are not used."""
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # our own server-side sessions do this job
