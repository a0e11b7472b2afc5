"""Newcomer rules: a consultant creates the account and profile, then invites the newcomer."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, contains_eager

from marketplace.accounts.models import Role, User
from marketplace.accounts.services import create_user, invite
from marketplace.audit.services import record_event
from marketplace.domain import DomainError, NotAllowed
from marketplace.geo.services import known_municipality, municipality_for
from marketplace.newcomers.models import NewcomerProfile
from marketplace.permissions import can_invite_newcomer
from marketplace.vocab import DutchLevel, LearningRoute

UNKNOWN_MUNICIPALITY = _l(
    "We do not know this municipality. Choose one from the list, or leave it empty."
)


def create_newcomer(
    dbs: Session,
    consultant: User,
    *,
    name: str,
    email: str,
    language: str,
    postcode: str,
    dutch_level: DutchLevel,
    learning_route: LearningRoute | None,
    municipality: str | None = None,
) -> tuple[NewcomerProfile, str]:
    """Create a newcomer's account and profile in the consultant's caseload; returns the link."""
    if not can_invite_newcomer(consultant):
        raise NotAllowed(_l("Only a consultant can add a newcomer."))
    # the postcode decides where it is known, so one municipality has one spelling; else the
    # name typed must be on the list of municipalities
    where = municipality_for(dbs, postcode)
    if where is None and (municipality or "").strip():
        where = known_municipality(dbs, municipality)
        if where is None:
            raise DomainError(UNKNOWN_MUNICIPALITY, "municipality")
    user = create_user(dbs, email=email, name=name, role=Role.NEWCOMER, language=language)
    profile = NewcomerProfile(
        user=user,
        consultant_id=consultant.id,
        postcode=postcode,
        dutch_level=dutch_level,
        learning_route=learning_route,
        municipality=where,
        hours_available=0,
        schedule=[],
        max_travel_km=0,
    )
    dbs.add(profile)
    dbs.flush()
    record_event(dbs, "newcomer_created", actor=consultant, subject_user_id=user.id, obj=profile)
    return profile, invite(dbs, consultant, user)


def caseload(dbs: Session, consultant: User) -> list[NewcomerProfile]:
    """The consultant's own newcomers with their accounts, by name, in one query.

    Erased and deactivated accounts are left out; an invited newcomer's account is active.
    """
    return list(
        dbs.scalars(
            sa.select(NewcomerProfile)
            .join(NewcomerProfile.user)
            .options(contains_eager(NewcomerProfile.user))
            .where(NewcomerProfile.consultant_id == consultant.id, User.active.is_(True))
            .order_by(User.name, NewcomerProfile.id)
        )
    )


def profile_of(dbs: Session, user: User) -> NewcomerProfile | None:
    """The newcomer's own profile."""
    return dbs.scalar(sa.select(NewcomerProfile).where(NewcomerProfile.user_id == user.id))


def profile_by_ref(dbs: Session, ref: str) -> NewcomerProfile | None:
    """A profile by its exchange ref, or by ``newcomer-ID`` for one made in the app."""
    profile = dbs.scalar(sa.select(NewcomerProfile).where(NewcomerProfile.ref == ref))
    number = re.fullmatch(r"newcomer-([0-9]{1,18})", ref)
    if profile is None and number:
        profile = dbs.get(NewcomerProfile, int(number[1]))
        if profile is not None and profile.ref:
            return None  # it has a ref of its own: only that names it
    return profile
