"""The intake: adding a newcomer, and the first conversation with them.

The first conversation is one record per newcomer (a correction changes it, never adds a
second), its starting rung is the newcomer's one INTAKE step on the participation ladder,
and health and family appear only as practical limits and hours, saved through the
profile's own rules so that the newcomer sees the change in their profile's history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from marketplace.domain import DomainError, NotAllowed, check_length
from marketplace.newcomers.models import (
    Intake,
    LadderContext,
    LadderStep,
    NewcomerProfile,
    PracticalLimit,
)
from marketplace.newcomers.profile_services import CHANGED_MEANWHILE, ChangedMeanwhile, update_part
from marketplace.permissions import is_own_consultant

#: the most a consultant writes in one box of the intake, and for the reason of the rung
REASON_LENGTH = 500
MAX_HOURS = 40
#: the texts of the first conversation, as the Intake record names them
TEXTS = ("what_matters", "motivation", "capabilities", "learning_wishes", "agreements")


@dataclass(frozen=True)
class IntakeAnswers:
    """What the consultant wrote down about the first conversation."""

    held_on: date
    rung: int
    rung_reason: str
    limits: list[PracticalLimit]
    hours_available: int
    what_matters: str | None = None
    motivation: str | None = None
    capabilities: str | None = None
    learning_wishes: str | None = None
    agreements: str | None = None


def usual_municipality(dbs: Session, consultant: User) -> str | None:
    """The municipality most of the consultant's newcomers live in, or None."""
    count = sa.func.count(NewcomerProfile.id)
    return dbs.scalar(
        sa.select(NewcomerProfile.municipality)
        .where(
            NewcomerProfile.consultant_id == consultant.id,
            sa.func.coalesce(NewcomerProfile.municipality, "") != "",
        )
        .group_by(NewcomerProfile.municipality)
        .order_by(count.desc(), NewcomerProfile.municipality)
        .limit(1)
    )


def intake_of(dbs: Session, profile: NewcomerProfile) -> Intake | None:
    """The newcomer's first conversation, if it was written down."""
    return dbs.scalar(sa.select(Intake).where(Intake.profile_id == profile.id))


def starting_step(dbs: Session, profile: NewcomerProfile) -> LadderStep | None:
    """The rung recorded at the first conversation, if any."""
    return dbs.scalar(
        sa.select(LadderStep)
        .where(LadderStep.profile_id == profile.id, LadderStep.context == LadderContext.INTAKE)
        .order_by(LadderStep.id)
        .limit(1)
    )


def _check(answers: IntakeAnswers, today: date) -> None:
    """Refuse answers a form should not have let through; the first problem names its field."""
    if answers.held_on > today:
        raise DomainError(_l("The conversation cannot be in the future."), "held_on")
    if answers.rung not in range(1, 7):
        raise DomainError(_l("Choose a step from 1 to 6."), "rung")
    reason = (answers.rung_reason or "").strip()
    if not reason:
        raise DomainError(_l("Write why you chose this step."), "rung_reason")
    check_length(reason, "rung_reason", REASON_LENGTH)
    if not 0 <= answers.hours_available <= MAX_HOURS:
        message = _l("Fill in a number from %(low)d to %(high)d.", low=0, high=MAX_HOURS)
        raise DomainError(message, "hours_available")
    for name in TEXTS:
        check_length(getattr(answers, name), name)


def record_intake(
    dbs: Session,
    actor: User,
    profile: NewcomerProfile,
    answers: IntakeAnswers,
    today: date,
    seen: int | None = None,
) -> Intake:
    """Write down or correct the first conversation: its record, starting rung and limits.

    ``seen`` is the profile's newest change when the form was opened (see ``update_part``).
    """
    if not is_own_consultant(actor, profile):
        raise NotAllowed(_l("Only the newcomer's own consultant writes down this conversation."))
    _check(answers, today)
    # the limits and the week are the profile's own: the newcomer sees each change in its history
    update_part(dbs, actor, profile, "limits", {"limits": list(answers.limits)}, seen=seen)
    update_part(dbs, actor, profile, "availability", {"hours_available": answers.hours_available})
    intake = intake_of(dbs, profile) or Intake(profile_id=profile.id)
    intake.held_on = answers.held_on
    for name in TEXTS:
        setattr(intake, name, (getattr(answers, name) or "").strip() or None)
    intake.recorded_by_id = actor.id
    step = starting_step(dbs, profile) or LadderStep(
        profile_id=profile.id, context=LadderContext.INTAKE
    )
    step.rung = answers.rung
    step.recorded_on = answers.held_on
    step.reason = answers.rung_reason.strip()
    step.recorded_by_id = actor.id
    dbs.add_all([intake, step])
    try:
        with dbs.begin_nested():
            dbs.flush()
    except IntegrityError:  # the same first conversation saved twice at once
        raise ChangedMeanwhile(CHANGED_MEANWHILE) from None
    return intake
