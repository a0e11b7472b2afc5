"""The audit log records security events and shows when a row was changed afterwards."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEvent
from marketplace.audit.services import record_event, verify_chain
from tests.factories import make_user


def _actions(db_session) -> list[str]:
    db_session.expire_all()
    return list(db_session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_sign_in_events_are_recorded(db_session, auth):
    user = make_user(Role.CONSULTANT)
    auth.login(user.email, "wrong password wrong password")
    auth.login(user.email)
    auth.logout()
    assert _actions(db_session) == ["authn_login_fail", "authn_login_success", "authn_logout"]
    failure = db_session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).first()
    assert failure.subject_user_id == user.id and failure.result == "failure"
    assert failure.ip == "127.0.0.1"


def test_a_changed_row_breaks_the_chain(db_session):
    admin = make_user(Role.ADMIN)
    for action in ("user_invited", "user_deactivated", "user_activated"):
        record_event(db_session, action, actor=admin, subject_user_id=admin.id)
    db_session.flush()
    assert verify_chain(db_session) == []
    second = db_session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()[1]
    db_session.execute(
        sa.update(AuditEvent).where(AuditEvent.id == second.id).values(action="user_activated")
    )
    db_session.expire_all()
    assert verify_chain(db_session) == [second.id]


def test_a_throttled_login_is_audited(db_session, auth):
    user = make_user(Role.NEWCOMER)
    for _ in range(5):
        auth.login(user.email, "wrong password wrong password")
    assert auth.login(user.email).status_code == 429
    assert _actions(db_session)[-1] == "authn_login_fail_max"
