"""The index document of a place: public places only, public fields only (R30, R43)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from marketplace.db import Base
from marketplace.geo.models import PostcodeArea
from marketplace.places.models import PlaceStatus
from marketplace.search.documents import (
    FIELD_SOURCES,
    NO_END_DATE,
    SCHEMA,
    geohash,
    geohash_prefixes,
    place_document,
)
from marketplace.search.index import forget_index
from tests.factories import make_organisation, make_place
from tests.search.indexing import apply, use_fresh_index

TODAY = date(2030, 3, 15)
CANARY = "Zqcanary7w"  # one token, whatever the analyzer does
#: tables about newcomers and their placements: nothing of theirs is ever indexed
NEWCOMER_TABLES = {"newcomer_profile", "newcomer_limit", "placement", "check_in", "plan"}


def _columns():
    return {f"{t.name}.{c.name}": c for t in Base.metadata.sorted_tables for c in t.columns}


def test_every_field_says_where_it_comes_from():
    assert set(FIELD_SOURCES) == set(SCHEMA.names())


def test_every_field_comes_from_public_columns_only():
    columns = _columns()
    for name, sources in FIELD_SOURCES.items():
        for source in sources:
            assert source in columns, f"{name}: no column {source}"
            assert columns[source].info["pii"] == "none", f"{name} is made from {source}"
            assert source.split(".")[0] not in NEWCOMER_TABLES


def test_no_personal_or_special_column_is_indexed():
    """R30: the columns classified personal/special and the index's sources never meet.

    Several names are shared (a place's ``schedule`` and a newcomer's, ``city``, ...), so the
    check is by table and column; a shared name must then come from a public column.
    """
    columns = _columns()
    sensitive = {k for k, c in columns.items() if c.info["pii"] in ("personal", "special")}
    assert sensitive, "the classification is missing"
    sources = {s for group in FIELD_SOURCES.values() for s in group}
    assert sources.isdisjoint(sensitive)
    sensitive_names = {k.split(".")[1] for k in sensitive}
    for name in set(SCHEMA.names()) & sensitive_names:
        own = [s for s in FIELD_SOURCES[name] if s.split(".")[1] == name]
        assert own and all(columns[s].info["pii"] == "none" for s in own), name
    assert "supervisor_name" not in SCHEMA.names()
    assert not {"contact_name", "contact_email", "contact_phone"} & set(SCHEMA.names())


def test_geohash_matches_the_reference_encoding():
    assert geohash(57.64911, 10.40744, 11) == "u4pruydqqvj"  # the example on geohash.org
    assert geohash(52.0907, 5.1214, 6) == "u178kd"  # Utrecht
    assert geohash_prefixes(52.0907, 5.1214) == "u17 u178 u178k u178kd"


def test_a_published_place_becomes_a_document_of_its_public_fields(db_session):
    db_session.add(
        PostcodeArea(
            pc4="3531",
            place_name="Utrecht",
            municipality="Utrecht",
            latitude=52.0907,
            longitude=5.1214,
        )
    )
    place = make_place(
        make_organisation("Buurthuis De Linde"),
        schedule=["weekday_morning", "weekend"],
        skills_wanted=["koken", "klantcontact"],
    )
    doc = place_document(db_session, place, TODAY)
    assert doc["id"] == str(place.id) and doc["version"] == place.version
    assert doc["title"] == place.title and doc["organisation"] == "Buurthuis De Linde"
    assert doc["skills_wanted"] == "koken, klantcontact"
    assert (doc["kind"], doc["sector"], doc["paid_work_prospect"]) == (
        "volunteer",
        "hospitality",
        "possible",
    )
    assert (doc["dutch_level"], doc["physical_demand"]) == (2, 0)  # A2, light
    assert (doc["hours_min"], doc["hours_max"], doc["spots_free"]) == (8, 16, 2)
    assert doc["schedule"] == "weekday_morning weekend"
    assert (doc["remote"], doc["mentor"]) == (False, True)
    assert (doc["city"], doc["municipality"]) == ("utrecht", "utrecht")
    assert doc["geohash"] == "u17 u178 u178k u178kd"
    assert doc["end_date"] == NO_END_DATE
    assert doc["published_at"].tzinfo is None  # naive UTC, as Whoosh's DATETIME wants
    assert set(doc) <= set(SCHEMA.names())


def test_without_postcode_data_a_place_has_no_location_field(db_session):
    doc = place_document(db_session, make_place(make_organisation()), TODAY)
    assert "geohash" not in doc and "municipality" not in doc and doc["city"] == "utrecht"


@pytest.mark.parametrize(
    ("status", "fields"),
    [
        (PlaceStatus.DRAFT, {}),
        (PlaceStatus.SUBMITTED, {}),
        (PlaceStatus.PAUSED, {}),
        (PlaceStatus.CLOSED, {}),
        (PlaceStatus.REJECTED, {}),
        (PlaceStatus.PUBLISHED, {"end_date": TODAY - timedelta(days=1)}),
    ],
    ids=["draft", "submitted", "paused", "closed", "rejected", "ended"],
)
def test_a_place_that_is_not_public_has_no_document(db_session, status, fields):
    place = make_place(make_organisation(), status=status, **fields)
    assert place_document(db_session, place, TODAY) is None


def test_a_place_ending_today_is_still_indexed(db_session):
    place = make_place(make_organisation(), end_date=TODAY)
    assert place_document(db_session, place, TODAY)["end_date"] == 20300315


def test_personal_values_never_reach_the_document_or_the_index_files(
    app, db_session, monkeypatch, tmp_path
):
    """A canary in every personal field of a place and its organisation (R30, R36)."""
    directory = use_fresh_index(app, monkeypatch, tmp_path)
    organisation = make_organisation("Open Atelier")
    organisation.contact_name = f"{CANARY} name"
    organisation.contact_email = f"{CANARY.lower()}@example.nl"
    organisation.contact_phone = "+31 6 12345678"
    place = make_place(organisation, supervisor_name=f"{CANARY} supervisor")
    doc = place_document(db_session, place, date.today())
    assert CANARY.lower() not in repr(doc).lower() and "12345678" not in repr(doc)
    db_session.commit()
    assert apply(db_session).updated == 1
    for path in directory.rglob("*"):
        if path.is_file():
            data = path.read_bytes().lower()
            assert CANARY.lower().encode() not in data and b"12345678" not in data, path
    forget_index(directory)
