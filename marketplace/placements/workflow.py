"""The placement workflow: one table of every step, who may take it, and from which states.

Consultants propose, plan the introduction, approve, start and end; the host accepts or
declines after the introduction; the newcomer answers a proposal or withdraws. ``take`` is
the only way a placement changes state: it checks the table and the actor, moves the status
with a conditional UPDATE (two clicks at once: one wins), takes or frees a spot, and writes
the step to the placement's history.

Approval takes one of the place's spots with ``UPDATE place SET spots_taken = spots_taken + 1
WHERE spots_taken < spots``: the database decides, so with one spot left and twenty approvals
at once exactly one succeeds, on SQLite (write requests begin IMMEDIATE) and on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.audit.services import record_event
from marketplace.db import utcnow
from marketplace.domain import DomainError, NotAllowed, check_length
from marketplace.newcomers.models import NewcomerProfile
from marketplace.notices.models import NoticeKind
from marketplace.notices.services import notify
from marketplace.permissions import is_own_consultant
from marketplace.placements.models import OPEN_STATUSES, Placement, PlacementEvent
from marketplace.placements.models import PlacementStatus as S
from marketplace.places.models import Place
from marketplace.places.services import is_public
from marketplace.search.sync import note_changed


class Step(StrEnum):
    INTRODUCE = "introduce"
    HOST_ACCEPT = "host_accept"
    HOST_DECLINE = "host_decline"
    APPROVE = "approve"
    START = "start"
    COMPLETE = "complete"
    END_EARLY = "end_early"
    DECLINE = "decline"
    WITHDRAW = "withdraw"


class Actor(StrEnum):
    NEWCOMER = "newcomer"  # the newcomer of the placement
    CONSULTANT = "consultant"  # the newcomer's own consultant
    HOST = "host"  # an employer of the place's organisation


@dataclass(frozen=True)
class Rule:
    sources: tuple[S, ...]
    target: S
    actor: Actor
    #: a reason must be given (declining, ending early)
    needs_reason: bool = False


BEFORE_APPROVAL = (S.INTERESTED, S.PROPOSED, S.INTRODUCED, S.ACCEPTED_BY_HOST)
#: the states in which a placement holds one of the place's spots
HOLDS_SPOT = (S.APPROVED, S.ACTIVE)

RULES: dict[Step, Rule] = {
    Step.INTRODUCE: Rule((S.INTERESTED, S.PROPOSED), S.INTRODUCED, Actor.CONSULTANT),
    Step.HOST_ACCEPT: Rule((S.INTRODUCED,), S.ACCEPTED_BY_HOST, Actor.HOST),
    Step.HOST_DECLINE: Rule((S.INTRODUCED,), S.DECLINED, Actor.HOST, needs_reason=True),
    Step.APPROVE: Rule((S.ACCEPTED_BY_HOST,), S.APPROVED, Actor.CONSULTANT),
    Step.START: Rule((S.APPROVED,), S.ACTIVE, Actor.CONSULTANT),
    Step.COMPLETE: Rule((S.ACTIVE,), S.COMPLETED, Actor.CONSULTANT),
    Step.END_EARLY: Rule(HOLDS_SPOT, S.ENDED_EARLY, Actor.CONSULTANT, needs_reason=True),
    Step.DECLINE: Rule(BEFORE_APPROVAL, S.DECLINED, Actor.CONSULTANT, needs_reason=True),
    Step.WITHDRAW: Rule(BEFORE_APPROVAL, S.WITHDRAWN, Actor.NEWCOMER),
}

#: the steps that ask for a reason (for the forms on the pages)
NEEDS_REASON = frozenset(step for step, rule in RULES.items() if rule.needs_reason)

PLACE_FULL = _l("This place is full. There is no free spot left.")
NOT_YET_YES = _l("The newcomer has not said yes to this proposal yet.")
CHANGED = _l("Someone else changed this placement just now. Look at it again.")
REASON_LENGTH = 1000


def acts_as(user: User, placement: Placement, actor: Actor) -> bool:
    """Whether the user is this placement's newcomer, their consultant, or its host."""
    if not user.is_authenticated:
        return False
    profile = placement.profile
    if actor is Actor.NEWCOMER:
        return user.role == Role.NEWCOMER and profile.user_id == user.id
    if actor is Actor.CONSULTANT:
        return is_own_consultant(user, profile)
    return user.role == Role.EMPLOYER and user.organisation_id == placement.place.organisation_id


def steps_for(user: User, placement: Placement) -> list[Step]:
    """The steps this user may take on this placement now (for the buttons on a page)."""
    return [
        step
        for step, rule in RULES.items()
        if placement.status in rule.sources
        and acts_as(user, placement, rule.actor)
        and not (step is Step.INTRODUCE and placement.awaits_newcomer)
    ]


def take(
    dbs: Session,
    user: User,
    placement: Placement,
    step: Step,
    *,
    reason: str | None = None,
    on: date | None = None,
    ip: str | None = None,
) -> None:
    """Take one step of the workflow (audit-logged), or raise with a message and change nothing."""
    rule = RULES[step]
    if not acts_as(user, placement, rule.actor):
        raise NotAllowed(_l("You cannot do this for this placement."))
    if placement.status not in rule.sources:
        raise DomainError(_l("This step is not possible now."))
    if step is Step.INTRODUCE and placement.awaits_newcomer:
        raise DomainError(NOT_YET_YES)
    reason = (reason or "").strip() or None
    if rule.needs_reason and not reason:
        raise DomainError(_l("Give a short reason."), "reason")
    check_length(reason, "reason", REASON_LENGTH)
    ending = step in (Step.COMPLETE, Step.END_EARLY)
    if ending and on is not None and placement.started_on and on < placement.started_on:
        raise DomainError(
            _l(
                "The end cannot be before the start (%(day)s).",
                day=format_date(placement.started_on, "long"),
            ),
            "on",
        )
    source = placement.status
    if step is Step.APPROVE:
        _take_spot(dbs, placement.place_id)
    elif source in HOLDS_SPOT and rule.target not in HOLDS_SPOT:
        free_spot(dbs, placement.place_id)
    moved = dbs.execute(
        sa.update(Placement)
        .where(Placement.id == placement.id, Placement.status == source)
        .values(status=rule.target, **_dates(step, user, on))
        .execution_options(synchronize_session="fetch")
    )
    if moved.rowcount != 1:
        raise DomainError(CHANGED)
    dbs.add(
        PlacementEvent(
            placement=placement,
            from_status=source,
            to_status=rule.target,
            actor_id=user.id,
            note=reason,
        )
    )
    if step is Step.HOST_DECLINE:
        placement.host_reason = reason
    audit_step(dbs, user, placement, step, ip=ip, source=source.value, target=rule.target.value)


def audit_step(
    dbs: Session,
    user: User,
    placement: Placement,
    step: str,
    *,
    result: str = "success",
    ip: str | None = None,
    **detail,
) -> None:
    """Write a step (or a refused one) to the audit log: who, which placement, the result and
    the origin (security.md R41). Every step of the workflow is logged here and nowhere else."""
    record_event(
        dbs,
        f"placement_{step}",
        actor=user,
        subject_user_id=placement.profile.user_id,
        obj=placement,
        result=result,
        ip=ip,
        **detail,
    )


def _dates(step: Step, user: User, on: date | None) -> dict:
    if step is Step.INTRODUCE:
        return {"introduction_on": on}
    if step is Step.APPROVE:
        return {"approved_by_id": user.id, "approved_at": utcnow()}
    if step is Step.START:
        return {"started_on": on}
    if step in (Step.COMPLETE, Step.END_EARLY):
        return {"ended_on": on}
    return {}


def _take_spot(dbs: Session, place_id: int) -> None:
    taken = dbs.execute(
        sa.update(Place)
        .where(Place.id == place_id, Place.spots.is_not(None), Place.spots_taken < Place.spots)
        .values(spots_taken=Place.spots_taken + 1, version=Place.version + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        raise DomainError(PLACE_FULL)
    _place_changed(dbs, place_id)


def free_spot(dbs: Session, place_id: int) -> None:
    """Give back the spot an approved or started placement held."""
    dbs.execute(
        sa.update(Place)
        .where(Place.id == place_id, Place.spots_taken > 0)
        .values(spots_taken=Place.spots_taken - 1, version=Place.version + 1)
        .execution_options(synchronize_session=False)
    )
    _place_changed(dbs, place_id)


def _place_changed(dbs: Session, place_id: int) -> None:
    """The place's free spots changed: reload it, and let the search index know."""
    place = dbs.get(Place, place_id)
    if place is not None:
        dbs.expire(place)
    note_changed(dbs, "place", place_id)


def propose(
    dbs: Session,
    user: User,
    profile: NewcomerProfile,
    place: Place,
    today: date,
    ip: str | None = None,
):
    """The consultant proposes a place; the newcomer decides (see ``answer_proposal``)."""
    if not is_own_consultant(user, profile):
        raise NotAllowed(_l("Only the newcomer's own consultant can propose a place."))
    if not profile.allows_matching:
        raise DomainError(_l("This newcomer does not want to be suggested for places."))
    if not is_public(place, today):
        raise DomainError(_l("This place is not open now."))
    already = dbs.scalar(
        sa.select(Placement.id).where(
            Placement.profile_id == profile.id,
            Placement.place_id == place.id,
            Placement.status.in_(OPEN_STATUSES),
        )
    )
    if already is not None:
        raise DomainError(_l("This newcomer already has this place in their list."))
    placement = Placement(
        profile_id=profile.id, place_id=place.id, status=S.PROPOSED, proposed_by_id=user.id
    )
    dbs.add(placement)
    dbs.add(PlacementEvent(placement=placement, to_status=S.PROPOSED, actor_id=user.id))
    dbs.flush()
    audit_step(dbs, user, placement, "propose", ip=ip, target=S.PROPOSED.value)
    notify(
        dbs,
        profile.user,
        NoticeKind.PROPOSAL,
        f"proposal:{placement.id}",
        {"place_title": place.title},
        today=today,
    )
    return placement
