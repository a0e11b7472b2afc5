"""Test data with sensible defaults; each factory adds and flushes, the rollback undoes it."""

from __future__ import annotations

import itertools

import pyotp

from marketplace import db
from marketplace.accounts.models import Role, User
from marketplace.accounts.passwords import hash_password
from marketplace.db import utcnow
from marketplace.newcomers.models import NewcomerProfile
from marketplace.organisations.models import Organisation, OrganisationKind
from marketplace.permissions import needs_second_step
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


def totp_code(user: User) -> str:
    """A code of the user's app that has not been used yet.

    Codes work once per 30-second step, and the app accepts the next step too (phone clocks
    drift). Tests log in faster than that: after two logins in one step, forget the step used,
    as if the next code had appeared.
    """
    db.session.refresh(user)
    totp = pyotp.TOTP(user.totp_secret)
    current = int(utcnow().timestamp()) // 30
    for step in (current, current + 1):
        if user.totp_last_step is None or step > user.totp_last_step:
            return totp.generate_otp(step)
    user.totp_last_step = None
    db.session.flush()
    return totp.generate_otp(current)


def make_organisation(name: str | None = None, verified: bool = True) -> Organisation:
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
    mfa: bool = True,
) -> User:
    """A user; consultants and administrators have their authenticator app set up unless
    ``mfa`` is False (see ``totp_code``)."""
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
    if needs_second_step(user) and mfa:
        user.totp_secret = pyotp.random_base32()
        user.mfa_enabled_at = utcnow()
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
