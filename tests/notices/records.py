"""A newcomer's plan, activities and appointments for the reminder tests."""

from __future__ import annotations

from datetime import date, time

import sqlalchemy as sa

from marketplace import db
from marketplace.accounts.models import Role, User
from marketplace.db import utcnow
from marketplace.newcomers.models import NewcomerProfile
from marketplace.notices.models import Notice
from marketplace.plans.models import (
    ActivityKind,
    ActivityStatus,
    Appointment,
    Plan,
    PlanActivity,
)
from marketplace.vocab import LearningRoute
from tests.factories import make_user

#: the day of the deadline or appointment in most tests
DAY = date(2026, 12, 12)


def newcomer(language: str = "en", active: bool = True) -> tuple[User, NewcomerProfile]:
    user = make_user(Role.NEWCOMER, language=language, active=active)
    query = sa.select(NewcomerProfile).where(NewcomerProfile.user_id == user.id)
    profile = db.session.scalar(query)
    return user, profile


def plan(
    profile: NewcomerProfile,
    version: int = 1,
    agreed: bool = True,
    integration_deadline: date | None = None,
) -> Plan:
    row = Plan(
        profile_id=profile.id,
        version=version,
        learning_route=LearningRoute.B1,
        integration_deadline=integration_deadline,
        agreed_at=utcnow() if agreed else None,
    )
    db.session.add(row)
    db.session.flush()
    return row


def activity(
    in_plan: Plan,
    due_on: date = DAY,
    kind: ActivityKind = ActivityKind.KNM,
    status: ActivityStatus = ActivityStatus.PLANNED,
    description: str = "KNM-cursus bij de Taalschool",
) -> PlanActivity:
    row = PlanActivity(
        plan_id=in_plan.id, kind=kind, description=description, due_on=due_on, status=status
    )
    db.session.add(row)
    db.session.flush()
    return row


def appointment(profile: NewcomerProfile, day: date = DAY, **fields) -> Appointment:
    values = {
        "what": "Talk about your plan",
        "at_time": time(14, 30),
        "location": "Stadskantoor, Stadsplateau 1",
        "with_whom": "Mrs Jansen",
        **fields,
    }
    row = Appointment(profile_id=profile.id, day=day, **values)
    db.session.add(row)
    db.session.flush()
    return row


def notices(user: User) -> list[Notice]:
    """The user's notices, oldest first, as the database has them now."""
    db.session.expire_all()
    query = sa.select(Notice).where(Notice.user_id == user.id).order_by(Notice.id)
    return list(db.session.scalars(query))


def keys(user: User) -> list[str]:
    """The keys of the user's notices, without the date of the thing (``activity:12:3``)."""
    return [_without_date(notice.key) for notice in notices(user)]


def _without_date(key: str) -> str:
    parts = key.split(":")
    return ":".join(parts[:2] + parts[3:]) if len(parts) == 4 else key
