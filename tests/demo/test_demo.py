"""`flask demo load`: a believable, consistent demo in an empty database, and only there."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask import url_for

from marketplace.accounts.models import Role, User
from marketplace.accounts.passwords import password_problem
from marketplace.accounts.urls import DASHBOARDS
from marketplace.db import Base, utcnow
from marketplace.demo import data
from marketplace.demo.services import DemoError, load_demo
from marketplace.feedback.models import Feedback
from marketplace.newcomers.models import LadderContext, LadderStep, NewcomerProfile
from marketplace.notices.models import NoticeKind
from marketplace.notices.services import notices_of
from marketplace.organisations.models import Organisation, OrganisationKind
from marketplace.placements.models import OPEN_STATUSES, CheckIn, Placement, PlacementStatus
from marketplace.places.models import Place, PlaceKind, PlaceStatus, Sector
from marketplace.plans.models import ActivityKind
from marketplace.plans.path import appointments_ahead, newer_plan_to_agree
from marketplace.plans.services import plan_in_force
from tests.conftest import AuthActions, production_settings
from tests.factories import make_user

TODAY = date.today()


def _count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def _all(session, model) -> list:
    return list(session.scalars(sa.select(model)))


@pytest.fixture
def demo(db_session):
    """The demo loaded into the test's empty database; the (role, email, password) logins."""
    logins = load_demo(db_session, TODAY)
    db_session.expire_all()  # read back what the database holds, not the objects in memory
    return logins


def test_the_demo_has_every_kind_of_record(db_session, demo):
    roles = Counter(db_session.scalars(sa.select(User.role)))
    assert roles[Role.ADMIN] == 1
    assert roles[Role.CONSULTANT] == 3
    assert 12 <= roles[Role.NEWCOMER] <= 20
    assert _count(db_session, NewcomerProfile) == roles[Role.NEWCOMER]
    places = _all(db_session, Place)
    assert 35 <= len(places) <= 45
    assert {p.kind for p in places} == set(PlaceKind)
    assert {p.sector for p in places} == set(Sector)
    assert {p.status for p in places} == set(PlaceStatus)
    organisations = _all(db_session, Organisation)
    assert {o.kind for o in organisations} == set(OrganisationKind)
    unverified = [o for o in organisations if not o.verified]
    assert 1 <= len(unverified) <= 2
    assert all(1 <= len(o.members) <= 2 for o in organisations)
    assert _count(db_session, Feedback) >= 3


def test_every_placement_state_occurs(db_session, demo):
    assert set(db_session.scalars(sa.select(Placement.status))) == set(PlacementStatus)


def test_taken_spots_are_the_approved_and_active_placements(db_session, demo):
    taken = Counter(
        db_session.scalars(
            sa.select(Placement.place_id).where(
                Placement.status.in_([PlacementStatus.APPROVED, PlacementStatus.ACTIVE])
            )
        )
    )
    places = _all(db_session, Place)
    assert sum(taken.values()) > 0
    for place in places:
        assert place.spots_taken == taken[place.id], place.ref
        assert place.spots_taken <= place.spots, place.ref
    assert any(place.spots_free == 0 for place in places)  # a full place shows too


def test_open_placements_are_on_published_places_only(db_session, demo):
    for placement in _all(db_session, Placement):
        if placement.status in OPEN_STATUSES:
            assert placement.place.status == PlaceStatus.PUBLISHED, placement.place.ref
        assert placement.place.published_at is not None


def test_places_past_review_carry_the_displacement_check(db_session, demo):
    for place in _all(db_session, Place):
        if place.status == PlaceStatus.DRAFT:
            assert place.submitted_at is None
            continue
        assert place.would_be_paid_vacancy is not None, place.ref
        assert place.supervisor_name and place.learning_goals and place.works_council
        if place.status in (PlaceStatus.PUBLISHED, PlaceStatus.PAUSED, PlaceStatus.CLOSED):
            assert not place.would_be_paid_vacancy
            assert place.reviewed_at and place.published_at and place.reviewed_by_id
        if place.status == PlaceStatus.REJECTED:
            assert place.review_comment and place.published_at is None


def test_histories_run_forward_in_time(db_session, demo):
    now = utcnow()
    for placement in _all(db_session, Placement):
        moments = [event.at for event in placement.events]
        assert moments == sorted(moments) and len(moments) == len(set(moments))
        assert all(m.tzinfo is not None for m in moments)
        assert placement.events[-1].to_status == placement.status
        assert moments[0] > placement.place.published_at
        assert moments[0].date() > placement.profile.integration_started_on
        assert moments[-1] <= now
        for check_in in placement.check_ins:
            assert placement.started_on < check_in.held_on
            assert check_in.held_on < (placement.ended_on or TODAY)


def test_finished_placements_have_an_outcome_and_follow_ups(db_session, demo):
    for placement in _all(db_session, Placement):
        finished = placement.status in (PlacementStatus.COMPLETED, PlacementStatus.ENDED_EARLY)
        assert (placement.outcome is not None) == finished
        if finished:
            assert [f.months for f in placement.outcome.follow_ups] == [3, 6, 12]
            for follow_up in placement.outcome.follow_ups:
                if follow_up.recorded_at is not None:
                    assert follow_up.due_on <= follow_up.recorded_at.date() <= TODAY
        if placement.status in (PlacementStatus.ACTIVE, PlacementStatus.COMPLETED):
            assert placement.check_ins, placement.place.ref


def test_every_newcomer_has_a_consultant_an_agreed_plan_and_an_intake(db_session, demo):
    profiles = _all(db_session, NewcomerProfile)
    assert len({p.consultant_id for p in profiles}) == 3
    assert any(p.limits for p in profiles)
    for profile in profiles:
        assert profile.user.language in ("nl", "en")
        plan = plan_in_force(db_session, profile)
        assert plan.version == 1 and plan.agreed_at is not None
        assert any(a.day > TODAY for a in appointments_ahead(db_session, profile, TODAY))
        kinds = {a.kind for a in plan.activities}
        assert {ActivityKind.MAP, ActivityKind.KNM, ActivityKind.PVT} <= kinds
        map_activity = next(a for a in plan.activities if a.kind == ActivityKind.MAP)
        assert map_activity.hours_required == 40
        assert 0 <= map_activity.hours_done <= 40
        steps = db_session.scalars(
            sa.select(LadderStep).filter_by(profile_id=profile.id).order_by(LadderStep.recorded_on)
        ).all()
        assert steps[0].context == LadderContext.INTAKE
    waiting = [p for p in profiles if newer_plan_to_agree(db_session, p)]
    assert len(waiting) == 1  # one newcomer has a new version of their plan to agree to
    kinds = {notice.kind for notice in notices_of(db_session, waiting[0].user)}
    assert NoticeKind.PLAN_TO_AGREE in kinds and NoticeKind.APPOINTMENT in kinds


def test_dates_follow_the_day_it_is_loaded(db_session):
    earlier = TODAY - timedelta(days=400)
    load_demo(db_session, earlier)
    db_session.expire_all()
    started = db_session.scalars(sa.select(Placement.started_on).filter_by(status="active"))
    assert all(earlier - timedelta(days=120) < day < earlier for day in started)
    last = db_session.scalar(sa.select(sa.func.max(CheckIn.held_on)))
    assert earlier - timedelta(days=30) < last < earlier


def test_every_postcode_is_in_the_postcode_table(db_session, demo, geonames_file):
    known = {line.split("\t")[1] for line in geonames_file.read_text("utf-8").splitlines()}
    postcodes = [
        *db_session.scalars(sa.select(Place.postcode)),
        *db_session.scalars(
            sa.select(Organisation.postcode).where(Organisation.postcode.is_not(None))
        ),
        *db_session.scalars(sa.select(NewcomerProfile.postcode)),
    ]
    assert all(len(p) == 7 and p[4] == " " for p in postcodes)
    assert {p[:4] for p in postcodes} <= known


def test_a_database_with_users_is_refused_and_left_alone(db_session):
    make_user(Role.ADMIN)
    tables = list(Base.metadata.sorted_tables)
    before = {t.name: _count(db_session, t) for t in tables}
    with pytest.raises(DemoError, match="already has users"):
        load_demo(db_session, TODAY)
    assert {t.name: _count(db_session, t) for t in tables} == before


def test_the_demo_passwords_meet_the_password_rules(app, demo):
    for role, email, password in demo:
        assert len(password) >= 15
        assert password_problem(password, email=email) is None, (role, password)
    passwords = {role: password for role, _email, password in demo}
    assert len(set(passwords.values())) == len(Role)


def test_the_command_prints_every_login_and_each_one_signs_in(app, db_session, runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    lines = [line.split(" ") for line in result.stdout.splitlines()]
    assert all(len(parts) == 3 for parts in lines)
    assert len(lines) == _count(db_session, User)
    assert len({email for _role, email, _pw in lines}) == len(lines)
    with app.test_request_context():
        landing = {role: url_for(endpoint) for role, endpoint in DASHBOARDS.items()}
    seen = set()
    for role, email, password in lines:
        client = app.test_client()  # a fresh browser per login
        response = AuthActions(client).login(email, password)
        assert response.status_code == 302, email
        assert response.headers["Location"] == landing[Role(role)], email
        if role not in seen:  # each role's dashboard copes with the demo's data
            seen.add(role)
            assert client.get(landing[Role(role)]).status_code == 200, email


def test_the_command_refuses_a_database_with_users(db_session, runner):
    make_user(Role.ADMIN)
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code != 0
    assert "already has users" in result.output
    assert _count(db_session, Place) == 0


def test_if_empty_skips_quietly_when_there_are_users(db_session, runner):
    make_user(Role.ADMIN)
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0
    assert result.output == ""
    assert _count(db_session, Place) == 0


def test_the_demo_is_never_loaded_in_production(tmp_path):
    from config import ProductionConfig
    from marketplace import create_app

    app = create_app(
        ProductionConfig, **production_settings(DATABASE_URL=f"sqlite:///{tmp_path / 'p.sqlite3'}")
    )
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code != 0
    assert "never loaded in production" in result.output
    result = app.test_cli_runner().invoke(args=["demo", "code"])
    assert result.exit_code != 0
    assert "never used in production" in result.output


def test_demo_staff_pass_the_second_step_with_the_printed_key_or_the_code_command(
    app, db_session, runner
):
    result = runner.invoke(args=["demo", "load"])
    assert data.TOTP_SECRET in result.stderr
    logins = [line.split(" ") for line in result.stdout.splitlines()]
    consultant = next(login for login in logins if login[0] == "consultant")
    client = app.test_client()
    response = client.post("/login", data={"email": consultant[1], "password": consultant[2]})
    assert response.location == "/mfa"
    code = runner.invoke(args=["demo", "code"]).output.strip()
    assert re.fullmatch(r"\d{6}", code)
    assert client.post("/mfa", data={"code": code}).location == "/caseload"
