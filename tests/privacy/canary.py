"""A newcomer with a distinctive marker in every text field of every row about them.

Each marker reads ``canary<tag>_<table>_<column>``, so a test can tell exactly which
stored value survived (or leaked) by searching for ``canary<tag>_``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time

import sqlalchemy as sa

from marketplace.accounts.models import Role, User
from marketplace.audit.services import record_event
from marketplace.db import Base, utcnow
from marketplace.encryption import plain_type
from marketplace.feedback.models import Feedback, FeedbackAbout
from marketplace.newcomers.models import (
    Intake,
    LadderContext,
    LadderStep,
    NewcomerLimit,
    NewcomerProfile,
    PracticalLimit,
    ProfileChange,
)
from marketplace.notices.models import Notice, NoticeKind
from marketplace.placements.models import (
    Attendance,
    CheckIn,
    ContractKind,
    FollowUp,
    Outcome,
    OutcomeResult,
    Placement,
    PlacementEvent,
    PlacementStatus,
)
from marketplace.plans.models import ActivityKind, Appointment, Plan, PlanActivity
from marketplace.privacy.models import ErasureRequest, ErasureStatus
from marketplace.vocab import LearningRoute
from tests.factories import make_organisation, make_place, make_user

#: text columns that must keep a working value (the language picks the translations)
UNMARKED = {("user_account", "language"), ("newcomer_profile", "schedule")}
#: where a stored value must stay an address, the marker is its local part
EMAIL = ("user_account", "email")
#: any marker, as it may show up in a page, a log line or a file (a page may capitalise it)
PATTERN = re.compile(r"canary([a-z0-9]+)_([a-z0-9_]*[a-z0-9])", re.IGNORECASE)
#: the classification of a marker whose table and column cannot be read from it
UNKNOWN_CLASS = "personal"


@dataclass
class Canary:
    """A newcomer whose every text value is a marker, and the markers by (table, column)."""

    tag: str
    user: User
    profile: NewcomerProfile
    consultant: User
    placement: Placement
    markers: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        return f"canary{self.tag}_"


def _is_text(column: sa.Column) -> bool:
    return isinstance(column.type, sa.String | sa.Text) and not isinstance(column.type, sa.Enum)


def mark(canary: Canary, row: Base) -> None:
    """Put a marker in every text and JSON column of the row that is not a link or an id."""
    table = row.__table__.name
    for column in row.__table__.columns:
        key = (table, column.name)
        if column.foreign_keys or column.primary_key or key in UNMARKED:
            continue
        if column.info.get("pii") == "secret":
            continue
        marker = f"{canary.prefix}{table}_{column.name}"
        if key == EMAIL:
            value = f"{marker}@example.nl"
        elif _is_text(column):
            value = marker
        elif isinstance(plain_type(column.type), sa.JSON):
            current = getattr(row, column.key)
            if isinstance(current, dict):
                value = {"text": marker}
            elif column.name == "experience":
                value = [{"text": marker}]
            else:
                value = [marker]
        else:
            continue
        setattr(row, column.key, value)
        canary.markers[key] = marker


def make_canary(dbs, tag: str) -> Canary:
    """A newcomer of a consultant's caseload with a row in every table about newcomers."""
    consultant = make_user(
        Role.CONSULTANT, email=f"consultant-{tag}@gemeente.example", language="en"
    )
    user = make_user(Role.NEWCOMER, language="en")
    profile = dbs.scalar(sa.select(NewcomerProfile).where(NewcomerProfile.user_id == user.id))
    profile.consultant_id = consultant.id
    place = make_place(make_organisation(), title=f"Keuken {tag}")
    placement = Placement(
        profile_id=profile.id,
        place_id=place.id,
        status=PlacementStatus.COMPLETED,
        approved_by_id=consultant.id,
        started_on=date(2026, 3, 2),
        ended_on=date(2026, 6, 26),
        suits_physical_demand=True,
    )
    dbs.add(placement)
    dbs.flush()
    canary = Canary(tag, user, profile, consultant, placement)
    plan = Plan(
        profile_id=profile.id, version=1, learning_route=LearningRoute.B1, agreed_at=utcnow()
    )
    dbs.add(plan)
    dbs.flush()
    outcome = Outcome(placement_id=placement.id, result=OutcomeResult.PAID_JOB)
    dbs.add(outcome)
    dbs.flush()
    rows = [
        NewcomerLimit(profile_id=profile.id, kind=PracticalLimit.LIGHT_WORK_ONLY),
        LadderStep(
            profile_id=profile.id,
            rung=3,
            recorded_on=date(2026, 1, 5),
            reason="",
            context=LadderContext.INTAKE,
            recorded_by_id=consultant.id,
        ),
        ProfileChange(profile_id=profile.id, field="", changed_by_id=consultant.id),
        PlanActivity(
            plan_id=plan.id, kind=ActivityKind.MAP, description="", due_on=date(2026, 9, 1)
        ),
        Appointment(profile_id=profile.id, day=date(2026, 2, 3), at_time=time(10, 30), what=""),
        PlacementEvent(
            placement_id=placement.id, to_status=PlacementStatus.INTERESTED, actor_id=user.id
        ),
        CheckIn(
            placement_id=placement.id,
            held_on=date(2026, 4, 1),
            ladder_rung=4,
            attendance=Attendance.GOOD,
            recorded_by_id=consultant.id,
        ),
        FollowUp(
            outcome_id=outcome.id,
            months=3,
            due_on=date(2026, 9, 26),
            in_paid_work=True,
            hours_per_week=24,
            contract=ContractKind.TEMPORARY,
            in_education=False,
            recorded_by_id=consultant.id,
        ),
        Intake(profile_id=profile.id, held_on=date(2026, 1, 5), recorded_by_id=consultant.id),
        Feedback(
            about=FeedbackAbout.PLACE,
            profile_id=profile.id,
            placement_id=placement.id,
            place_id=place.id,
            meaningful=4,
            respect=5,
            would_recommend=True,
        ),
        Notice(user_id=user.id, kind=NoticeKind.DEADLINE, key="", params={}),
        ErasureRequest(user_id=user.id, status=ErasureStatus.CANCELLED),
    ]
    dbs.add_all(rows)
    for row in (user, profile, placement, plan, outcome, *rows):
        mark(canary, row)
    dbs.flush()
    record_event(dbs, "profile_read", actor=consultant, subject_user_id=user.id, obj=profile)
    record_event(dbs, "authn_login_success", actor=user, subject_user_id=user.id, ip="192.0.2.7")
    dbs.flush()
    return canary


def stored_text(dbs) -> str:
    """Every value of every table, as one text to search (the database as a whole)."""
    connection = dbs.connection()
    parts = []
    for table in Base.metadata.sorted_tables:
        for row in connection.execute(sa.select(table)):
            parts.append(repr(tuple(row)))
    return "\n".join(parts)


def markers_in(text: str, canary: Canary) -> set[tuple[str, str]]:
    """The (table, column) whose marker occurs in the text."""
    return {key for key, marker in canary.markers.items() if marker in text}


def marker_source(marker: str) -> tuple[str | None, str | None, str]:
    """(table, column, classification) of a marker; the longest table name that fits wins.

    A marker made by hand without a real table and column counts as ``UNKNOWN_CLASS``.
    """
    found = PATTERN.fullmatch(marker)
    rest = found.group(2).lower() if found else ""
    for table in sorted(Base.metadata.tables, key=len, reverse=True):
        column = rest.removeprefix(f"{table}_")
        if column != rest and column in Base.metadata.tables[table].c:
            return table, column, Base.metadata.tables[table].c[column].info.get("pii", "")
    return None, None, UNKNOWN_CLASS
