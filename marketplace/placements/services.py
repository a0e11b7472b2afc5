"""The newcomer's own steps in a placement: interest, withdrawing, answering a proposal.

Every status change writes a ``PlacementEvent`` (from, to, who, when), which is the
placement's timeline. The consultant's and the host's steps (propose, introduce, accept,
approve, start, end) come with the consultant pages.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from marketplace import clock
from marketplace.accounts.models import User
from marketplace.db import utcnow
from marketplace.domain import DomainError, NotAllowed
from marketplace.newcomers.models import NewcomerProfile
from marketplace.permissions import can_act_for_newcomer
from marketplace.placements import workflow
from marketplace.placements.models import (
    OPEN_STATUSES,
    Outcome,
    Placement,
    PlacementEvent,
    PlacementStatus,
)
from marketplace.places.models import Place
from marketplace.places.services import is_public

S = PlacementStatus
#: the states from which a newcomer can still step back (after approval: ending early)
WITHDRAWABLE = workflow.RULES[workflow.Step.WITHDRAW].sources
MESSAGE_LENGTH = 1000


def _move(
    dbs: Session,
    placement: Placement,
    target: PlacementStatus,
    actor: User,
    note: str | None = None,
) -> None:
    dbs.add(
        PlacementEvent(
            placement=placement,
            from_status=placement.status,
            to_status=target,
            actor_id=actor.id,
            note=note,
        )
    )
    placement.status = target


def open_placement(dbs: Session, profile: NewcomerProfile, place: Place) -> Placement | None:
    """The newcomer's placement with this place that is still going, if any."""
    return dbs.scalar(
        sa.select(Placement).where(
            Placement.profile_id == profile.id,
            Placement.place_id == place.id,
            Placement.status.in_(OPEN_STATUSES),
        )
    )


def show_interest(
    dbs: Session,
    actor: User,
    profile: NewcomerProfile,
    place: Place,
    message: str | None,
    ip: str | None = None,
) -> Placement:
    """The newcomer says they would like this place; their consultant sees it next."""
    if not can_act_for_newcomer(actor, profile):
        raise NotAllowed(_l("You cannot do this for this person."))
    if not is_public(place, clock.today()):
        raise DomainError(_l("This place is not open now."))
    message = (message or "").strip() or None
    if message and len(message) > MESSAGE_LENGTH:
        raise DomainError(
            _l("Keep your message under %(max)d characters.", max=MESSAGE_LENGTH), "message"
        )
    if open_placement(dbs, profile, place) is not None:
        raise DomainError(_l("You already showed interest in this place."))
    placement = Placement(
        profile_id=profile.id, place_id=place.id, status=S.INTERESTED, newcomer_message=message
    )
    dbs.add(placement)
    dbs.add(
        PlacementEvent(
            placement=placement, from_status=None, to_status=S.INTERESTED, actor_id=actor.id
        )
    )
    try:
        with dbs.begin_nested():
            dbs.flush()
    except IntegrityError:  # the same click twice at once: the database lets one through
        raise DomainError(_l("You already showed interest in this place.")) from None
    workflow.audit_step(dbs, actor, placement, "interest", ip=ip, target=S.INTERESTED.value)
    return placement


def withdraw(dbs: Session, actor: User, placement: Placement, ip: str | None = None) -> None:
    """The newcomer steps back from a placement that was not approved yet."""
    if not can_act_for_newcomer(actor, placement.profile):
        raise NotAllowed(_l("You cannot do this for this person."))
    if placement.status not in WITHDRAWABLE:
        raise DomainError(
            _l("This can no longer be withdrawn here. Talk to your consultant about stopping.")
        )
    workflow.take(dbs, actor, placement, workflow.Step.WITHDRAW, ip=ip)


def answer_proposal(
    dbs: Session,
    actor: User,
    placement: Placement,
    yes: bool,
    reason: str | None = None,
    ip: str | None = None,
) -> None:
    """The newcomer says yes or no to a place their consultant proposed; it is their choice."""
    if not can_act_for_newcomer(actor, placement.profile):
        raise NotAllowed(_l("You cannot do this for this person."))
    reason = (reason or "").strip() or None
    if reason and len(reason) > MESSAGE_LENGTH:
        raise DomainError(
            _l("Keep your message under %(max)d characters.", max=MESSAGE_LENGTH), "reason"
        )
    # one answer only, also from two tabs at once: the database changes the row only while
    # the question is still open (a conditional UPDATE, not a check and then a write)
    answer = {"newcomer_agreed_at": utcnow()} if yes else {"status": S.DECLINED}
    answered = dbs.execute(
        sa.update(Placement)
        .where(
            Placement.id == placement.id,
            Placement.status == S.PROPOSED,
            Placement.newcomer_agreed_at.is_(None),
        )
        .values(**answer)
    )
    if answered.rowcount != 1:
        raise DomainError(_l("There is no question about this place waiting for you."))
    dbs.add(
        PlacementEvent(
            placement=placement,
            from_status=S.PROPOSED,
            to_status=S.PROPOSED if yes else S.DECLINED,
            actor_id=actor.id,
            note=reason,
        )
    )
    step = "accept_proposal" if yes else "refuse_proposal"
    workflow.audit_step(dbs, actor, placement, step, ip=ip, source=S.PROPOSED.value)


def placements_of(dbs: Session, profile: NewcomerProfile) -> list[Placement]:
    """The newcomer's placements, newest first."""
    return list(
        dbs.scalars(
            sa.select(Placement)
            .where(Placement.profile_id == profile.id)
            .options(
                selectinload(Placement.place),
                selectinload(Placement.check_ins),
                selectinload(Placement.outcome).selectinload(Outcome.follow_ups),
            )
            .order_by(Placement.created_at.desc(), Placement.id.desc())
        )
    )


def close_open_placements(dbs: Session, actor: User, profile: NewcomerProfile | None) -> None:
    """When a newcomer's data is erased: withdraw what was not approved, end what was, so
    no spot stays taken by someone who is no longer there."""
    if profile is None:
        return
    query = sa.select(Placement).where(
        Placement.profile_id == profile.id, Placement.status.in_(OPEN_STATUSES)
    )
    for placement in dbs.scalars(query):
        if placement.status in workflow.HOLDS_SPOT:
            workflow.free_spot(dbs, placement.place_id)
        _move(
            dbs,
            placement,
            S.WITHDRAWN if placement.status in WITHDRAWABLE else S.ENDED_EARLY,
            actor,
        )


#: what a host sees: interest, a proposal the newcomer said yes to, and the steps after it
HOSTED = (S.INTERESTED, S.PROPOSED, S.INTRODUCED, S.ACCEPTED_BY_HOST, S.APPROVED, S.ACTIVE)


def hosted_placements(dbs: Session, organisation_id: int) -> list[Placement]:
    """The open placements at an organisation's places, newest first; a proposal only once the
    newcomer said yes to it (before that, it is between them and their consultant)."""
    query = (
        sa.select(Placement)
        .join(Place, Place.id == Placement.place_id)
        .where(Place.organisation_id == organisation_id, Placement.status.in_(HOSTED))
        .where(sa.or_(Placement.status != S.PROPOSED, Placement.newcomer_agreed_at.is_not(None)))
        .order_by(Placement.updated_at.desc(), Placement.id.desc())
    )
    return list(dbs.scalars(query))
