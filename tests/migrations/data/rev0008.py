"""The second login step: authenticator secrets, recovery codes, the session's second step."""

from __future__ import annotations

from marketplace import models as m
from tests.migrations.data import AT, insert, row, update

SECRET = "JBSWY3DPEHPK3PXP"


def load(conn) -> None:
    update(
        conn, "user_account", 102, totp_secret=SECRET, mfa_enabled_at=AT, totp_last_step=58_000_000
    )
    insert(conn, "recovery_code", id=801, user_id=102, code_hash="c" * 64, created_at=AT)
    insert(
        conn,
        "user_session",
        id=801,
        user_id=102,
        token_hash="d" * 64,
        created_at=AT,
        last_seen_at=AT,
        mfa_at=AT,
    )


def at_head(session) -> None:
    user = session.get(m.User, 102)
    assert (user.totp_secret, user.totp_last_step) == (SECRET, 58_000_000)
    assert session.get(m.RecoveryCode, 801).used_at is None
    assert session.get(m.UserSession, 801).mfa_at is not None


def after_downgrade(conn) -> None:
    assert row(conn, "recovery_code", 801, "code_hash") == ("c" * 64,)
    assert row(conn, "user_account", 102, "totp_secret") == (SECRET,)
