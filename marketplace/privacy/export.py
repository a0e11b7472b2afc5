"""Everything stored about one newcomer, as one JSON-ready document (GDPR art. 15 and 20).

``rows_about`` is the one definition of which rows are about a person; the export, the
readable page and the erasure all start from it. Columns are read from the table itself, so
a new column shows up in the export without anyone remembering to add it; only secret
columns and the few named in ``OMITTED_COLUMNS`` stay out, and so do the legal exceptions the
privacy officer set in ``EXPORT_LEGAL_EXCEPTIONS``, which the export names with their ground.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.audit.models import AuditEvent
from marketplace.db import utcnow
from marketplace.feedback.models import Feedback
from marketplace.newcomers.models import (
    Intake,
    LadderStep,
    NewcomerLimit,
    NewcomerProfile,
    ProfileChange,
)
from marketplace.notices.models import Notice
from marketplace.organisations.models import Organisation
from marketplace.placements.models import CheckIn, FollowUp, Outcome, Placement, PlacementEvent
from marketplace.places.models import Place
from marketplace.plans.models import Appointment, Plan, PlanActivity
from marketplace.privacy.models import ErasureRequest

#: tables linked to a person that are left out of the export on purpose, and why
NOT_EXPORTED = {
    "user_session": _l("Secret sign-in codes of the browsers you use."),
    "account_token": _l("Secret sign-in codes in e-mails, to set or reset a password."),
    "recovery_code": _l("Secret codes to log in when a phone with the authenticator app is lost."),
    "login_attempt": _l(
        "Sign-in attempts. They are stored without your name, for a short time, "
        "to stop people who guess passwords."
    ),
    "place": _l("Places belong to organisations; they are not about you."),
    "place_review": _l("A consultant's check of a place; it is not about you."),
}

#: columns of exported tables that stay out, and why (secret columns always stay out)
OMITTED_COLUMNS = {
    ("newcomer_profile", "user_id"): "the person the export is for",
    ("notice", "user_id"): "the person the export is for",
    ("erasure_request", "user_id"): "the person the export is for",
    ("audit_event", "subject_user_id"): "the person the export is for",
    ("audit_event", "prev_hash"): "tamper check of the log, not data about anyone",
    ("audit_event", "hash"): "tamper check of the log, not data about anyone",
}

#: the top-level sections of the export, in the order a reader meets them: key -> table
SECTIONS = {
    "account": "user_account",
    "profile": "newcomer_profile",
    "intake": "intake",
    "limits": "newcomer_limit",
    "ladder_steps": "ladder_step",
    "profile_changes": "profile_change",
    "plans": "plan",
    "appointments": "appointment",
    "placements": "placement",
    "feedback": "feedback",
    "notices": "notice",
    "erasure_requests": "erasure_request",
    "file_log": "audit_event",
}
#: sections that are one record rather than a list
SINGLE = {"account", "profile", "intake"}

#: rows shown inside their parent: parent table -> (key, child table, column naming the parent)
CHILDREN = {
    "plan": (("activities", "plan_activity", "plan_id"),),
    "placement": (
        ("events", "placement_event", "placement_id"),
        ("check_ins", "check_in", "placement_id"),
        ("outcome", "outcome", "placement_id"),
    ),
    "outcome": (("follow_ups", "follow_up", "outcome_id"),),
}

#: foreign keys to these tables are shown by nesting (or are the person themselves): left out
PARENT_TABLES = {"newcomer_profile", "placement", "plan", "outcome"}


def exported_tables() -> set[str]:
    """Every table whose rows the export holds."""
    nested = {child for children in CHILDREN.values() for _key, child, _fk in children}
    return set(SECTIONS.values()) | nested


def _all(dbs: Session, model: type, where: Any, *order: Any) -> list:
    return list(dbs.scalars(sa.select(model).where(where).order_by(*order, model.id)))


def rows_about(dbs: Session, user: User) -> dict[str, list]:
    """Every stored row about this person, by table name."""
    profile = dbs.scalar(sa.select(NewcomerProfile).where(NewcomerProfile.user_id == user.id))
    pid = profile.id if profile is not None else None

    def of_profile(model: type, *order: Any) -> list:
        return _all(dbs, model, model.profile_id == pid, *order) if pid is not None else []

    placements = of_profile(Placement, Placement.created_at)
    placement_ids = [p.id for p in placements]
    plans = of_profile(Plan, Plan.version)
    outcomes = _all(dbs, Outcome, Outcome.placement_id.in_(placement_ids))
    feedback_of = Feedback.placement_id.in_(placement_ids)
    if pid is not None:
        feedback_of = sa.or_(Feedback.profile_id == pid, feedback_of)
    return {
        "user_account": [user],
        "newcomer_profile": [profile] if profile is not None else [],
        "newcomer_limit": of_profile(NewcomerLimit),
        "intake": of_profile(Intake),
        "ladder_step": of_profile(LadderStep, LadderStep.recorded_on),
        "profile_change": of_profile(ProfileChange, ProfileChange.at),
        "plan": plans,
        "plan_activity": _all(
            dbs, PlanActivity, PlanActivity.plan_id.in_([p.id for p in plans]), PlanActivity.due_on
        ),
        "appointment": of_profile(Appointment, Appointment.day),
        "placement": placements,
        "placement_event": _all(
            dbs, PlacementEvent, PlacementEvent.placement_id.in_(placement_ids), PlacementEvent.at
        ),
        "check_in": _all(dbs, CheckIn, CheckIn.placement_id.in_(placement_ids), CheckIn.held_on),
        "outcome": outcomes,
        "follow_up": _all(
            dbs, FollowUp, FollowUp.outcome_id.in_([o.id for o in outcomes]), FollowUp.months
        ),
        "feedback": _all(dbs, Feedback, feedback_of, Feedback.created_at),
        "notice": _all(dbs, Notice, Notice.user_id == user.id, Notice.created_at),
        "erasure_request": _all(
            dbs, ErasureRequest, ErasureRequest.user_id == user.id, ErasureRequest.requested_at
        ),
        "audit_event": _all(
            dbs,
            AuditEvent,
            sa.or_(AuditEvent.subject_user_id == user.id, AuditEvent.actor_id == user.id),
            AuditEvent.at,
        ),
    }


def _name_of(dbs: Session, model: type, attribute: str, ident: int | None) -> str | None:
    row = dbs.get(model, ident) if ident is not None else None
    return getattr(row, attribute) if row is not None else None


#: how a foreign key to another table is shown: by a name, never by an e-mail address
_DESCRIBE = {
    "user_account": (User, "name"),
    "place": (Place, "title"),
    "organisation": (Organisation, "name"),
}


def _left_out(table: str, column: sa.Column) -> bool:
    return (
        column.info.get("pii") == "secret"
        or (table, column.name) in OMITTED_COLUMNS
        or f"{table}.{column.name}" in current_app.config["EXPORT_LEGAL_EXCEPTIONS"]
    )


def _record(dbs: Session, row: Any) -> dict[str, Any]:
    """One row as a dict of its columns; links to other people and places become names."""
    table = row.__table__
    record: dict[str, Any] = {}
    for column in table.columns:
        if _left_out(table.name, column):
            continue
        value = getattr(row, column.key)
        foreign = next(iter(column.foreign_keys), None)
        if foreign is None:
            record[column.name] = value
            continue
        target = foreign.column.table.name
        if target not in PARENT_TABLES:
            model, attribute = _DESCRIBE[target]
            record[column.name.removesuffix("_id")] = _name_of(dbs, model, attribute, value)
    return record


def _audit_record(dbs: Session, event: AuditEvent, user: User) -> dict[str, Any]:
    """A log line: who (role and name) did what, when; an address only for the person's own."""
    record = _record(dbs, event)
    if event.actor_role in set(Role):
        record["actor_role"] = Role(event.actor_role)
    if event.actor_id != user.id:
        record["ip"] = None  # another person's internet address is theirs, not yours
    return record


def _nested(dbs: Session, table: str, row: Any, rows: dict[str, list]) -> dict[str, Any]:
    record = _record(dbs, row)
    for key, child, column in CHILDREN.get(table, ()):
        mine = [c for c in rows[child] if getattr(c, column) == row.id]
        record[key] = [_nested(dbs, child, c, rows) for c in mine]
    return record


def collect(dbs: Session, user: User) -> dict[str, Any]:
    """The person's data grouped by subject, with Python values (enums, dates) for the page."""
    rows = rows_about(dbs, user)
    data: dict[str, Any] = {"exported_at": utcnow().replace(microsecond=0)}
    for key, table in SECTIONS.items():
        if table == "audit_event":
            records = [_audit_record(dbs, event, user) for event in rows[table]]
        else:
            records = [_nested(dbs, table, row, rows) for row in rows[table]]
        data[key] = (records[0] if records else None) if key in SINGLE else records
    exceptions = current_app.config["EXPORT_LEGAL_EXCEPTIONS"]
    if exceptions:
        data["left_out"] = [{"part": part, "ground": why} for part, why in exceptions.items()]
    return data


def jsonable(value: Any) -> Any:
    """A value as JSON can hold it: enums as their values, dates and times in ISO 8601."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value


def export_newcomer(dbs: Session, user: User) -> dict[str, Any]:
    """Everything stored about this newcomer, ready for ``json.dumps``."""
    return jsonable(collect(dbs, user))
