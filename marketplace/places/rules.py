"""What makes a place complete, which edits are reviewed again, and the reviewer's warnings."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

from marketplace.places.models import (
    REQUIRED_FIELDS,
    PaidWorkProspect,
    Place,
    PlaceKind,
    Sector,
    WorksCouncil,
)
from marketplace.vocab import DutchLevel, PhysicalDemand

#: every field an employer edits, with the type a stored JSON value is turned back into
EDITABLE_FIELDS: dict[str, Any] = {
    "title": str,
    "description": str,
    "kind": PlaceKind,
    "sector": Sector,
    "skills_wanted": list,
    "skills_learned": list,
    "education_offered": list,
    "learning_goals": str,
    "dutch_level": DutchLevel,
    "languages": list,
    "hours_min": int,
    "hours_max": int,
    "schedule": list,
    "start_date": date,
    "duration_weeks": int,
    "end_date": date,
    "spots": int,
    "postcode": str,
    "city": str,
    "remote": bool,
    "physical_demand": PhysicalDemand,
    "accessibility": str,
    "mentor": bool,
    "supervisor_name": str,
    "paid_work_prospect": PaidWorkProspect,
}

#: edits to a published place that go through review again: what the newcomer does, what they
#: learn, the Dutch asked for, the hours and times, the number of spots, and the conditions
#: that decide who can take it. Everything else (languages, accessibility, start date, town)
#: changes at once.
SUBSTANTIVE_FIELDS = frozenset(
    {
        "title",
        "description",
        "kind",
        "sector",
        "skills_wanted",
        "skills_learned",
        "education_offered",
        "learning_goals",
        "dutch_level",
        "hours_min",
        "hours_max",
        "schedule",
        "spots",
        "duration_weeks",
        "end_date",
        "postcode",
        "remote",
        "physical_demand",
        "mentor",
        "supervisor_name",
        "paid_work_prospect",
    }
)

#: the displacement-check answers an employer gives when sending a place for review
DISPLACEMENT_FIELDS = (
    "would_be_paid_vacancy",
    "replaces_absent_worker",
    "replaces_dismissed_worker",
    "structural_work",
    "works_council",
)


def to_json(value: Any) -> Any:
    """A field value as it is kept in ``pending_changes``."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def from_json(field: str, value: Any) -> Any:
    """A value from ``pending_changes`` as the model's column expects it."""
    kind = EDITABLE_FIELDS[field]
    if value is None or kind in (str, int, bool, list):
        return value
    if kind is date:
        return date.fromisoformat(value)
    return kind(value)


def current_values(place: Place) -> dict[str, Any]:
    """The place as its employer is editing it: the saved fields with pending changes on top."""
    values = {field: getattr(place, field) for field in EDITABLE_FIELDS}
    for field, value in (place.pending_changes or {}).items():
        values[field] = from_json(field, value)
    return values


def missing_for_submission(place: Place) -> list[str]:
    """The fields still empty that a place needs before review; empty when it is complete."""
    values = current_values(place)
    missing = [field for field in ("title", *REQUIRED_FIELDS) if values.get(field) in (None, "")]
    if not values.get("schedule"):
        missing.append("schedule")
    if not values.get("remote") and not values.get("postcode"):
        missing.append("postcode")
    if not values.get("end_date") and not values.get("duration_weeks"):
        missing.append("end_date")  # participation is always for a limited time
    return missing


LONG_WEEK_HOURS = 36
LONG_DURATION_WEEKS = 52


def review_flags(place: Place) -> list[str]:
    """Warnings for the reviewer, from the displacement answers and the place itself."""
    values = current_values(place)
    flags = []
    if place.would_be_paid_vacancy:
        flags.append("paid_vacancy")
    if place.replaces_dismissed_worker:
        flags.append("replaces_dismissed_worker")
    if place.replaces_absent_worker:
        flags.append("replaces_absent_worker")
    if place.structural_work:
        flags.append("structural_work")
    if place.works_council == WorksCouncil.NOT_CONSULTED:
        flags.append("works_council_not_consulted")
    if (values["hours_max"] or 0) >= LONG_WEEK_HOURS:
        flags.append("long_hours")
    level = values["dutch_level"]
    if level is not None and level.rank >= DutchLevel.B1.rank and not values["mentor"]:
        flags.append("b1_without_mentor")
    if not (values["supervisor_name"] or "").strip():
        flags.append("no_supervisor")
    if not (values["learning_goals"] or "").strip():
        flags.append("no_learning_goals")
    weeks = values["duration_weeks"]
    if weeks and weeks > LONG_DURATION_WEEKS:
        flags.append("long_duration")
    if values["paid_work_prospect"] == PaidWorkProspect.NO and values["kind"] in (
        PlaceKind.WORK_EXPERIENCE,
        PlaceKind.TRIAL_PLACEMENT,
    ):
        flags.append("trial_without_prospect")
    if not place.organisation.verified:
        flags.append("organisation_unverified")
    if place.pending_changes:
        flags.append("change_to_published_place")
    return flags
