"""Data for the races for a place's last spot (security.md R42), through services or pages."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.newcomers.models import NewcomerProfile
from marketplace.organisations.models import Organisation, OrganisationKind
from marketplace.placements.models import Placement, PlacementStatus
from marketplace.places.models import Place, PlaceStatus
from marketplace.vocab import DutchLevel


def seed_race(
    app, newcomers: int, spots: int = 3, free: int = 1, **consultant
) -> tuple[int, list[int]]:
    """A place with ``free`` free spots, and placements the host accepted for newcomers of one
    consultant (``consultant`` sets their account's fields); returns the place's id and the
    placements' ids, committed."""
    with app.app_context(), Session(app.extensions["db"].engine) as setup:  # the data key
        fields = {"email": "c@example.nl", "name": "C", "language": "nl", **consultant}
        adviser = User(role=Role.CONSULTANT, **fields)
        organisation = Organisation(name="Buurtkeuken", kind=OrganisationKind.NONPROFIT)
        setup.add_all([adviser, organisation])
        setup.flush()
        place = Place(
            organisation_id=organisation.id,
            title="Koken",
            remote=True,
            status=PlaceStatus.DRAFT,  # the spot rule does not depend on it
            spots=spots,
            spots_taken=spots - free,
        )
        setup.add(place)
        ids = []
        for n in range(newcomers):
            user = User(email=f"n{n}@example.nl", name=f"N{n}", role=Role.NEWCOMER, language="nl")
            profile = NewcomerProfile(
                user=user,
                consultant_id=adviser.id,
                postcode="3511 AB",
                dutch_level=DutchLevel.A2,
                hours_available=16,
                max_travel_km=10,
            )
            placement = Placement(
                profile=profile, place=place, status=PlacementStatus.ACCEPTED_BY_HOST
            )
            setup.add_all([user, profile, placement])
            setup.flush()
            ids.append(placement.id)
        setup.commit()
        return place.id, ids


def approved_and_taken(app, place_id: int) -> tuple[int, int]:
    """How many placements are approved, and how many spots the place counts as taken."""
    with Session(app.extensions["db"].engine) as check:
        approved = check.scalar(
            sa.select(sa.func.count())
            .select_from(Placement)
            .where(Placement.status == PlacementStatus.APPROVED)
        )
        return approved, check.get(Place, place_id).spots_taken
