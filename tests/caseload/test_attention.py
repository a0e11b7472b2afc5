"""The attention rules of the caseload, each with a case on both sides of its boundary."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from marketplace.newcomers.caseload import attention_for, route_started_on
from marketplace.newcomers.models import Intake, NewcomerProfile
from marketplace.newcomers.services import caseload
from marketplace.placements.checkins import CHECK_IN_DAYS
from marketplace.placements.models import PlacementStatus as S
from marketplace.plans.editing import DAYS_TO_ANSWER
from marketplace.plans.models import ActivityStatus
from tests.caseload.records import (
    TODAY,
    WEEKS,
    activity,
    check_in,
    consultant,
    days,
    follow_up,
    intake,
    need_names,
    needs,
    newcomer_of,
    placement,
    plan,
)


@pytest.fixture
def profile(db_session):
    """A newcomer of a consultant, with an agreed recent plan (so 'no plan' stays quiet)."""
    found = newcomer_of(consultant())
    plan(found)
    return found


# --- check-ins ------------------------------------------------------------------------------


@pytest.mark.parametrize(("next_on", "overdue"), [(-1, True), (0, False), (5, False)])
def test_a_check_in_is_overdue_the_day_after_its_date(profile, next_on, overdue):
    active = placement(profile, S.ACTIVE, started_on=days(-60))
    check_in(active, days(-30), next_on=days(next_on))
    expected = [("check_in", "OVERDUE", days(next_on))] if overdue else []
    assert [n for n in needs(profile) if n[0] == "check_in"] == expected


@pytest.mark.parametrize(("started", "overdue"), [(-CHECK_IN_DAYS - 1, True), (-28, False)])
def test_without_any_check_in_it_is_overdue_28_days_after_the_start(profile, started, overdue):
    placement(profile, S.ACTIVE, started_on=days(started))
    assert ("check_in" in need_names(profile)) is overdue


def test_only_the_latest_check_in_counts(profile):
    active = placement(profile, S.ACTIVE, started_on=days(-90))
    check_in(active, days(-60), next_on=days(-40))  # long passed, but a newer talk was held
    check_in(active, days(-35), next_on=days(3))
    assert "check_in" not in need_names(profile)


def test_a_check_in_without_a_next_date_is_due_28_days_later(profile):
    active = placement(profile, S.ACTIVE, started_on=days(-90))
    check_in(active, days(-29), next_on=None)
    assert ("check_in", "OVERDUE", days(-1)) in needs(profile)


def test_finished_placements_need_no_check_in(profile):
    placement(profile, S.COMPLETED, started_on=days(-90))
    assert "check_in" not in need_names(profile)


# --- steps that wait for the consultant ------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "agreed", "expected"),
    [
        (S.INTERESTED, False, "interest"),
        (S.PROPOSED, True, "agreed"),
        (S.ACCEPTED_BY_HOST, False, "host_accepted"),
        (S.PROPOSED, False, None),  # the newcomer's turn
        (S.INTRODUCED, False, None),  # the host's turn
        (S.DECLINED, False, None),
    ],
)
def test_steps_that_wait_for_the_consultant(profile, status, agreed, expected):
    placement(profile, status, agreed=agreed)
    found = {n for n in need_names(profile) if n not in ("no_placement",)}
    assert found == ({expected} if expected else set())


@pytest.mark.parametrize(("days_ago", "flagged"), [(14, True), (13, False)])
def test_a_proposal_without_an_answer_for_14_days(profile, days_ago, flagged):
    placement(profile, S.PROPOSED, created_on=days(-days_ago))
    expected = [("unanswered", "OVERDUE", days(-days_ago))] if flagged else []
    assert [n for n in needs(profile) if n[0] == "unanswered"] == expected


# --- the plan ------------------------------------------------------------------------------


def test_no_plan_at_all(db_session):
    profile = newcomer_of(consultant())
    assert ("no_plan", "TO_DO", None) in needs(profile)


@pytest.mark.parametrize(("days_ago", "flagged"), [(14, True), (13, False)])
def test_a_new_version_waiting_for_the_newcomer_14_days_or_more(db_session, days_ago, flagged):
    """The newcomer was asked to answer within 14 days (the date in their message)."""
    assert DAYS_TO_ANSWER == 14
    profile = newcomer_of(consultant())
    plan(profile, 1, made_on=days(-100))
    plan(profile, 2, made_on=days(-days_ago), agreed=False)
    assert ("plan_not_agreed" in need_names(profile)) is flagged
    assert "no_plan" not in need_names(profile)


@pytest.mark.parametrize(("made_on", "flagged"), [("2025-12-01", True), ("2025-12-02", False)])
def test_the_plan_in_force_is_renewed_after_12_months(db_session, made_on, flagged):
    from datetime import date

    profile = newcomer_of(consultant())
    plan(profile, made_on=date.fromisoformat(made_on))
    assert ("plan_old" in need_names(profile)) is flagged


def test_an_old_plan_with_a_fresh_version_on_its_way_is_not_flagged(db_session):
    profile = newcomer_of(consultant())
    plan(profile, 1, made_on=days(-500))
    plan(profile, 2, made_on=days(-3), agreed=False)
    assert need_names(profile) & {"plan_old", "plan_not_agreed", "no_plan"} == set()


# --- no placement after N weeks ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("weeks_ago", "extra_days", "flagged"), [(WEEKS, 0, True), (WEEKS, -1, False)]
)
def test_no_placement_n_weeks_after_the_intake(profile, weeks_ago, extra_days, flagged):
    held_on = days(-7 * weeks_ago - extra_days)
    intake(profile, held_on)
    expected = [("no_placement", "OVERDUE", held_on)] if flagged else []
    assert [n for n in needs(profile) if n[0] == "no_placement"] == expected


def test_without_an_intake_the_start_of_integration_counts_then_joining(db_session):
    mine = consultant()
    started = newcomer_of(mine, integration_started_on=days(-7 * WEEKS), joined=days(-1))
    joined = newcomer_of(mine, joined=days(-7 * WEEKS))
    fresh = newcomer_of(mine, joined=days(-7 * WEEKS + 1))
    assert "no_placement" in need_names(started)
    assert "no_placement" in need_names(joined)
    assert "no_placement" not in need_names(fresh)


def test_the_start_of_the_route_has_one_name_in_sql(db_session):
    mine = consultant()
    by_intake = newcomer_of(mine, integration_started_on=days(-300), joined=days(-400))
    intake(by_intake, days(-200))
    by_integration = newcomer_of(mine, integration_started_on=days(-300), joined=days(-400))
    by_joining = newcomer_of(mine, joined=days(-400))
    query = (
        sa.select(NewcomerProfile.id, route_started_on())
        .outerjoin(Intake, Intake.profile_id == NewcomerProfile.id)
        .where(NewcomerProfile.consultant_id == mine.id)
    )
    assert dict(db_session.execute(query).all()) == {
        by_intake.id: days(-200),
        by_integration.id: days(-300),
        by_joining.id: days(-400),
    }


def test_the_intake_counts_before_the_start_of_integration(profile):
    profile.integration_started_on = days(-365)
    intake(profile, days(-10))
    assert "no_placement" not in need_names(profile)


def test_a_placement_approved_once_ends_the_wait(profile):
    intake(profile, days(-365))
    placement(profile, S.ENDED_EARLY, started_on=days(-100))
    assert "no_placement" not in need_names(profile)


def test_the_number_of_weeks_is_a_setting(profile):
    intake(profile, days(-7 * 8))
    assert "no_placement" not in need_names(profile, weeks=12)
    assert "no_placement" in need_names(profile, weeks=8)


# --- deadlines -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (-1, ("deadline_passed", "OVERDUE")),
        (0, ("deadline", "SOON")),
        (30, ("deadline", "SOON")),
        (31, None),
    ],
)
def test_plan_activities_due_within_30_days_or_passed(db_session, due, expected):
    profile = newcomer_of(consultant())
    activity(plan(profile), days(due))
    found = [n[:2] for n in needs(profile) if n[0].startswith("deadline")]
    assert found == ([expected] if expected else [])


def test_done_activities_and_older_plan_versions_do_not_count(db_session):
    profile = newcomer_of(consultant())
    old = plan(profile, 1, made_on=days(-200))
    activity(old, days(5))  # the version in force is the newer one
    activity(plan(profile, 2, made_on=days(-20)), days(5), ActivityStatus.DONE)
    assert {n for n in need_names(profile) if n.startswith("deadline")} == set()


@pytest.mark.parametrize(("end", "flagged"), [(30, True), (0, True), (31, False), (-1, False)])
def test_the_end_of_the_integration_term_within_30_days(db_session, end, flagged):
    profile = newcomer_of(consultant())
    plan(profile, integration_deadline=days(end))
    assert ("term_end" in need_names(profile)) is flagged


# --- follow-ups ------------------------------------------------------------------------------


@pytest.mark.parametrize(("due", "urgency"), [(-1, "OVERDUE"), (0, "TO_DO"), (1, None)])
def test_a_follow_up_is_due_on_its_day(profile, due, urgency):
    follow_up(profile, days(due))
    found = [n[1] for n in needs(profile) if n[0] == "follow_up"]
    assert found == ([urgency] if urgency else [])


def test_a_recorded_follow_up_needs_nothing(profile):
    follow_up(profile, days(-10), recorded=True)
    assert "follow_up" not in need_names(profile)


# --- order, and a few queries for a whole caseload ---------------------------------------------


def test_the_most_urgent_first_then_by_name(db_session):
    mine = consultant()
    quiet = newcomer_of(mine, "Aziz Quiet")
    plan(quiet)
    soon = newcomer_of(mine, "Bashir Soon")
    activity(plan(soon), days(10))
    waiting_b = newcomer_of(mine, "dina Waiting")  # lower case: names sort case-blind
    plan(waiting_b)
    placement(waiting_b, S.INTERESTED)
    waiting_a = newcomer_of(mine, "Chaker Waiting")
    plan(waiting_a)
    placement(waiting_a, S.ACCEPTED_BY_HOST)
    late = newcomer_of(mine, "Zahra Late")
    activity(plan(late), days(-1))
    rows = attention_for(db_session, [quiet, soon, waiting_b, waiting_a, late], TODAY, WEEKS)
    assert [row.profile.user.name for row in rows] == [
        "Zahra Late",
        "Chaker Waiting",
        "dina Waiting",
        "Bashir Soon",
        "Aziz Quiet",
    ]


def test_within_a_newcomer_the_late_items_come_first(profile):
    activity(plan(profile, 2, made_on=days(-5)), days(20))
    placement(profile, S.INTERESTED)
    follow_up(profile, days(-3))
    assert [n[1] for n in needs(profile)] == ["OVERDUE", "TO_DO", "SOON"]


def _queries(db_session, profiles) -> int:
    statements = []
    engine = db_session.get_bind()

    def count(*_args):
        statements.append(1)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        attention_for(db_session, profiles, TODAY, WEEKS)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_a_bigger_caseload_takes_no_more_queries(db_session):
    small, big = consultant(), consultant()

    def busy_newcomer(owner):
        profile = newcomer_of(owner)
        active = placement(profile, S.ACTIVE, started_on=days(-40))
        check_in(active, days(-20), days(-2))
        activity(plan(profile), days(4))
        intake(profile, days(-100))
        follow_up(profile, days(-1))
        return profile

    for owner, size in ((small, 2), (big, 10)):
        for _ in range(size):
            busy_newcomer(owner)
    db_session.expire_all()
    few, many = caseload(db_session, small), caseload(db_session, big)
    assert (len(few), len(many)) == (2, 10)
    assert _queries(db_session, few) == _queries(db_session, many) <= 7
