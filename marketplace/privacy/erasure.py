"""Asking to erase one's data, and the consultant carrying it out.

``ERASED`` and ``KEPT`` are the one table of what happens to each piece of data: the page
shows them to the newcomer before they ask, and ``carry_out_erasure`` does exactly what
``ERASED`` says. Each part names what it covers: ``"table"`` (every row about the person) or
``"table.column"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from marketplace.accounts.models import AccountToken, User
from marketplace.accounts.sessions import revoke_all_sessions
from marketplace.audit.services import record_event
from marketplace.db import Base, utcnow
from marketplace.domain import DomainError, NotAllowed
from marketplace.encryption import plain_type
from marketplace.newcomers.models import NewcomerProfile
from marketplace.notices.consultants import forget_newcomer
from marketplace.permissions import can_decide_erasure, is_newcomer
from marketplace.placements.services import close_open_placements
from marketplace.privacy.export import rows_about
from marketplace.privacy.models import ErasureRequest, ErasureStatus
from marketplace.vocab import DutchLevel

REASON_LENGTH = 1000
#: how an erased or anonymised account is named: ``erased-<id>``
ERASED_PREFIX = "erased-"


@dataclass(frozen=True)
class Part:
    """A piece of a person's data, in words, with what it covers in the database."""

    what: Any
    covers: tuple[str, ...]
    why: Any = None


_CONTACT = ("postcode", "city", "municipality")
_PROFILE = tuple(
    f"newcomer_profile.{column.name}"
    for column in NewcomerProfile.__table__.columns
    if column.info["pii"] in ("personal", "special") and column.name not in _CONTACT
) + ("newcomer_profile.ref", "newcomer_profile.shares_with_employers")

#: what is erased when the consultant carries out the request
ERASED = (
    Part(
        _l("Your account: your name, e-mail address and password. You cannot log in again."),
        ("user_account.name", "user_account.email", "user_account.password_hash")
        + ("user_account.last_login_at", "user_account.totp_secret"),
    ),
    Part(
        _l("Your contact details: postcode, town and municipality."),
        tuple(f"newcomer_profile.{name}" for name in _CONTACT),
    ),
    Part(
        _l(
            "Your profile: languages, Dutch level, education, work experience, skills, "
            "interests, goals, when you are free, how far you can travel, "
            "and what you share with employers."
        ),
        (*_PROFILE, "newcomer_profile.allows_matching"),
    ),
    Part(
        _l("Your practical limits, and whether a place suits what you can do physically."),
        ("newcomer_limit", "placement.suits_physical_demand"),
    ),
    Part(
        _l(
            "Messages and notes: your messages about places, notes in the history of your "
            "places, what was written at your first conversation, at check-ins and later, "
            "the reasons for your steps "
            "on the participation ladder, and the reason for this request."
        ),
        ("placement.newcomer_message", "placement.host_reason", "placement_event.note")
        + tuple(
            f"check_in.{name}"
            for name in (
                "skills_gained",
                "dutch_progress",
                "newcomer_words",
                "host_view",
                "rung_reason",
            )
        )
        + ("check_in.next_steps", "outcome.explanation", "follow_up.notes")
        + tuple(
            f"intake.{name}"
            for name in (
                "what_matters",
                "motivation",
                "capabilities",
                "learning_wishes",
                "agreements",
            )
        )
        + ("ladder_step.reason", "erasure_request.reason"),
    ),
    Part(
        _l("What your appointments were about, where they were and with whom."),
        ("appointment.what", "appointment.location", "appointment.with_whom"),
    ),
    Part(
        _l("The text of your feedback, and the link between your feedback and you."),
        ("feedback.comment", "feedback.profile_id", "feedback.placement_id"),
    ),
    Part(_l("Your notices: reminders and news."), ("notice",)),
    Part(_l("The history of changes to your profile."), ("profile_change",)),
)

#: what the municipality keeps, and why
KEPT = (
    Part(
        _l("Your plan: every version, the activities and deadlines, and when you agreed."),
        ("plan", "plan_activity"),
        _l(
            "The municipality must be able to show what was agreed with you "
            "under the Wet inburgering 2021."
        ),
    ),
    Part(
        _l(
            "Your places: which place, each step and its date, the dates of check-ins, "
            "attendance, hours worked, and how it ended. Without messages and notes."
        ),
        ("placement.status", "placement.introduction_on", "placement.started_on")
        + ("placement.ended_on", "placement_event.from_status", "placement_event.to_status")
        + ("check_in.held_on", "check_in.ladder_rung", "check_in.attendance")
        + ("check_in.next_check_in_on", "check_in.hours_worked", "check_in.counts_for_map")
        + ("outcome.result",)
        + ("follow_up.due_on", "follow_up.ladder_rung", "follow_up.in_paid_work")
        + ("follow_up.hours_per_week", "follow_up.contract", "follow_up.in_education"),
        _l(
            "The municipality must be able to account for its decisions, such as approving a place."
        ),
    ),
    Part(
        _l(
            "Your steps on the participation ladder and their dates, without the reasons, "
            "and the date of your first conversation."
        ),
        ("ladder_step.rung", "ladder_step.recorded_on", "intake.held_on"),
        _l("The municipality reports how people progress. These reports show numbers, not names."),
    ),
    Part(
        _l("The dates and times of your appointments."),
        ("appointment.day", "appointment.at_time"),
        _l("The municipality must be able to show when it invited you."),
    ),
    Part(
        _l("Your scores for places, without your name."),
        tuple(
            f"feedback.{name}"
            for name in ("meaningful", "learned", "dutch_practice", "respect", "would_recommend")
        ),
        _l("They help to make places better. Nobody can see that they are yours."),
    ),
    Part(
        _l("The log of who looked at your file and what was done, including this request."),
        ("audit_event",),
        _l("The municipality must be able to show who used your data, and that it erased it."),
    ),
)

#: values that replace erased data where the database needs a value
_NEUTRAL = {
    "user_account.email": lambda row: f"{ERASED_PREFIX}{row.id}@invalid",
    "user_account.name": lambda row: f"{ERASED_PREFIX}{row.id}",
    "newcomer_profile.dutch_level": lambda row: DutchLevel.NONE,
    "newcomer_profile.allows_matching": lambda row: False,
}
_EMPTY = {str: "", int: 0, float: 0.0}


def neutral_value(column: sa.Column, row: Base) -> Any:
    """What an erased column holds afterwards: nothing where it may, else a neutral value."""
    special = _NEUTRAL.get(f"{column.table.name}.{column.name}")
    if special is not None:
        return special(row)
    if column.nullable:
        return None
    if isinstance(plain_type(column.type), sa.JSON):
        return []
    if column.default is not None and column.default.is_scalar:
        return column.default.arg
    return _EMPTY[column.type.python_type]


def open_request_of(dbs: Session, user: User) -> ErasureRequest | None:
    """The person's request that waits for their consultant, if any."""
    return dbs.scalar(
        sa.select(ErasureRequest).where(
            ErasureRequest.user_id == user.id, ErasureRequest.status == ErasureStatus.REQUESTED
        )
    )


def request_erasure(dbs: Session, actor: User, reason: str | None) -> ErasureRequest:
    """The newcomer asks to erase their data; their consultant decides."""
    if not is_newcomer(actor):
        raise NotAllowed(_l("Only newcomers can ask this here."))
    reason = (reason or "").strip() or None
    if reason and len(reason) > REASON_LENGTH:
        raise DomainError(
            _l("Keep your reason under %(max)d characters.", max=REASON_LENGTH), "reason"
        )
    already = _l("You already asked to erase your data. Your consultant will look at it.")
    if open_request_of(dbs, actor) is not None:
        raise DomainError(already)
    profile = dbs.scalar(sa.select(NewcomerProfile).where(NewcomerProfile.user_id == actor.id))
    request = ErasureRequest(
        user_id=actor.id,
        consultant_id=profile.consultant_id if profile is not None else None,
        reason=reason,
        status=ErasureStatus.REQUESTED,
    )
    dbs.add(request)
    try:
        with dbs.begin_nested():
            dbs.flush()
    except IntegrityError:  # two clicks at once: the database lets one through
        raise DomainError(already) from None
    record_event(
        dbs, "newcomer_erasure_requested", actor=actor, subject_user_id=actor.id, obj=request
    )
    return request


def cancel_erasure(dbs: Session, actor: User) -> None:
    """The newcomer takes back their request before it is carried out."""
    request = open_request_of(dbs, actor)
    if request is None or not _decide(dbs, request, ErasureStatus.CANCELLED, actor):
        raise DomainError(_l("You have no request to erase your data."))
    record_event(
        dbs, "newcomer_erasure_cancelled", actor=actor, subject_user_id=actor.id, obj=request
    )


def _decide(dbs: Session, request: ErasureRequest, status: ErasureStatus, actor: User) -> bool:
    """Close an open request, once: of a cancel and a carrying out at the same moment, the
    database lets exactly one through (a conditional UPDATE, not a check then a write)."""
    done = dbs.execute(
        sa.update(ErasureRequest)
        .where(ErasureRequest.id == request.id, ErasureRequest.status == ErasureStatus.REQUESTED)
        .values(status=status, decided_by_id=actor.id, decided_at=utcnow())
    )
    return done.rowcount == 1


def profile_of_request(dbs: Session, request: ErasureRequest) -> NewcomerProfile | None:
    """The profile of the person who asked."""
    return dbs.scalar(sa.select(NewcomerProfile).where(NewcomerProfile.user_id == request.user_id))


def open_requests_for(dbs: Session, consultant: User) -> list[tuple[ErasureRequest, User]]:
    """The open requests of the consultant's own caseload, oldest first, with who asked."""
    query = (
        sa.select(ErasureRequest, User)
        .join(User, User.id == ErasureRequest.user_id)
        .join(NewcomerProfile, NewcomerProfile.user_id == User.id)
        .where(
            NewcomerProfile.consultant_id == consultant.id,
            ErasureRequest.status == ErasureStatus.REQUESTED,
        )
        .order_by(ErasureRequest.requested_at, ErasureRequest.id)
    )
    return [(request, user) for request, user in dbs.execute(query)]


def _erase(dbs: Session, rows: dict[str, list], target: str) -> None:
    table_name, _dot, column_name = target.partition(".")
    for row in rows[table_name]:
        if column_name:
            column = row.__table__.c[column_name]
            setattr(row, column.key, neutral_value(column, row))
        else:
            dbs.delete(row)


def carry_out_erasure(dbs: Session, actor: User, request: ErasureRequest) -> None:
    """Erase what ``ERASED`` lists, close the account and end its sessions; keep ``KEPT``."""
    if not can_decide_erasure(actor, profile_of_request(dbs, request)):
        raise NotAllowed(_l("Only the newcomer's own consultant can do this."))
    if not _decide(dbs, request, ErasureStatus.CARRIED_OUT, actor):
        raise DomainError(_l("This request was already dealt with."))
    user = dbs.get(User, request.user_id)
    profile = profile_of_request(dbs, request)
    close_open_placements(dbs, actor, profile)
    if profile is not None:
        forget_newcomer(dbs, profile)  # the consultant's reminders name the newcomer
    rows = rows_about(dbs, user)
    for part in ERASED:
        for target in part.covers:
            _erase(dbs, rows, target)
    dbs.execute(sa.delete(AccountToken).where(AccountToken.user_id == user.id))
    user.active = False
    revoke_all_sessions(dbs, user.id)
    dbs.flush()
    record_event(
        dbs, "newcomer_erasure_carried_out", actor=actor, subject_user_id=user.id, obj=request
    )
