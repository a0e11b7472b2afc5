"""Test data with sensible defaults; each factory adds and flushes, the rollback undoes it."""

from __future__ import annotations

import itertools

from marketplace import db
from marketplace.accounts.models import Role, User
from marketplace.accounts.passwords import hash_password
from marketplace.newcomers.models import NewcomerProfile
from marketplace.organisations.models import Organisation, OrganisationKind
from marketplace.places.models import (
    PaidWorkProspect,
    Place,
    PlaceKind,
    PlaceStatus,
    Sector,
    WorksCouncil,
)
from marketplace.vocab import DutchLevel, PhysicalDemand

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def make_organisation(name: str | None = None, verified: bool = True) -> Organisation:
    from marketplace.db import utcnow

    org = Organisation(
        name=name or f"Organisatie {next(_numbers)}",
        kind=OrganisationKind.NONPROFIT,
        city="Utrecht",
        verified_at=utcnow() if verified else None,
    )
    db.session.add(org)
    db.session.flush()
    return org


def make_user(
    role: Role = Role.NEWCOMER,
    email: str | None = None,
    password: str | None = PASSWORD,
    organisation: Organisation | None = None,
    language: str = "nl",
    active: bool = True,
) -> User:
    n = next(_numbers)
    if role == Role.EMPLOYER and organisation is None:
        organisation = make_organisation()
    user = User(
        email=email or f"{role.value}{n}@example.nl",
        name=f"{role.value.title()} {n}",
        role=role,
        language=language,
        password_hash=hash_password(password) if password else None,
        organisation=organisation,
        active=active,
    )
    db.session.add(user)
    db.session.flush()
    if role == Role.NEWCOMER:
        db.session.add(
            NewcomerProfile(
                user=user,
                postcode="3511 AB",
                dutch_level=DutchLevel.A2,
                hours_available=16,
                schedule=["weekday_morning"],
                max_travel_km=10,
            )
        )
        db.session.flush()
    return user


def make_place(organisation: Organisation, status: PlaceStatus = PlaceStatus.PUBLISHED, **fields):
    """A complete place of ``organisation`` that raises no review flag; published by default.

    The displacement answers are filled in harmlessly, so a place can move to any status;
    pass ``field=value`` to change any column.
    """
    from marketplace.db import utcnow

    n = next(_numbers)
    now = utcnow()
    values = {
        "title": f"Helpen in de buurtkeuken {n}",
        "description": "Groente snijden, soep koken en de tafels dekken met het team.",
        "kind": PlaceKind.VOLUNTEER,
        "sector": Sector.HOSPITALITY,
        "skills_wanted": ["koken"],
        "skills_learned": ["hygiëne in de keuken"],
        "education_offered": ["HACCP"],
        "learning_goals": "Zelfstandig een eenvoudige maaltijd bereiden.",
        "dutch_level": DutchLevel.A2,
        "languages": ["en"],
        "hours_min": 8,
        "hours_max": 16,
        "schedule": ["weekday_morning"],
        "postcode": "3531 AB",
        "city": "Utrecht",
        "remote": False,
        "physical_demand": PhysicalDemand.LIGHT,
        "spots": 2,
        "spots_taken": 0,
        "duration_weeks": 12,
        "mentor": True,
        "supervisor_name": "Ans Bakker",
        "paid_work_prospect": PaidWorkProspect.POSSIBLE,
        "would_be_paid_vacancy": False,
        "replaces_absent_worker": False,
        "replaces_dismissed_worker": False,
        "structural_work": False,
        "works_council": WorksCouncil.NONE,
        "submitted_at": None if status == PlaceStatus.DRAFT else now,
        "published_at": now if status in _EVER_PUBLISHED else None,
        "closed_at": now if status == PlaceStatus.CLOSED else None,
    }
    values.update(fields)
    place = Place(organisation=organisation, status=status, **values)
    db.session.add(place)
    db.session.flush()
    return place


_EVER_PUBLISHED = (PlaceStatus.PUBLISHED, PlaceStatus.PAUSED, PlaceStatus.CLOSED)
