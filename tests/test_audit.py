"""The audit log records security events and shows when a row was changed afterwards."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from marketplace import db
from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEvent
from marketplace.audit.services import _digest, _fields, ip_pseudonym, record_event, verify_chain
from tests.concurrency import at_once
from tests.factories import make_user
from tests.postgres import migrated_postgres_app


def _actions(db_session) -> list[str]:
    db_session.expire_all()
    return list(db_session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_sign_in_events_are_recorded(db_session, auth):
    user = make_user(Role.CONSULTANT)
    auth.login(user.email, "wrong password wrong password")
    auth.login(user.email)
    auth.logout()
    assert _actions(db_session) == [
        "authn_login_fail",
        "authn_login_success",
        "authn_mfa_success",
        "authn_logout",
    ]
    failure = db_session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).first()
    assert failure.subject_user_id == user.id and failure.result == "failure"
    assert failure.ip == ip_pseudonym("127.0.0.1") and "127.0.0.1" not in failure.ip


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


@pytest.mark.parametrize(
    "change",
    [{"ip": "ip:" + "0" * 32}, {"ip": None}, {"actor_role": "admin"}, {"actor_role": None}],
)
def test_a_changed_origin_breaks_the_chain(db_session, change):
    """The role and the address's pseudonym are covered too: who did it, and from where."""
    consultant = make_user(Role.CONSULTANT)
    for action in ("user_invited", "newcomer_profile_read", "user_activated"):
        record_event(db_session, action, actor=consultant, ip="198.51.100.7")
    db_session.flush()
    second = db_session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()[1]
    db_session.execute(sa.update(AuditEvent).where(AuditEvent.id == second.id).values(change))
    db_session.expire_all()
    assert verify_chain(db_session) == [second.id]


def _older_row(db_session, action: str) -> AuditEvent:
    """A row as the log wrote them before the hash covered the role and the address."""
    event = record_event(db_session, action, actor=make_user(Role.ADMIN), ip="192.0.2.1")
    event.hash = _digest(event.prev_hash, _fields(event, with_origin=False))
    db_session.flush()
    return event


def test_rows_from_before_the_origin_was_covered_still_verify_until_the_first_newer_row(
    db_session,
):
    first, second = _older_row(db_session, "user_invited"), _older_row(db_session, "user_active")
    record_event(db_session, "user_deactivated", actor=None)
    db_session.flush()
    assert verify_chain(db_session) == []

    # an older-style row after the newer ones is what someone rewriting a row would produce
    late = _older_row(db_session, "user_activated")
    assert verify_chain(db_session) == [late.id]
    assert first.id < second.id < late.id


def test_a_throttled_login_is_audited(db_session, auth):
    user = make_user(Role.NEWCOMER)
    for _ in range(5):
        auth.login(user.email, "wrong password wrong password")
    assert auth.login(user.email).status_code == 429
    assert _actions(db_session)[-1] == "authn_login_fail_max"


def test_flask_audit_verify_says_intact_and_names_a_removed_row(db_session, runner):
    admin = make_user(Role.ADMIN)
    for action in ("user_invited", "user_deactivated", "user_activated"):
        record_event(db_session, action, actor=admin, subject_user_id=admin.id)
    db_session.flush()
    total = db_session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    intact = runner.invoke(args=["audit", "verify"])
    assert intact.exit_code == 0, intact.output
    assert f"The audit log is intact: {total} events" in intact.output

    first, second, third = db_session.scalars(
        sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(3)
    ).all()[::-1]
    db_session.execute(sa.delete(AuditEvent).where(AuditEvent.id == second.id))
    db_session.expire_all()
    changed = runner.invoke(args=["audit", "verify"])
    assert changed.exit_code == 1
    assert f"1 of {total - 1} events do not fit the chain (ids {third.id})" in changed.output


@pytest.mark.postgres
def test_postgresql_refuses_to_change_or_remove_an_audit_row(tmp_path):
    """R40: on PostgreSQL the database itself keeps the log append-only."""
    with migrated_postgres_app(tmp_path) as app, app.app_context():
        admin = make_user(Role.ADMIN)
        event = record_event(db.session, "user_invited", actor=admin, subject_user_id=admin.id)
        db.session.commit()
        for change in (
            sa.update(AuditEvent).where(AuditEvent.id == event.id).values(action="x"),
            sa.delete(AuditEvent).where(AuditEvent.id == event.id),
            sa.text("TRUNCATE audit_event"),
        ):
            with pytest.raises(sa.exc.DBAPIError, match="append-only"):
                db.session.execute(change)
            db.session.rollback()
        assert verify_chain(db.session) == []
        assert db.session.scalar(sa.select(AuditEvent.action)) == "user_invited"


@pytest.mark.postgres
def test_writers_at_the_same_moment_keep_one_chain_on_postgresql(tmp_path):
    """Ten requests that log at once must not chain to the same previous row."""

    def one_request(ready, n: int) -> None:
        with app.app_context():
            ready()
            for _ in range(3):
                record_event(db.session, "user_invited", detail_n=n)
            db.session.commit()

    with migrated_postgres_app(tmp_path) as app:
        at_once(one_request, [(n,) for n in range(10)])
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 30
            assert verify_chain(db.session) == []
