"""Test data with sensible defaults; each factory adds and flushes, the rollback undoes it."""

from __future__ import annotations

import itertools

from marketplace import db
from marketplace.accounts.models import Role, User
from marketplace.accounts.passwords import hash_password
from marketplace.newcomers.models import NewcomerProfile
from marketplace.organisations.models import Organisation, OrganisationKind
from marketplace.vocab import DutchLevel

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
