"""Check-ins on an active placement: the consultant's record, the host's view, the MAP hours.

A check-in also records the newcomer's rung on the participation ladder (their chart on
"My path" shows it), and hours the consultant counts as MAP practice are added to the MAP
activity of the plan in force, so "12 of 40 hours" stays true without a second record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from marketplace.domain import DomainError, NotAllowed, check_length
from marketplace.newcomers.models import LadderContext, LadderStep, NewcomerProfile
from marketplace.placements.models import Attendance, CheckIn, Placement, PlacementStatus
from marketplace.placements.workflow import Actor, acts_as
from marketplace.plans.models import ActivityKind, ActivityStatus
from marketplace.plans.path import newer_plan_to_agree
from marketplace.plans.services import plan_in_force


@dataclass(frozen=True)
class CheckInAnswers:
    held_on: date
    ladder_rung: int
    rung_reason: str | None
    attendance: Attendance
    hours_worked: int
    counts_for_map: bool
    skills_gained: str | None = None
    dutch_progress: str | None = None
    newcomer_words: str | None = None
    next_steps: str | None = None
    next_check_in_on: date | None = None


def record_check_in(
    dbs: Session, actor: User, placement: Placement, answers: CheckInAnswers, today: date
) -> CheckIn:
    """The consultant writes down how an active placement goes; the ladder and MAP follow."""
    if not acts_as(actor, placement, Actor.CONSULTANT):
        raise NotAllowed(_l("You cannot do this for this placement."))
    if placement.status is not PlacementStatus.ACTIVE:
        raise DomainError(_l("A check-in is for a placement that has started."))
    if answers.held_on > today:
        raise DomainError(_l("The talk cannot be in the future."), "held_on")
    if placement.started_on and answers.held_on < placement.started_on:
        raise DomainError(
            _l(
                "The talk cannot be before the placement started (%(day)s).",
                day=format_date(placement.started_on, "long"),
            ),
            "held_on",
        )
    if answers.next_check_in_on and answers.next_check_in_on <= answers.held_on:
        raise DomainError(_l("The next talk must be after this one."), "next_check_in_on")
    check_in = CheckIn(placement=placement, recorded_by_id=actor.id, **vars(answers))
    dbs.add(check_in)
    dbs.add(
        LadderStep(
            profile_id=placement.profile_id,
            rung=answers.ladder_rung,
            recorded_on=answers.held_on,
            reason=answers.rung_reason or "",
            context=LadderContext.CHECK_IN,
            recorded_by_id=actor.id,
        )
    )
    if answers.counts_for_map and answers.hours_worked:
        _add_map_hours(dbs, placement.profile, answers.hours_worked)
    dbs.flush()
    return check_in


def _add_map_hours(dbs: Session, profile: NewcomerProfile, hours: int) -> None:
    """Count the hours in the plan in force, and in a newer version waiting for the
    newcomer's yes (it copied the hours when it was made; these must not be lost)."""
    plans = {
        plan.id: plan
        for plan in (plan_in_force(dbs, profile), newer_plan_to_agree(dbs, profile))
        if plan
    }
    for plan in plans.values():  # the same plan when a first version waits for the yes
        found = [a for a in plan.activities if a.kind is ActivityKind.MAP]
        if not found:
            continue
        activity = found[0]
        activity.hours_done += hours
        needed = activity.hours_required or 0
        done = needed and activity.hours_done >= needed
        activity.status = ActivityStatus.DONE if done else ActivityStatus.IN_PROGRESS


def map_hours(dbs: Session, profile: NewcomerProfile) -> int:
    """All hours the consultant counted as MAP practice, over all the newcomer's placements."""
    return dbs.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(CheckIn.hours_worked), 0))
        .join(Placement, Placement.id == CheckIn.placement_id)
        .where(Placement.profile_id == profile.id, CheckIn.counts_for_map.is_(True))
    )


def add_host_view(dbs: Session, actor: User, check_in: CheckIn, view: str) -> None:
    """The host adds how they see it to a check-in of a placement at their place."""
    if not acts_as(actor, check_in.placement, Actor.HOST):
        raise NotAllowed(_l("You cannot do this for this placement."))
    view = (view or "").strip()
    if not view:
        raise DomainError(_l("Write how you see it."), "view")
    check_length(view, "view")
    check_in.host_view = view


#: a check-in is due this many days after the start, or after a check-in that set no next date
CHECK_IN_DAYS = 28


def next_check_in_due(started_on: date | None, last_check_in) -> date | None:
    """When the next check-in of an active placement is due: the date the last check-in set,
    else ``CHECK_IN_DAYS`` after that check-in, else after the start (None: not started).

    ``last_check_in`` is the newest check-in (or a row with its ``held_on`` and
    ``next_check_in_on``), or None. The caseload and the consultants' reminders both ask this.
    """
    every = timedelta(days=CHECK_IN_DAYS)
    if last_check_in is None:
        return started_on + every if started_on else None
    return last_check_in.next_check_in_on or last_check_in.held_on + every
