"""Users and what keeps sign-in safe: server-side sessions, one-time tokens, login attempts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, UTCDateTime, enum_type, pii, utcnow


class Role(StrEnum):
    NEWCOMER = "newcomer"
    EMPLOYER = "employer"
    CONSULTANT = "consultant"
    ADMIN = "admin"


class User(UserMixin, Base):
    __tablename__ = "user_account"
    __table_args__ = (
        sa.CheckConstraint(
            "role <> 'employer' OR organisation_id IS NOT NULL", name="employer_has_organisation"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    email: Mapped[str] = mapped_column(sa.String(254), unique=True, info=pii("personal"))
    name: Mapped[str] = mapped_column(sa.String(120), info=pii("personal"))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255), info=pii("secret"))
    role: Mapped[Role] = mapped_column(enum_type(Role), info=pii("none"))
    language: Mapped[str] = mapped_column(sa.String(8), default="nl", info=pii("none"))
    active: Mapped[bool] = mapped_column(default=True, info=pii("none"))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT"), index=True, info=pii("none")
    )
    failed_logins: Mapped[int] = mapped_column(default=0, info=pii("none"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=pii("personal"))
    #: the shared secret of the authenticator app (base32), set when enrolment starts
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64), info=pii("secret"))
    #: when the user proved the app works; until then the secret is only a proposal
    mfa_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=pii("none"))
    #: the newest 30-second step whose code was used, so that no code works twice
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger, info=pii("none"))

    organisation = relationship("Organisation", back_populates="members")

    @property
    def is_active(self) -> bool:  # Flask-Login: a deactivated user cannot sign in
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class UserSession(Base):
    """A signed-in browser. The cookie holds a random token; this row holds its hash."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True, info=pii("none")
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True, info=pii("secret"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=pii("none"))
    #: when this browser passed the second step (consultants and administrators)
    mfa_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=pii("none"))

    user: Mapped[User] = relationship()


class RecoveryCode(Base):
    """A single-use code for when the authenticator app is lost; only its hash is kept."""

    __tablename__ = "recovery_code"
    __table_args__ = (sa.UniqueConstraint("user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True, info=pii("none")
    )
    code_hash: Mapped[str] = mapped_column(sa.String(64), info=pii("secret"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=pii("none"))


class TokenPurpose(StrEnum):
    PASSWORD_RESET = "password_reset"  # noqa: S105  (a purpose, not a password)
    INVITATION = "invitation"


class AccountToken(Base):
    """A single-use link (password reset or invitation); only the hash of the token is kept."""

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True, info=pii("none")
    )
    purpose: Mapped[TokenPurpose] = mapped_column(enum_type(TokenPurpose), info=pii("none"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True, info=pii("secret"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, info=pii("none"))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=pii("none"))

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """One sign-in attempt, kept in the database so that every worker process sees the throttle."""

    __tablename__ = "login_attempt"
    __table_args__ = (sa.Index("ix_login_attempt_ip_at", "ip", "attempted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    #: sha256 of the normalised e-mail address typed, so unknown addresses are throttled too
    account_key: Mapped[str] = mapped_column(sa.String(64), index=True, info=pii("personal"))
    ip: Mapped[str] = mapped_column(sa.String(45), info=pii("personal"))
    succeeded: Mapped[bool] = mapped_column(info=pii("none"))
    attempted_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True, info=pii("none")
    )
