"""A consultant's caseload for the tests: newcomers, placements, check-ins, plans, follow-ups.

Every record carries explicit dates around ``TODAY``, so no test depends on the real date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from marketplace import db
from marketplace.accounts.models import Role, User
from marketplace.newcomers.caseload import attention_for
from marketplace.newcomers.models import (
    Intake,
    LadderContext,
    LadderStep,
    NewcomerProfile,
)
from marketplace.placements.models import (
    CheckIn,
    FollowUp,
    Outcome,
    OutcomeResult,
    Placement,
    PlacementStatus,
)
from marketplace.plans.models import ActivityKind, ActivityStatus, Plan, PlanActivity
from marketplace.vocab import LearningRoute
from tests.factories import make_organisation, make_place, make_user

#: a Wednesday; the Monday overview tests use MONDAY
TODAY = date(2026, 12, 2)
MONDAY = date(2026, 11, 30)
WEEKS = 12  # the default CASELOAD_NO_PLACEMENT_WEEKS


def days(n: int) -> date:
    """The date ``n`` days after TODAY (negative: before)."""
    return TODAY + timedelta(days=n)


def moment(day: date) -> datetime:
    """Noon (UTC) of a day, for timestamps such as ``created_at``."""
    return datetime.combine(day, time(12), tzinfo=UTC)


def consultant(language: str = "en", **fields) -> User:
    return make_user(Role.CONSULTANT, language=language, **fields)


def newcomer_of(
    owner: User | None, name: str | None = None, joined: date | None = None, **fields
) -> NewcomerProfile:
    """A newcomer in ``owner``'s caseload who joined recently (so no 'no placement' yet)."""
    user = make_user(Role.NEWCOMER, language="en")
    if name:
        user.name = name
    profile = db.session.scalar(
        sa.select(NewcomerProfile).where(NewcomerProfile.user_id == user.id)
    )
    profile.consultant_id = owner.id if owner else None
    profile.created_at = moment(joined or days(-7))
    for key, value in fields.items():
        setattr(profile, key, value)
    db.session.flush()
    return profile


def placement(
    profile: NewcomerProfile,
    status: PlacementStatus,
    *,
    started_on: date | None = None,
    created_on: date | None = None,
    agreed: bool = False,
    title: str = "Kok in de buurtkeuken",
) -> Placement:
    row = Placement(
        profile_id=profile.id,
        place_id=make_place(make_organisation(), title=title).id,
        status=status,
        started_on=started_on,
        newcomer_agreed_at=moment(created_on or TODAY) if agreed else None,
        created_at=moment(created_on or days(-1)),
    )
    db.session.add(row)
    db.session.flush()
    return row


def check_in(in_placement: Placement, held_on: date, next_on: date | None) -> CheckIn:
    row = CheckIn(
        placement_id=in_placement.id,
        held_on=held_on,
        ladder_rung=4,
        attendance="good",
        next_check_in_on=next_on,
    )
    db.session.add(row)
    db.session.flush()
    return row


def plan(
    profile: NewcomerProfile,
    version: int = 1,
    *,
    made_on: date | None = None,
    agreed: bool = True,
    integration_deadline: date | None = None,
) -> Plan:
    made = moment(made_on or days(-30))
    row = Plan(
        profile_id=profile.id,
        version=version,
        learning_route=LearningRoute.B1,
        integration_deadline=integration_deadline,
        created_at=made,
        agreed_at=made if agreed else None,
    )
    db.session.add(row)
    db.session.flush()
    return row


def activity(
    in_plan: Plan,
    due_on: date,
    status: ActivityStatus = ActivityStatus.PLANNED,
    kind: ActivityKind = ActivityKind.KNM,
) -> PlanActivity:
    row = PlanActivity(
        plan_id=in_plan.id, kind=kind, description="KNM-cursus", due_on=due_on, status=status
    )
    db.session.add(row)
    db.session.flush()
    return row


def follow_up(
    profile: NewcomerProfile, due_on: date, months: int = 3, recorded: bool = False
) -> FollowUp:
    ended = placement(profile, PlacementStatus.COMPLETED, started_on=days(-200))
    outcome = Outcome(placement_id=ended.id, result=OutcomeResult.PAID_JOB)
    db.session.add(outcome)
    db.session.flush()
    row = FollowUp(
        outcome_id=outcome.id,
        months=months,
        due_on=due_on,
        in_paid_work=True if recorded else None,
        recorded_at=moment(due_on) if recorded else None,
    )
    db.session.add(row)
    db.session.flush()
    return row


def intake(profile: NewcomerProfile, held_on: date) -> Intake:
    row = Intake(profile_id=profile.id, held_on=held_on)
    db.session.add(row)
    db.session.flush()
    return row


def rung(profile: NewcomerProfile, value: int, recorded_on: date) -> LadderStep:
    row = LadderStep(
        profile_id=profile.id,
        rung=value,
        recorded_on=recorded_on,
        reason="",
        context=LadderContext.INTAKE,
    )
    db.session.add(row)
    db.session.flush()
    return row


def needs(profile: NewcomerProfile, today: date = TODAY, weeks: int = WEEKS) -> list[tuple]:
    """What needs attention for one newcomer: (need, urgency, day) per item, most urgent first."""
    (row,) = attention_for(db.session, [profile], today, weeks)
    return [(item.need.value, item.urgency.name, _day(item.day)) for item in row.items]


def need_names(profile: NewcomerProfile, today: date = TODAY, weeks: int = WEEKS) -> set[str]:
    return {need for need, _urgency, _day in needs(profile, today, weeks)}


def _day(value: date) -> date | None:
    return None if value == date.max else value
