"""A place's status: the one table of allowed transitions, and the one function that moves it.

    draft -> submitted -> published <-> paused -> closed
    submitted -> rejected -> draft;  submitted -> draft (withdrawn, or changes requested)

A transition not in the table, or by a role the table does not name, is refused with a clear
error; nothing changes silently. ``None`` in a role set stands for the system itself (the
nightly job that closes places whose end date has passed).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.audit.services import record_event
from marketplace.db import utcnow
from marketplace.domain import DomainError, NotAllowed
from marketplace.labels import label
from marketplace.permissions import can_manage_place, can_review_places
from marketplace.places.models import Place, PlaceReview, PlaceStatus, ReviewDecision
from marketplace.places.rules import DISPLACEMENT_FIELDS, missing_for_submission

S = PlaceStatus
EMPLOYER, CONSULTANT, SYSTEM = Role.EMPLOYER, Role.CONSULTANT, None

#: (from, to) -> who may make that move
TRANSITIONS: dict[tuple[PlaceStatus, PlaceStatus], frozenset] = {
    (S.DRAFT, S.SUBMITTED): frozenset({EMPLOYER}),
    (S.DRAFT, S.CLOSED): frozenset({EMPLOYER}),
    (S.SUBMITTED, S.DRAFT): frozenset({EMPLOYER, CONSULTANT}),
    (S.SUBMITTED, S.PUBLISHED): frozenset({CONSULTANT}),
    (S.SUBMITTED, S.REJECTED): frozenset({CONSULTANT}),
    (S.REJECTED, S.DRAFT): frozenset({EMPLOYER}),
    (S.PUBLISHED, S.PAUSED): frozenset({EMPLOYER}),
    (S.PAUSED, S.PUBLISHED): frozenset({EMPLOYER}),
    (S.PUBLISHED, S.CLOSED): frozenset({EMPLOYER, SYSTEM}),
    (S.PAUSED, S.CLOSED): frozenset({EMPLOYER, SYSTEM}),
}


class IllegalTransition(DomainError):
    """The place cannot go from its status to the one asked for."""


def allowed_targets(place: Place, actor: User | None) -> list[PlaceStatus]:
    """The statuses this actor may move the place to now (for buttons in templates)."""
    if actor is not None and not actor.is_authenticated:
        return []
    role = actor.role if actor is not None else SYSTEM
    return [
        target
        for (source, target), roles in TRANSITIONS.items()
        if source == place.status and role in roles and _may_act_on(actor, place)
    ]


def _may_act_on(actor: User | None, place: Place) -> bool:
    if actor is None:
        return True
    if actor.role == Role.EMPLOYER:
        return can_manage_place(actor, place)
    return can_review_places(actor)


def change_status(
    dbs: Session,
    actor: User | None,
    place: Place,
    target: PlaceStatus,
    *,
    comment: str | None = None,
    flags: list[str] | None = None,
) -> None:
    """Move a place to ``target`` if the table allows it for this actor; record who and when."""
    source = place.status
    roles = TRANSITIONS.get((source, target))
    if roles is None:
        raise IllegalTransition(
            _l(
                "A place that is %(source)s cannot become %(target)s.",
                source=_status_word(source),
                target=_status_word(target),
            )
        )
    role = actor.role if actor is not None else SYSTEM
    if role not in roles or not _may_act_on(actor, place):
        raise NotAllowed(_l("You may not make this change to this place."))
    _check_preconditions(
        place,
        target,
        comment,
        needs_reason=(source, target) in _NEEDS_REASON and role == CONSULTANT,
    )
    now = utcnow()
    place.status = target
    if target == S.SUBMITTED:
        place.submitted_at = now
    elif target == S.PUBLISHED and source == S.SUBMITTED:
        place.published_at = place.published_at or now
    elif target == S.CLOSED:
        place.closed_at = now
    decision = _REVIEW_DECISIONS.get((source, target)) if role == CONSULTANT else None
    if decision is not None:
        record_review(dbs, actor, place, decision, comment, flags or [], now)
    record_event(dbs, f"place_{target.value}", actor=actor, obj=place, source=source.value)


def record_review(
    dbs: Session,
    actor: User,
    place: Place,
    decision: ReviewDecision,
    comment: str | None,
    flags: list[str],
    now: datetime,
) -> None:
    """Keep a consultant's decision on the place and in its review history."""
    place.reviewed_at, place.reviewed_by_id, place.review_comment = now, actor.id, comment
    dbs.add(
        PlaceReview(
            place=place,
            decision=decision,
            comment=comment,
            flags=flags,
            reviewer_id=actor.id,
            decided_at=now,
        )
    )


_REVIEW_DECISIONS = {
    (S.SUBMITTED, S.PUBLISHED): ReviewDecision.PUBLISHED,
    (S.SUBMITTED, S.REJECTED): ReviewDecision.REJECTED,
    (S.SUBMITTED, S.DRAFT): ReviewDecision.CHANGES_REQUESTED,
}


#: a consultant who turns a place down or sends it back says why
_NEEDS_REASON = {(S.SUBMITTED, S.REJECTED), (S.SUBMITTED, S.DRAFT)}


def _check_preconditions(
    place: Place, target: PlaceStatus, comment: str | None, needs_reason: bool
) -> None:
    if target == S.SUBMITTED and missing_for_submission(place):
        raise DomainError(_l("Fill in every step before you send the place for review."))
    if target == S.SUBMITTED and any(getattr(place, f) is None for f in DISPLACEMENT_FIELDS):
        raise DomainError(_l("Answer the questions of the municipality first."))
    if target == S.PUBLISHED and not place.organisation.verified:
        raise DomainError(
            _l("The organisation has not been checked yet. Verify it before publishing.")
        )
    if needs_reason and not (comment or "").strip():
        raise DomainError(_l("Give the reason, so that the employer knows what to do."), "comment")


def _status_word(status: PlaceStatus) -> str:
    return label(status).lower()
