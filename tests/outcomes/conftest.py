"""An ended placement of a newcomer in a consultant's caseload, for the outcome tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from marketplace.accounts.models import Role, User
from marketplace.newcomers.models import NewcomerProfile
from marketplace.placements.models import Placement, PlacementStatus
from tests.factories import make_organisation, make_place, make_user
from tests.search.indexing import cooking_newcomer

ENDED_ON = date(2027, 1, 31)


@dataclass
class Ended:
    consultant: User
    newcomer: User
    profile: NewcomerProfile
    placement: Placement


@pytest.fixture
def ended(app, db_session, monkeypatch) -> Ended:
    """A placement completed on 31 January 2027; today is 1 February 2027 (English readers)."""
    monkeypatch.setitem(app.config, "FIXED_TODAY", "2027-02-01")
    consultant = make_user(Role.CONSULTANT, language="en")
    newcomer, profile = cooking_newcomer(db_session)
    profile.consultant_id = consultant.id
    place = make_place(make_organisation("Buurtkeuken"), title="Kok in de buurtkeuken")
    placement = Placement(
        profile_id=profile.id,
        place_id=place.id,
        status=PlacementStatus.COMPLETED,
        started_on=date(2026, 11, 2),
        ended_on=ENDED_ON,
    )
    db_session.add(placement)
    db_session.flush()
    return Ended(consultant, newcomer, profile, placement)
