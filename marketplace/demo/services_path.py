"""Demo appointments, a new plan version and the reminders due, so "My path" has dates."""

from __future__ import annotations

from datetime import time, timedelta

import sqlalchemy as sa
from flask import current_app

from marketplace.newcomers.models import NewcomerProfile
from marketplace.notices.consultants import send_consultant_reminders
from marketplace.notices.models import NoticeKind
from marketplace.notices.services import notify, send_reminders
from marketplace.plans.models import Appointment, Plan, PlanActivity

_MEETINGS = (
    ("Gesprek met je consulent over je plan", "Stadskantoor, balie 4", time(10, 0)),
    ("Kennismaking bij het Taalhuis", "Bibliotheek, eerste verdieping", time(14, 30)),
    ("Voortgangsgesprek", "Stadskantoor, spreekkamer 2", time(9, 15)),
)


def add_appointments(loader, profiles: list[NewcomerProfile]) -> None:
    """One or two appointments in the coming weeks for each newcomer."""
    for number, profile in enumerate(profiles):
        what, where, at = _MEETINGS[number % len(_MEETINGS)]
        loader.session.add(
            Appointment(
                profile_id=profile.id,
                day=loader.day(-(2 + number % 9)),
                at_time=at,
                what=what,
                location=where,
                with_whom=profile.consultant.name if profile.consultant else None,
                created_by_id=profile.consultant_id,
            )
        )
        if number % 2 == 0:
            loader.session.add(
                Appointment(
                    profile_id=profile.id,
                    day=loader.day(-(20 + number)),
                    at_time=time(11, 0),
                    what="Voortgangsgesprek",
                    location="Stadskantoor, spreekkamer 2",
                    with_whom=profile.consultant.name if profile.consultant else None,
                    created_by_id=profile.consultant_id,
                )
            )


def add_new_plan_version(loader, profile: NewcomerProfile) -> None:
    """A second version of one newcomer's plan, waiting for their yes: a longer term for KNM."""
    first = loader.session.scalar(sa.select(Plan).where(Plan.profile_id == profile.id))
    second = Plan(
        profile_id=profile.id,
        version=2,
        learning_route=first.learning_route,
        integration_deadline=first.integration_deadline + timedelta(days=182),
        preconditions=first.preconditions,
        support=first.support,
        progress_followup=first.progress_followup,
        created_by_id=first.created_by_id,
        created_at=loader.at(1, 16),
    )
    for activity in first.activities:
        second.activities.append(
            PlanActivity(
                kind=activity.kind,
                description=activity.description,
                hours_required=activity.hours_required,
                hours_done=activity.hours_done,
                due_on=activity.due_on + timedelta(days=91) if activity.due_on else None,
                status=activity.status,
            )
        )
    loader.session.add(second)
    loader.session.flush()
    notify(
        loader.session,
        profile.user,
        NoticeKind.PLAN_TO_AGREE,
        f"plan:{second.id}",
        {},
        due_on=loader.day(-14),
        today=loader.today,
    )


def add_messages(loader) -> None:
    """The reminders that are due on the day the demo is loaded, as the daily job sends them
    (to newcomers, and to consultants)."""
    send_reminders(loader.session, loader.today)
    weeks = current_app.config["CASELOAD_NO_PLACEMENT_WEEKS"]
    send_consultant_reminders(loader.session, loader.today, weeks)
