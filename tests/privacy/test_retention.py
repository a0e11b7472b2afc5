"""The retention job (R38) on whole files: past its period a closed newcomer file is gone,
except the audit log and the anonymised account; a second run changes nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine

from marketplace import db
from marketplace.accounts.models import AccountToken, Role, TokenPurpose, User, UserSession
from marketplace.accounts.services import set_active
from marketplace.audit.models import AuditEvent
from marketplace.audit.services import record_event, verify_chain
from marketplace.newcomers.models import NewcomerProfile
from marketplace.placements.models import Placement, PlacementStatus
from marketplace.plans.models import Plan
from marketplace.privacy import erasure
from marketplace.privacy.retention import purge
from marketplace.search.models import OutboxEntry
from marketplace.search.sync import apply_outbox
from marketplace.vocab import LearningRoute
from tests.factories import make_organisation, make_place, make_user
from tests.postgres import migrated_postgres_app
from tests.privacy.canary import make_canary, markers_in, stored_text
from tests.privacy.timeline import (
    FILES_ONLY,
    LAST_DATE,
    SEEDED,
    TODAY,
    checksum,
    closed_canary,
)


def audit_of(dbs, user_id: int) -> list[tuple]:
    about = sa.or_(AuditEvent.subject_user_id == user_id, AuditEvent.actor_id == user_id)
    query = sa.select(AuditEvent.id, AuditEvent.actor_id, AuditEvent.subject_user_id)
    return [tuple(row) for row in dbs.execute(query.add_columns(AuditEvent.hash).where(about))]


def index_bytes(app) -> bytes:
    return b"".join(p.read_bytes() for p in Path(app.config["SEARCH_INDEX_DIR"]).rglob("*.*"))


@pytest.fixture
def files_only(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "RETENTION", FILES_ONLY)
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path / "mail"))


def test_a_closed_file_past_its_period_is_gone_and_a_second_run_changes_nothing(
    app, db_session, files_only
):
    alpha = closed_canary(db_session, "alpha")
    bravo = closed_canary(db_session, "bravo", datetime(2029, 1, 10, tzinfo=UTC))
    with time_machine.travel(SEEDED, tick=False):
        charlie = make_canary(db_session, "charlie")  # as old, but the account is open
    with time_machine.travel(SEEDED, tick=False):
        db_session.add(UserSession(user_id=alpha.user.id, token_hash="s"))
        db_session.add(
            AccountToken(
                user_id=alpha.user.id,
                purpose=TokenPurpose.INVITATION,
                token_hash="t",
                expires_at=SEEDED,
            )
        )
    apply_outbox(db_session, SEEDED.date())
    assert b"keuken" in index_bytes(app).lower()  # the scan below does see the index's text
    audit_before = audit_of(db_session, alpha.user.id)
    outbox_before = db_session.scalar(sa.select(sa.func.max(OutboxEntry.id)))

    report = purge(db_session, TODAY)

    assert report.counts["newcomer_file"] == 1 and report.total == 1
    text = stored_text(db_session)
    assert markers_in(text, alpha) == set(), "nothing of A's remains, not even the plan"
    assert markers_in(text, bravo) == set(bravo.markers), "B closed in 2029: untouched"
    assert markers_in(text, charlie) == set(charlie.markers), "C's account is open: untouched"
    assert "192.0.2.7" not in text, "the audit log holds no raw internet address"
    for table in ("newcomer_profile", "placement", "plan", "check_in", "erasure_request"):
        assert f"canaryalpha_{table}" not in text
    assert db_session.get(Placement, alpha.placement.id) is None
    for model in (UserSession, AccountToken):
        assert db_session.scalars(sa.select(model).filter_by(user_id=alpha.user.id)).all() == []
    user = db_session.get(User, alpha.user.id)
    assert (user.name, user.email, user.password_hash, user.active) == (
        f"erased-{user.id}",
        f"erased-{user.id}@invalid",
        None,
        False,
    )
    # the audit rows stay as they were: the ids are now pseudonyms of an erased account
    assert set(audit_before) <= set(audit_of(db_session, alpha.user.id))
    assert verify_chain(db_session) == []
    (purged,) = db_session.scalars(sa.select(AuditEvent).filter_by(action="newcomer_file_purged"))
    assert purged.subject_user_id == alpha.user.id and purged.ip is None
    login = db_session.scalars(sa.select(AuditEvent).filter_by(actor_id=alpha.user.id)).first()
    assert re.fullmatch(r"ip:[0-9a-f]{32}", login.ip)
    # the index hears about A's place through the outbox, and holds nothing of A's
    queued = sa.select(OutboxEntry.entity_id).where(OutboxEntry.id > (outbox_before or 0))
    assert alpha.placement.place_id in set(db_session.scalars(queued))
    apply_outbox(db_session, SEEDED.date())
    assert b"canaryalpha_" not in index_bytes(app)

    before = checksum(db_session)
    again = purge(db_session, TODAY)

    assert again.total == 0 and again.waiting_for_placement == 0
    assert checksum(db_session) == before


@pytest.mark.parametrize(
    ("today", "removed"),
    [(LAST_DATE.replace(year=2031), 0), (LAST_DATE.replace(year=2031) + timedelta(days=1), 1)],
)
def test_a_file_is_kept_for_the_whole_period_and_goes_the_day_after(
    db_session, files_only, today, removed
):
    alpha = closed_canary(db_session, "alpha")

    report = purge(db_session, today)

    assert report.counts["newcomer_file"] == removed
    kept = markers_in(stored_text(db_session), alpha)
    assert kept == (set(alpha.markers) if not removed else set())


def test_an_erased_file_loses_what_the_erasure_kept_once_its_period_ends(db_session, files_only):
    with time_machine.travel(SEEDED, tick=False):
        alpha = make_canary(db_session, "alpha")
        request = erasure.request_erasure(db_session, alpha.user, None)
        erasure.carry_out_erasure(db_session, alpha.consultant, request)
        db_session.flush()
    assert ("plan", "support") in markers_in(stored_text(db_session), alpha)

    assert purge(db_session, TODAY).counts["newcomer_file"] == 1

    assert markers_in(stored_text(db_session), alpha) == set()


def test_a_file_with_an_open_placement_waits_for_its_consultant(db_session, files_only):
    alpha = closed_canary(db_session, "alpha")
    with time_machine.travel(SEEDED, tick=False):
        alpha.placement.status = PlacementStatus.ACTIVE
        db_session.flush()
    before = checksum(db_session)

    report = purge(db_session, TODAY)

    assert (report.total, report.waiting_for_placement) == (0, 1)
    assert checksum(db_session) == before


@pytest.mark.postgres
def test_the_purge_works_on_postgresql_where_the_audit_log_refuses_changes(tmp_path):
    """The audit trigger refuses UPDATE and DELETE: the purge must never need either."""
    with migrated_postgres_app(tmp_path) as app, app.app_context():
        app.config["RETENTION"] = FILES_ONLY
        with time_machine.travel(SEEDED, tick=False):
            user = make_user(Role.NEWCOMER)
            user.name = "pg-secret-name"
            profile = db.session.scalar(sa.select(NewcomerProfile).filter_by(user_id=user.id))
            place = make_place(make_organisation())
            db.session.add_all(
                [
                    Placement(
                        profile_id=profile.id,
                        place_id=place.id,
                        status=PlacementStatus.COMPLETED,
                        ended_on=LAST_DATE,
                    ),
                    Plan(
                        profile_id=profile.id,
                        version=1,
                        learning_route=LearningRoute.B1,
                        support="pg-secret-support",
                    ),
                ]
            )
            record_event(db.session, "authn_login_success", actor=user, ip="192.0.2.7")
            set_active(db.session, make_user(Role.ADMIN), user, False)
            db.session.commit()

        first = purge(db.session, TODAY)
        db.session.commit()
        before = checksum(db.session)
        second = purge(db.session, TODAY)
        db.session.commit()

        assert (first.counts["newcomer_file"], second.total) == (1, 0)
        assert "pg-secret" not in stored_text(db.session)
        assert "192.0.2.7" not in stored_text(db.session)
        assert checksum(db.session) == before and verify_chain(db.session) == []
