"""Outcomes of placements and the follow-ups 3, 6 and 12 months after.

The consultant records how an ended placement turned out; that plans three follow-ups, due 3,
6 and 12 calendar months after the end. A paid job's hours and contract wait in the 3-month
follow-up (an outcome holds only its result and explanation) until that one is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import LazyString, format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from marketplace.clock import add_months
from marketplace.db import utcnow
from marketplace.domain import DomainError, NotAllowed, check_length
from marketplace.newcomers.models import LadderContext, LadderStep
from marketplace.placements.models import (
    ENDED_STATUSES,
    ContractKind,
    FollowUp,
    Outcome,
    OutcomeResult,
    Placement,
)
from marketplace.placements.workflow import Actor, acts_as

#: the states of a placement that has ended, and so can have an outcome
PAID_WORK = (OutcomeResult.PAID_JOB_HOST, OutcomeResult.PAID_JOB)
FOLLOW_UP_MONTHS = (3, 6, 12)
#: the follow-up that decides whether work was durable
DURABLE_AFTER_MONTHS = 6
#: a follow-up can be recorded this many days before it is due, not earlier
EARLY_DAYS = 14
MAX_HOURS = 80

NOT_YOURS = _l("You cannot do this for this placement.")
NOT_ENDED = _l("This placement has not ended yet. End it first, then record the outcome.")
ALREADY_RECORDED = _l(
    "The outcome of this placement was saved already, maybe by a double click. "
    "Check the answers and save again to correct it."
)
CHANGED = _l("Someone else saved this just now. Look at it again.")
ONLY_WHEN_WORKING = _l("Fill this in only for paid work.")
HOURS_RANGE = _l("Fill in a number from %(low)d to %(high)d.", low=0, high=MAX_HOURS)


def is_durable_work(follow_ups: list[FollowUp]) -> bool | None:
    """Durable work: still in paid work at the 6-month follow-up; None until it is recorded."""
    for follow_up in follow_ups:
        if follow_up.months == DURABLE_AFTER_MONTHS and follow_up.is_recorded:
            return follow_up.in_work
    return None


def end_date(placement: Placement, today: date) -> date:
    """The day the placement ended: as the consultant gave it, else the day of the last step."""
    if placement.ended_on:
        return placement.ended_on
    ends = [event.at.date() for event in placement.events if event.to_status in ENDED_STATUSES]
    return ends[-1] if ends else today


@dataclass(frozen=True)
class OutcomeAnswers:
    result: OutcomeResult
    explanation: str | None = None
    hours_per_week: int | None = None
    contract: ContractKind | None = None


def record_outcome(
    dbs: Session,
    actor: User,
    placement: Placement,
    answers: OutcomeAnswers,
    today: date,
    seen: int | None = None,
) -> Outcome:
    """Record how an ended placement turned out, with its three follow-ups; or correct it.

    ``seen`` is the id of the outcome the form showed (None: there was none yet). A second
    new outcome for the same placement, such as a double submit, is refused by the database.
    """
    if not acts_as(actor, placement, Actor.CONSULTANT):
        raise NotAllowed(NOT_YOURS)
    if not placement.has_ended:
        raise DomainError(NOT_ENDED)
    explanation = _checked_outcome(answers)
    if seen is None:
        return _new_outcome(dbs, actor, placement, answers, explanation, today)
    outcome = placement.outcome
    if outcome is None or outcome.id != seen:
        raise DomainError(CHANGED)
    outcome.result, outcome.explanation = answers.result, explanation
    outcome.recorded_by_id, outcome.recorded_at = actor.id, utcnow()
    _carry_paid_work(outcome.follow_ups, answers)
    dbs.flush()
    return outcome


def _checked_outcome(answers: OutcomeAnswers) -> str | None:
    """The explanation to store, once the answers fit together."""
    explanation = (answers.explanation or "").strip() or None
    if answers.result is OutcomeResult.STOPPED and not explanation:
        raise DomainError(_l("Say why the newcomer stopped."), "explanation")
    check_length(explanation, "explanation")
    if answers.result not in PAID_WORK:
        if answers.hours_per_week is not None:
            raise DomainError(ONLY_WHEN_WORKING, "hours_per_week")
        if answers.contract is not None:
            raise DomainError(ONLY_WHEN_WORKING, "contract")
    if answers.hours_per_week is not None and not 0 <= answers.hours_per_week <= MAX_HOURS:
        raise DomainError(HOURS_RANGE, "hours_per_week")
    return explanation


def _new_outcome(dbs, actor, placement, answers, explanation, today) -> Outcome:
    ended = end_date(placement, today)
    outcome = Outcome(
        placement_id=placement.id,
        result=answers.result,
        explanation=explanation,
        recorded_by_id=actor.id,
        recorded_at=utcnow(),
        follow_ups=[
            FollowUp(months=months, due_on=add_months(ended, months)) for months in FOLLOW_UP_MONTHS
        ],
    )
    _carry_paid_work(outcome.follow_ups, answers)
    try:
        with dbs.begin_nested():  # begin_nested flushes first: add the outcome inside it
            dbs.add(outcome)
            dbs.flush()
    except IntegrityError:  # one outcome per placement: this one was saved already
        raise DomainError(ALREADY_RECORDED) from None
    return outcome


def _carry_paid_work(follow_ups: list[FollowUp], answers: OutcomeAnswers) -> None:
    """Keep a paid job's hours and contract with the 3-month follow-up, until it is recorded."""
    first = next((f for f in follow_ups if f.months == FOLLOW_UP_MONTHS[0]), None)
    if first is None or first.is_recorded:
        return
    paid = answers.result in PAID_WORK
    first.in_paid_work = True if paid else None
    first.hours_per_week = answers.hours_per_week if paid else None
    first.contract = answers.contract if paid else None


@dataclass(frozen=True)
class FollowUpAnswers:
    in_paid_work: bool
    in_education: bool
    hours_per_week: int | None = None
    contract: ContractKind | None = None
    ladder_rung: int | None = None
    notes: str | None = None


def opens_on(follow_up: FollowUp) -> date:
    """The first day a follow-up can be recorded."""
    return follow_up.due_on - timedelta(days=EARLY_DAYS)


def record_follow_up(
    dbs: Session, actor: User, follow_up: FollowUp, answers: FollowUpAnswers, today: date
) -> FollowUp:
    """Write down the newcomer's situation at a follow-up, or correct it; a rung goes on the
    ladder (one step per follow-up, also after corrections)."""
    placement = follow_up.outcome.placement
    if not acts_as(actor, placement, Actor.CONSULTANT):
        raise NotAllowed(NOT_YOURS)
    if today < opens_on(follow_up):
        raise DomainError(
            _l(
                "This follow-up is due on %(due)s. You can record it from %(opens)s.",
                due=LazyString(format_date, follow_up.due_on, "long"),
                opens=LazyString(format_date, opens_on(follow_up), "long"),
            )
        )
    notes = _checked_follow_up(answers)
    before_at, before_rung, now = follow_up.recorded_at, follow_up.ladder_rung, utcnow()
    _claim(dbs, follow_up, actor, now)
    working = answers.in_paid_work
    follow_up.in_paid_work, follow_up.in_education = working, answers.in_education
    follow_up.hours_per_week = answers.hours_per_week if working else None
    follow_up.contract = answers.contract if working else None
    follow_up.ladder_rung, follow_up.notes = answers.ladder_rung, notes
    step = _ladder_step(dbs, placement.profile_id, before_at, before_rung)
    if answers.ladder_rung is None:
        if step is not None:
            dbs.delete(step)
    else:
        if step is None:
            step = LadderStep(profile_id=placement.profile_id, recorded_on=today)
            dbs.add(step)
        step.context, step.rung, step.recorded_by_id = (
            LadderContext.FOLLOW_UP,
            answers.ladder_rung,
            actor.id,
        )
        step.created_at = now  # links the step to this save of the follow-up
        step.reason = notes or str(
            _l("Follow-up %(months)d months after the placement.", months=follow_up.months)
        )
    dbs.flush()
    return follow_up


def _claim(dbs: Session, follow_up: FollowUp, actor: User, now) -> None:
    """Mark the follow-up saved now, unless someone saved it since it was read (then raise)."""
    before = follow_up.recorded_at
    claimed = dbs.execute(
        sa.update(FollowUp)
        .where(
            FollowUp.id == follow_up.id,
            FollowUp.recorded_at.is_(None) if before is None else FollowUp.recorded_at == before,
        )
        .values(recorded_at=now, recorded_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # two saves at once: one wins, the other is told
        raise DomainError(CHANGED)
    follow_up.recorded_at, follow_up.recorded_by_id = now, actor.id


def _checked_follow_up(answers: FollowUpAnswers) -> str | None:
    """The notes to store, once the answers fit together."""
    notes = (answers.notes or "").strip() or None
    check_length(notes, "notes")
    hours = answers.hours_per_week
    if answers.in_paid_work and hours is None:
        raise DomainError(_l("Fill in the hours a week."), "hours_per_week")
    if hours is not None and not 0 <= hours <= MAX_HOURS:
        raise DomainError(HOURS_RANGE, "hours_per_week")
    if not answers.in_paid_work and hours:
        raise DomainError(ONLY_WHEN_WORKING, "hours_per_week")
    if not answers.in_paid_work and answers.contract is not None:
        raise DomainError(ONLY_WHEN_WORKING, "contract")
    if answers.ladder_rung is not None and not 1 <= answers.ladder_rung <= 6:
        raise DomainError(_l("Choose a step from 1 to 6."), "ladder_rung")
    return notes


def _ladder_step(dbs: Session, profile_id: int, recorded_at, rung: int | None):
    """The ladder step an earlier save of this follow-up wrote: it has the save's moment as
    its ``created_at``; a step written otherwise (demo data) is found by its day and rung."""
    if recorded_at is None:
        return None
    same_save = LadderStep.created_at == recorded_at
    same_day = sa.and_(LadderStep.rung == rung, LadderStep.recorded_on == recorded_at.date())
    return dbs.scalars(
        sa.select(LadderStep)
        .where(
            LadderStep.profile_id == profile_id,
            LadderStep.context == LadderContext.FOLLOW_UP,
            sa.or_(same_save, same_day),
        )
        .order_by(same_save.desc(), LadderStep.id)
        .limit(1)
    ).first()


class FollowUpState(StrEnum):
    DONE = "done"
    DUE = "due"  # can be recorded now
    OVERDUE = "overdue"
    LATER = "later"


def follow_up_state(follow_up: FollowUp, today: date) -> FollowUpState:
    """Whether a follow-up is done, can be done now, is late, or is still ahead."""
    if follow_up.is_recorded:
        return FollowUpState.DONE
    if follow_up.due_on < today:
        return FollowUpState.OVERDUE
    return FollowUpState.DUE if today >= opens_on(follow_up) else FollowUpState.LATER
