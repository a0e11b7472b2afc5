"""Parsing postcodes, and locating them and their distances with the real GeoNames data."""

from __future__ import annotations

import pytest

from marketplace.geo.importer import import_postcodes, read_geonames
from marketplace.geo.services import (
    distance_km,
    haversine_km,
    locate,
    lookup,
    municipality_for,
    parse_pc4,
    parse_postcode,
)


@pytest.fixture(scope="module")
def areas(geonames_file) -> list[dict]:
    return read_geonames(geonames_file.read_text(encoding="utf-8").split("\n"))


@pytest.fixture
def imported(db_session, areas):
    import_postcodes(db_session, areas)
    db_session.flush()
    return db_session


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234AB", "1234 AB"),
        ("1234 AB", "1234 AB"),
        ("1234ab", "1234 AB"),
        ("  3511 Ab ", "3511 AB"),
        ("9999ZZ", "9999 ZZ"),
        ("0123 AB", None),  # no postcode starts with 0
        ("123 AB", None),
        ("12345 AB", None),
        ("1234 A", None),
        ("1234 ABC", None),
        ("1234-AB", None),
        ("1234 SA", None),  # SA, SD and SS are never issued
        ("1234sd", None),
        ("1234 SS", None),
        ("AB 1234", None),
        ("١٢٣٤AB", None),  # Arabic-Indic digits
        ("1234 ÄB", None),
        ("", None),
    ],
)
def test_parse_postcode(text, expected):
    assert parse_postcode(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3511", "3511"), (" 3511 ", "3511"), ("3511ab", "3511"), ("3511 SS", None), ("0511", None)],
)
def test_parse_pc4(text, expected):
    assert parse_pc4(text) == expected


def test_haversine():
    dom, dam = (52.0907, 5.1214), (52.3731, 4.8932)  # Utrecht Dom tower, Amsterdam Dam square
    assert haversine_km(*dom, *dom) == 0
    assert 34 < haversine_km(*dom, *dam) < 36
    assert haversine_km(*dom, *dam) == pytest.approx(haversine_km(*dam, *dom))


def test_utrecht_to_amersfoort_is_about_20_km(imported):
    assert 18 < distance_km(imported, "3511AB", "3811 AB") < 23
    assert 18 < distance_km(imported, locate(imported, "3511"), (52.1557, 5.3881)) < 23


def test_lookup_and_municipality(imported):
    assert lookup(imported, "3511 AB").place_name == "Utrecht"
    assert municipality_for(imported, "3221AA") == "Voorne aan Zee"
    assert municipality_for(imported, "9711 AB") == "Groningen"
    assert lookup(imported, "1234 AB") is None  # in the file, but not a real postcode
    assert municipality_for(imported, "not a postcode") is None


def test_locate_falls_back_to_the_city(imported):
    amersfoort = locate(imported, "3811 AB")
    for postcode in ("1234 AB", None, "invalid"):
        centre = locate(imported, postcode, city="  aMERSFOORT ")
        assert haversine_km(*centre, *amersfoort) < 5
    assert locate(imported, "1234 AB", city="Atlantis") is None
    assert locate(imported, "1234 AB") is None
    assert locate(imported, "3811 AB", city="Utrecht") == amersfoort  # the postcode wins


def test_locate_matches_accented_place_names(imported):
    assert locate(imported, None, city="Damwâld") is not None


def test_without_postcode_data_nothing_is_located(db_session):
    assert lookup(db_session, "3511 AB") is None
    assert locate(db_session, "3511 AB", city="Utrecht") is None
    assert distance_km(db_session, "3511 AB", "3811 AB") is None
    assert distance_km(db_session, (52.09, 5.12), None) is None
    assert municipality_for(db_session, "3511 AB") is None
