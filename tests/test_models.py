"""The data model: every column classified for privacy, and the rules the database enforces."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

import marketplace.models  # noqa: F401  (every table)
from marketplace.accounts.models import Role, User
from marketplace.db import PII_CLASSES, Base
from marketplace.encryption import Encrypted, plain_type
from marketplace.newcomers.models import (
    DuplicateLimit,
    NewcomerLimit,
    NewcomerProfile,
    PracticalLimit,
)
from marketplace.placements.models import Placement, PlacementStatus
from marketplace.places.models import PaidWorkProspect, Place, PlaceKind, PlaceStatus, Sector
from marketplace.vocab import DutchLevel, PhysicalDemand
from tests.factories import make_organisation, make_user


def test_every_column_is_classified_for_privacy():
    unclassified = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.tables.values()
        for column in table.columns
        if column.info.get("pii") not in PII_CLASSES
    ]
    assert unclassified == []


def test_health_is_a_closed_list_and_never_free_text():
    special = [
        (table.name, column)
        for table in Base.metadata.tables.values()
        for column in table.columns
        if column.info["pii"] == "special"
    ]
    assert special, "the practical limits must be classified special"
    for table_name, column in special:
        # stored encrypted (R39); what is inside is a closed list or structured JSON
        plain = plain_type(column.type)
        assert isinstance(column.type, Encrypted), f"{table_name}.{column.name} is not encrypted"
        assert isinstance(plain, sa.Enum | sa.JSON), f"{table_name}.{column.name} is free text"
    assert NewcomerLimit.__table__.c.kind.type.enum_class is PracticalLimit


def _place(org, **values) -> Place:
    defaults = {
        "organisation_id": org.id,
        "title": "Koken in de buurtkeuken",
        "description": "Samen koken.",
        "kind": PlaceKind.VOLUNTEER,
        "sector": Sector.FOOD,
        "dutch_level": DutchLevel.A1,
        "hours_min": 8,
        "hours_max": 16,
        "schedule": ["weekday_morning"],
        "postcode": "3531 AB",
        "physical_demand": PhysicalDemand.LIGHT,
        "spots": 2,
        "paid_work_prospect": PaidWorkProspect.NO,
    }
    return Place(**{**defaults, **values})


@pytest.mark.parametrize(
    "values",
    [
        {"hours_min": 20, "hours_max": 10},
        {"hours_min": 0},
        {"hours_max": 41},
        {"spots": 0},
        {"spots": 2, "spots_taken": 3},
        {"spots_taken": -1},
        {"postcode": None, "remote": False, "status": PlaceStatus.SUBMITTED},
        {"spots": None, "status": PlaceStatus.PUBLISHED},
        {"description": None, "status": PlaceStatus.SUBMITTED},
    ],
)
def test_the_database_refuses_an_impossible_place(db_session, values):
    org = make_organisation()
    db_session.add(_place(org, **values))
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()


def test_a_draft_may_be_saved_half_done(db_session):
    org = make_organisation()
    draft = Place(organisation_id=org.id, title="Nog niet af")
    db_session.add(draft)
    db_session.flush()
    assert draft.status == PlaceStatus.DRAFT and draft.spots is None


def test_an_unknown_enum_value_is_refused_by_the_database(db_session):
    org = make_organisation()
    place = _place(org)
    db_session.add(place)
    db_session.flush()
    with pytest.raises(IntegrityError):
        db_session.execute(
            sa.text("UPDATE place SET sector = 'banking' WHERE id = :id"), {"id": place.id}
        )
    db_session.rollback()


def test_email_addresses_are_unique(db_session):
    make_user(Role.ADMIN, email="same@example.nl")
    with pytest.raises(IntegrityError):
        make_user(Role.CONSULTANT, email="same@example.nl")
    db_session.rollback()


def test_one_profile_per_newcomer(db_session):
    user = make_user(Role.NEWCOMER)
    db_session.add(
        NewcomerProfile(
            user_id=user.id,
            postcode="3511 AB",
            dutch_level=DutchLevel.A1,
            hours_available=8,
            max_travel_km=5,
        )
    )
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()


def test_an_employer_always_acts_for_an_organisation(db_session):
    db_session.add(User(email="e@example.nl", name="E", role=Role.EMPLOYER, language="nl"))
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()


def test_one_open_placement_per_newcomer_and_place(db_session):
    org = make_organisation()
    place = _place(org)
    db_session.add(place)
    newcomer = make_user(Role.NEWCOMER)
    profile = db_session.query(NewcomerProfile).filter_by(user_id=newcomer.id).one()
    db_session.add(
        Placement(profile_id=profile.id, place_id=place.id, status=PlacementStatus.WITHDRAWN)
    )
    db_session.add(
        Placement(profile_id=profile.id, place_id=place.id, status=PlacementStatus.INTERESTED)
    )
    db_session.flush()  # a closed one and an open one may exist together
    db_session.add(
        Placement(profile_id=profile.id, place_id=place.id, status=PlacementStatus.PROPOSED)
    )
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()


def test_a_practical_limit_is_stored_once_per_kind(db_session):
    newcomer = make_user(Role.NEWCOMER)
    profile = db_session.query(NewcomerProfile).filter_by(user_id=newcomer.id).one()
    profile.limits.append(NewcomerLimit(kind=PracticalLimit.LIGHT_WORK_ONLY))
    profile.limits.append(NewcomerLimit(kind=PracticalLimit.LIGHT_WORK_ONLY))
    with pytest.raises(DuplicateLimit):  # the app keeps it: the encrypted kind cannot be unique
        db_session.flush()
    db_session.rollback()
