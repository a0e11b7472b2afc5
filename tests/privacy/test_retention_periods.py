"""The retention job (R38) on short-lived records and parts of files, its dry run, its
command, and the audit log's pseudonyms of internet addresses."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine

from marketplace.accounts.models import (
    AccountToken,
    LoginAttempt,
    Role,
    TokenPurpose,
    UserSession,
)
from marketplace.accounts.services import set_active
from marketplace.audit.models import AuditEvent
from marketplace.audit.services import ip_pseudonym, record_event, verify_chain
from marketplace.feedback.models import Feedback
from marketplace.notices.models import Notice
from marketplace.privacy.retention import purge
from tests.factories import make_user
from tests.privacy.canary import make_canary, markers_in, stored_text
from tests.privacy.timeline import FILES_ONLY, SEEDED, TODAY, checksum, closed_canary


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@pytest.fixture
def short_lived(app, db_session, tmp_path, monkeypatch):
    """Records on both sides of each period, as of TODAY with the default periods."""
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path / "mail"))
    with time_machine.travel(SEEDED, tick=False):
        alpha = make_canary(db_session, "alpha")  # placement ended 2026: past 2 years
        bravo = make_canary(db_session, "bravo")
    bravo.placement.ended_on = date(2030, 1, 1)  # the first day still kept
    for row in db_session.scalars(sa.select(Feedback).filter_by(profile_id=bravo.profile.id)):
        row.created_at = _at(date(2030, 1, 1))
    for row in db_session.scalars(sa.select(Notice).filter_by(user_id=bravo.user.id)):
        row.created_at = _at(date(2031, 1, 1))
    old, kept = _at(date(2031, 12, 1)), _at(date(2031, 12, 2))  # 30 days: cut at 2 December
    user = alpha.user
    db_session.add_all(
        [
            LoginAttempt(account_key="k", ip="192.0.2.9", succeeded=False, attempted_at=old),
            LoginAttempt(account_key="k", ip="192.0.2.9", succeeded=True, attempted_at=kept),
            UserSession(user_id=user.id, token_hash="a", last_seen_at=old, created_at=old),
            UserSession(user_id=user.id, token_hash="b", last_seen_at=old, revoked_at=kept),
            UserSession(user_id=user.id, token_hash="c", last_seen_at=kept, created_at=kept),
        ]
        + [
            AccountToken(
                user_id=user.id,
                purpose=TokenPurpose.PASSWORD_RESET,
                token_hash=name,
                expires_at=expires,
                used_at=used,
            )
            for name, expires, used in (("d", old, None), ("e", _at(TODAY), old), ("f", kept, None))
        ]
    )
    db_session.flush()
    mail = Path(app.config["MAIL_OUTBOX_DIR"])
    mail.mkdir()
    for stamp in ("20311201T235959000000", "20311202T000000000000"):
        (mail / f"{stamp}.eml").write_text(f"To: {user.email}\n\nHallo\n")
    return alpha, bravo


EXPECTED = {
    "newcomer_file": 0,
    "staff_account": 0,
    "check_in_notes": 1,
    "feedback": 1,
    "notice": 1,
    "login_attempt": 1,
    "user_session": 1,
    "account_token": 2,
    "mail_file": 1,
}


def test_short_lived_records_go_after_their_period_and_nothing_else(app, db_session, short_lived):
    alpha, bravo = short_lived

    report = purge(db_session, TODAY)

    assert report.counts == EXPECTED
    gone = set(alpha.markers) - markers_in(stored_text(db_session), alpha)
    notes = {"skills_gained", "dutch_progress", "newcomer_words", "host_view", "rung_reason"}
    assert gone == {("check_in", n) for n in notes | {"next_steps"}} | {
        ("feedback", "comment"),
        ("notice", "params"),
        ("notice", "key"),
    }
    assert markers_in(stored_text(db_session), bravo) == set(bravo.markers)
    scores = db_session.scalars(sa.select(Feedback).filter_by(place_id=alpha.placement.place_id))
    assert [(f.meaningful, f.profile_id, f.placement_id) for f in scores] == [(4, None, None)]
    assert db_session.scalars(sa.select(LoginAttempt.succeeded)).all() == [True]
    assert sorted(db_session.scalars(sa.select(UserSession.token_hash))) == ["b", "c"]
    assert db_session.scalars(sa.select(AccountToken.token_hash)).all() == ["f"]
    mail = Path(app.config["MAIL_OUTBOX_DIR"])
    assert [p.name for p in mail.iterdir()] == ["20311202T000000000000.eml"]
    before = checksum(db_session)
    assert purge(db_session, TODAY).total == 0
    assert checksum(db_session) == before


def test_a_dry_run_counts_the_same_and_changes_nothing(app, db_session, short_lived):
    before = checksum(db_session)

    report = purge(db_session, TODAY, dry_run=True)

    assert report.counts == EXPECTED
    assert checksum(db_session) == before
    assert len(list(Path(app.config["MAIL_OUTBOX_DIR"]).iterdir())) == 2
    assert purge(db_session, TODAY).counts == EXPECTED


def test_the_command_reports_counts_without_personal_data(app, db_session, runner, monkeypatch):
    monkeypatch.setitem(app.config, "FIXED_TODAY", TODAY.isoformat())
    monkeypatch.setitem(app.config, "RETENTION", FILES_ONLY)
    alpha = closed_canary(db_session, "alpha")
    name, email = alpha.user.name, alpha.user.email
    db_session.commit()

    result = runner.invoke(args=["privacy", "purge"])

    assert result.exit_code == 0, result.output
    assert re.search(r"newcomer_file\s+1\s", result.output)
    assert re.search(r"total\s+1$", result.output, re.MULTILINE)
    for secret in ("canaryalpha", name, email, "@"):
        assert secret not in result.output
    again = runner.invoke(args=["privacy", "purge", "--today", TODAY.isoformat()])
    assert again.exit_code == 0 and re.search(r"total\s+0$", again.output, re.MULTILINE)


def test_the_command_refuses_a_later_date_unless_it_is_a_dry_run(
    app, db_session, runner, monkeypatch
):
    monkeypatch.setitem(app.config, "FIXED_TODAY", "2030-01-01")
    monkeypatch.setitem(app.config, "RETENTION", FILES_ONLY)
    closed_canary(db_session, "alpha")
    db_session.commit()  # as in production: the command starts from committed data
    before = checksum(db_session)

    refused = runner.invoke(args=["privacy", "purge", "--today", TODAY.isoformat()])
    dry = runner.invoke(args=["privacy", "purge", "--today", TODAY.isoformat(), "--dry-run"])

    assert refused.exit_code == 1 and "only works with --dry-run" in refused.output
    assert dry.exit_code == 0 and "dry run, nothing was changed" in dry.output
    assert re.search(r"newcomer_file\s+1\s", dry.output)
    assert checksum(db_session) == before


def test_the_audit_log_keeps_a_keyed_pseudonym_of_the_address(app, db_session, runner):
    events = [record_event(db_session, "probe", ip=ip) for ip in ("192.0.2.7", " 192.0.2.7")]
    other = record_event(db_session, "probe", ip="198.51.100.1")
    db_session.flush()

    stored = {e.ip for e in events}
    assert len(stored) == 1 and re.fullmatch(r"ip:[0-9a-f]{32}", stored.pop())
    assert other.ip != events[0].ip and "192.0.2.7" not in stored_text(db_session)
    assert verify_chain(db_session) == []
    shown = runner.invoke(args=["privacy", "ip-pseudonym", "192.0.2.7"]).output.strip()
    assert shown == events[0].ip
    app.config["AUDIT_IP_KEY"] = "another key of the privacy officer"
    try:
        assert ip_pseudonym("192.0.2.7") != events[0].ip
    finally:
        app.config["AUDIT_IP_KEY"] = None


def test_closed_staff_accounts_lose_name_address_and_secrets_after_their_period(app, db_session):
    """An employer, consultant or administrator whose account was closed, and with whom
    nothing happened for two years: the row stays (placements and the log point to it), but
    nothing personal or secret in it, and their sign-in rows go."""
    recently = _at(date(2030, 6, 1))  # within two years of TODAY
    with time_machine.travel(SEEDED, tick=False):
        gone = make_user(Role.CONSULTANT, email="oud@gemeente.example")
        gone.last_login_at = SEEDED
        set_active(db_session, make_user(Role.ADMIN), gone, False)
        waiting = make_user(Role.EMPLOYER, email="nog@werk.example")
        working = make_user(Role.EMPLOYER, email="actief@werk.example")
    with time_machine.travel(recently, tick=False):
        set_active(db_session, make_user(Role.ADMIN), waiting, False)
    db_session.add(UserSession(user_id=gone.id, token_hash="g", last_seen_at=_at(TODAY)))
    db_session.flush()

    report = purge(db_session, TODAY)

    assert report.counts["staff_account"] == 1
    db_session.expire_all()
    assert (gone.email, gone.name) == (f"erased-{gone.id}@invalid", f"erased-{gone.id}")
    assert (gone.password_hash, gone.totp_secret, gone.last_login_at) == (None, None, None)
    assert db_session.scalars(sa.select(UserSession).filter_by(user_id=gone.id)).all() == []
    assert (waiting.email, working.email) == ("nog@werk.example", "actief@werk.example")
    events = db_session.scalars(
        sa.select(AuditEvent).filter_by(action="staff_account_anonymised")
    ).all()
    assert [event.subject_user_id for event in events] == [gone.id]
    assert verify_chain(db_session) == []
    assert purge(db_session, TODAY).counts["staff_account"] == 0  # once only
