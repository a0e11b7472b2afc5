"""Place rules: drafting, editing, sending for review, reviewing, closing, and public listing.

Status changes go through ``lifecycle.change_status`` only. An edit to a published or paused
place keeps the public version as it was: substantive changes wait in ``pending_changes``
until a consultant approves them, minor ones apply at once.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, selectinload

from marketplace.accounts.models import User
from marketplace.audit.services import record_event
from marketplace.db import utcnow
from marketplace.domain import DomainError, NotAllowed
from marketplace.organisations.models import Organisation
from marketplace.permissions import can_manage_place, can_review_places
from marketplace.places.lifecycle import change_status, record_review
from marketplace.places.models import Place, PlaceStatus, ReviewDecision
from marketplace.places.rules import (
    DISPLACEMENT_FIELDS,
    EDITABLE_FIELDS,
    SUBSTANTIVE_FIELDS,
    from_json,
    missing_for_submission,
    review_flags,
    to_json,
)

S = PlaceStatus
LIVE = (S.PUBLISHED, S.PAUSED)


def create_place(dbs: Session, actor: User, organisation: Organisation, title: str) -> Place:
    """Start a draft place for the actor's organisation."""
    if actor.organisation_id != organisation.id:
        raise NotAllowed(_l("You can only add places for your own organisation."))
    place = Place(organisation=organisation, title=title.strip(), status=S.DRAFT)
    dbs.add(place)
    dbs.flush()
    record_event(dbs, "place_created", actor=actor, obj=place)
    return place


class EditConflict(DomainError):
    """Someone saved the place after this form was opened."""


def update_place(
    dbs: Session,
    actor: User,
    place: Place,
    values: dict[str, Any],
    expected_version: int | None = None,
) -> bool:
    """Save edited fields; returns True when some of them now wait for review.

    A submitted or rejected place goes back to draft first (an employer edits a draft); a
    live place keeps its public version while substantive changes wait for review.
    """
    if not can_manage_place(actor, place):
        raise NotAllowed(_l("You may not change this place."))
    if place.status == S.CLOSED:
        raise DomainError(_l("A closed place cannot be changed."))
    if expected_version is not None and expected_version != place.version:
        raise EditConflict(
            _l(
                "Someone else changed this place while you were filling in the "
                "form. Check the current version below and make your change again."
            )
        )
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if values.get("spots") is not None and values["spots"] < place.spots_taken:
        raise DomainError(
            _l(
                "Spots taken now: %(taken)d. The number of spots cannot be lower.",
                taken=place.spots_taken,
            ),
            "spots",
        )
    if place.status in (S.SUBMITTED, S.REJECTED):
        change_status(dbs, actor, place, S.DRAFT)
    if place.status not in LIVE:
        for field, value in values.items():
            setattr(place, field, value)
        return False
    pending = dict(place.pending_changes or {})
    for field, value in values.items():
        if field not in SUBSTANTIVE_FIELDS:
            setattr(place, field, value)
        elif to_json(value) == to_json(getattr(place, field)):
            pending.pop(field, None)  # changed back to what is published
        else:
            pending[field] = to_json(value)
    if pending != (place.pending_changes or {}):
        place.changes_submitted_at = None  # changed again: to be checked and sent again
    place.pending_changes = pending or None
    return bool(pending)


def submit_place(dbs: Session, actor: User, place: Place, answers: dict[str, Any]) -> None:
    """Send a draft for review with the displacement-check answers, or a live place's changes."""
    if not can_manage_place(actor, place):
        raise NotAllowed(_l("You may not change this place."))
    if set(answers) != set(DISPLACEMENT_FIELDS):
        raise ValueError("every displacement question needs an answer")
    missing = missing_for_submission(place)
    if missing:
        raise DomainError(_l("Fill in every step before you send the place for review."))
    for field, value in answers.items():
        setattr(place, field, value)
    if place.status in LIVE:
        if not place.pending_changes:
            raise DomainError(_l("There are no changes to send."))
        place.changes_submitted_at = utcnow()
        record_event(dbs, "place_changes_submitted", actor=actor, obj=place)
    else:
        change_status(dbs, actor, place, S.SUBMITTED)


def review_queue(dbs: Session) -> list[Place]:
    """Places waiting for a consultant: new ones and changes to live ones, oldest first."""
    waiting_since = sa.func.coalesce(Place.changes_submitted_at, Place.submitted_at)
    return list(
        dbs.scalars(
            sa.select(Place)
            .where(
                sa.or_(
                    Place.status == S.SUBMITTED,
                    sa.and_(Place.status.in_(LIVE), Place.changes_submitted_at.is_not(None)),
                )
            )
            .order_by(waiting_since, Place.id)
        )
    )


def decide(
    dbs: Session, actor: User, place: Place, decision: ReviewDecision, comment: str | None
) -> None:
    """Carry out a consultant's review decision on a submitted place or a pending change."""
    if not can_review_places(actor):
        raise NotAllowed(_l("Only a consultant can review places."))
    flags = review_flags(place)
    targets = {
        ReviewDecision.PUBLISHED: S.PUBLISHED,
        ReviewDecision.REJECTED: S.REJECTED,
        ReviewDecision.CHANGES_REQUESTED: S.DRAFT,
    }
    if place.status == S.SUBMITTED and decision in targets:
        change_status(dbs, actor, place, targets[decision], comment=comment, flags=flags)
        return
    if (
        place.status in LIVE
        and place.changes_submitted_at is not None
        and decision
        in (
            ReviewDecision.CHANGE_APPROVED,
            ReviewDecision.CHANGE_REJECTED,
        )
    ):
        _decide_change(dbs, actor, place, decision, comment, flags)
        return
    raise DomainError(_l("This decision does not fit the place as it is now."))


def _decide_change(
    dbs: Session,
    actor: User,
    place: Place,
    decision: ReviewDecision,
    comment: str | None,
    flags: list[str],
) -> None:
    if decision == ReviewDecision.CHANGE_REJECTED and not (comment or "").strip():
        raise DomainError(_l("Give the reason, so that the employer knows what to do."), "comment")
    if decision == ReviewDecision.CHANGE_APPROVED:
        new_spots = (place.pending_changes or {}).get("spots")
        if new_spots is not None and new_spots < place.spots_taken:
            raise DomainError(_l("The new number of spots is lower than the spots taken now."))
        for field, value in (place.pending_changes or {}).items():
            setattr(place, field, from_json(field, value))
    now = utcnow()
    place.pending_changes = None
    place.changes_submitted_at = None
    record_review(dbs, actor, place, decision, comment, flags, now)
    record_event(dbs, f"place_{decision.value}", actor=actor, obj=place)


def close_expired_places(dbs: Session, today: date) -> list[Place]:
    """Close every live place whose end date has passed (run daily)."""
    expired = list(
        dbs.scalars(sa.select(Place).where(Place.status.in_(LIVE), Place.end_date < today))
    )
    for place in expired:
        change_status(dbs, None, place, S.CLOSED)
    return expired


def is_public(place: Place, today: date) -> bool:
    """Whether anyone may see the place: published and not past its end date."""
    return place.status == S.PUBLISHED and (place.end_date is None or place.end_date >= today)


def places_by_id(dbs: Session, ids: list[int]) -> dict[int, Place]:
    """The places with these ids (with their organisations), by id."""
    if not ids:
        return {}
    rows = dbs.scalars(
        sa.select(Place).where(Place.id.in_(ids)).options(selectinload(Place.organisation))
    )
    return {place.id: place for place in rows}


def tag_suggestions(dbs: Session, field: str, limit: int = 12) -> list[str]:
    """The tags most used in published places for a list field, as most people spell them."""
    column = getattr(Place, field)
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for tags in dbs.scalars(sa.select(column).where(Place.status == S.PUBLISHED).limit(2000)):
        for tag in tags or []:
            counts[tag.lower()] += 1
            spellings.setdefault(tag.lower(), Counter())[tag] += 1
    return [spellings[key].most_common(1)[0][0] for key, _count in counts.most_common(limit)]


def organisation_places(dbs: Session, organisation: Organisation) -> list[Place]:
    """All places of an organisation, those needing attention first, then newest."""
    return list(
        dbs.scalars(
            sa.select(Place)
            .where(Place.organisation_id == organisation.id)
            .order_by(Place.updated_at.desc(), Place.id.desc())
        )
    )
