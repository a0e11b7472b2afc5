"""The newcomer's path: their plan in force, what is expected by when, appointments, the ladder.

Everything the "My path" page shows is gathered here, so the page and its tests read one
description of what the municipality expects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from marketplace.charts import Point
from marketplace.db import utcnow
from marketplace.domain import DomainError, NotAllowed
from marketplace.labels import label
from marketplace.newcomers.models import LadderStep, NewcomerProfile
from marketplace.permissions import can_act_for_newcomer
from marketplace.plans.models import ActivityKind, ActivityStatus, Appointment, Plan, PlanActivity

#: the participation ladder, as the newcomer reads it
RUNGS = {
    1: _l("1. Mostly at home"),
    2: _l("2. Contacts outside the home"),
    3: _l("3. Organised activities, like a course"),
    4: _l("4. Unpaid work, like volunteering"),
    5: _l("5. Paid work with support"),
    6: _l("6. Paid work"),
}
#: short names for the chart's left side
RUNG_SHORT = {
    1: _l("At home"),
    2: _l("Contacts"),
    3: _l("Activities"),
    4: _l("Unpaid work"),
    5: _l("Paid, supported"),
    6: _l("Paid work"),
}
MAP_HOURS = 40


@dataclass(frozen=True)
class Expectation:
    """Something the municipality expects, by a date."""

    due_on: date
    what: object
    done: bool
    #: days from today; negative when the date has passed
    days_left: int


def newer_plan_to_agree(dbs: Session, profile: NewcomerProfile) -> Plan | None:
    """The newest version of the plan, when it still waits for the newcomer's yes."""
    newest = dbs.scalar(
        sa.select(Plan).where(Plan.profile_id == profile.id).order_by(Plan.version.desc()).limit(1)
    )
    return newest if newest is not None and newest.agreed_at is None else None


def agree_to_plan(dbs: Session, actor: User, plan: Plan) -> None:
    """The newcomer agrees to a version of their plan; from then on it is the one in force."""
    profile = dbs.get(NewcomerProfile, plan.profile_id)
    if not can_act_for_newcomer(actor, profile):
        raise NotAllowed(_l("You cannot do this for this person."))
    if plan.agreed_at is not None:
        raise DomainError(_l("You already agreed to this version of your plan."))
    newest = dbs.scalar(sa.select(sa.func.max(Plan.version)).where(Plan.profile_id == profile.id))
    if plan.version != newest:
        raise DomainError(_l("There is a newer version of your plan. Read that one first."))
    plan.agreed_at = utcnow()


def expectations(plan: Plan | None, today: date) -> list[Expectation]:
    """The plan's dated activities and the end of the integration term, soonest first."""
    if plan is None:
        return []
    found = [
        Expectation(
            activity.due_on,
            activity_title(activity),
            activity.status is ActivityStatus.DONE,
            (activity.due_on - today).days,
        )
        for activity in plan.activities
        if activity.due_on
    ]
    if plan.integration_deadline:
        found.append(
            Expectation(
                plan.integration_deadline,
                _l("End of your integration term"),
                False,
                (plan.integration_deadline - today).days,
            )
        )
    return sorted(found, key=lambda e: (e.done, e.due_on))


def activity_title(activity: PlanActivity) -> object:
    """What an activity is called for the newcomer: its kind, in their language."""
    return label(activity.kind)


def map_hours(plan: Plan | None) -> tuple[int, int] | None:
    """(hours done, hours needed) of the labour-market module (MAP), if the plan has it."""
    if plan is None:
        return None
    for activity in plan.activities:
        if activity.kind is ActivityKind.MAP:
            return activity.hours_done, activity.hours_required or MAP_HOURS
    return None


def appointments_ahead(dbs: Session, profile: NewcomerProfile, today: date) -> list[Appointment]:
    return list(
        dbs.scalars(
            sa.select(Appointment)
            .where(Appointment.profile_id == profile.id, Appointment.day >= today)
            .order_by(Appointment.day, Appointment.at_time)
        )
    )


def ladder(dbs: Session, profile: NewcomerProfile) -> list[LadderStep]:
    """Every rung recorded for the newcomer, oldest first."""
    return list(
        dbs.scalars(
            sa.select(LadderStep)
            .where(LadderStep.profile_id == profile.id)
            .order_by(LadderStep.recorded_on, LadderStep.id)
        )
    )


def ladder_points(steps: list[LadderStep]) -> list[Point]:
    return [Point(step.recorded_on, step.rung) for step in steps]
