"""`flask match REF [--limit N] [--json] [--lang]`: a newcomer's best places on the command line."""

from __future__ import annotations

import json

import pytest

from marketplace.newcomers.models import NewcomerProfile
from marketplace.vocab import DutchLevel
from tests.search.indexing import (
    NEAR_AREAS,
    add_postcode_areas,
    cooking_newcomer,
    kitchen_place,
    other_place,
)


@pytest.fixture(autouse=True)
def postcodes(db_session):
    add_postcode_areas(db_session, NEAR_AREAS)


@pytest.fixture
def cook(db_session) -> NewcomerProfile:
    """A newcomer with ref nc-001 who cooks."""
    return cooking_newcomer(db_session)[1]


def match(runner, *args: str):
    return runner.invoke(args=["match", *args])


def match_json(runner, *args: str) -> dict:
    result = match(runner, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_json_prints_the_exchange_document_best_first(db_session, runner, cook):
    kitchen_place(ref="place-017")
    office = other_place()

    document = match_json(runner, "nc-001")

    assert document["newcomer"] == "nc-001"
    assert [m["place"] for m in document["matches"]] == ["place-017", f"place-{office.id}"]
    for found in document["matches"]:
        assert set(found) == {"place", "score", "reasons", "details"}
        assert 0 <= found["score"] <= 1
    assert document["matches"][0]["score"] > document["matches"][1]["score"]
    assert "Uses your skills: koken" in document["matches"][0]["reasons"]


def test_json_is_the_same_document_as_the_api(db_session, runner, client, auth, cook):
    kitchen_place(ref="place-017")
    other_place()
    cook.user.language = "en"
    db_session.flush()
    auth.login(cook.user.email)

    api = client.get("/api/v1/newcomers/nc-001/matches").get_json()

    assert match_json(runner, "nc-001", "--lang", "en") == api


def test_limit_gives_that_many_matches(db_session, runner, cook):
    best = kitchen_place(ref="kitchen")
    other_place()

    document = match_json(runner, "nc-001", "--limit", "1")

    assert [m["place"] for m in document["matches"]] == [best.ref]


def test_a_place_that_breaks_a_hard_constraint_is_left_out(db_session, runner, cook):
    kitchen_place(ref="fits")
    kitchen_place(ref="too-far", postcode="1012 AB", city="Amsterdam")
    kitchen_place(ref="b1-no-mentor", dutch_level=DutchLevel.B1, mentor=False)
    kitchen_place(ref="full", spots=1, spots_taken=1)

    document = match_json(runner, "nc-001")

    assert [m["place"] for m in document["matches"]] == ["fits"]


def test_the_table_lists_places_scores_and_reasons(db_session, runner, cook):
    kitchen_place(ref="place-017")
    office = other_place()

    result = match(runner, "nc-001", "--lang", "en")

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    rows = [line.split() for line in lines if line.strip()[:1].isdigit()]
    assert [row[1] for row in rows] == ["place-017", f"place-{office.id}"]
    assert rows[0][3] == "0.8"  # km
    assert "Kok in de buurtkeuken" in lines[1]
    assert "- Uses your skills: koken" in result.output
    assert "- 0.8 km away" in result.output


def test_no_fitting_place_says_so(db_session, runner, cook):
    kitchen_place(postcode="1012 AB", city="Amsterdam")

    result = match(runner, "nc-001")

    assert result.exit_code == 0, result.output
    assert "No place fits nc-001 now" in result.output


def test_an_unknown_ref_fails_with_a_clear_message(db_session, runner, cook):
    result = match(runner, "nc-999")

    assert result.exit_code != 0
    assert "No newcomer with ref 'nc-999'." in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("limit", ["0", "101", "x"])
def test_a_bad_limit_is_refused(db_session, runner, cook, limit):
    result = match(runner, "nc-001", "--limit", limit)

    assert result.exit_code == 2
    assert "--limit" in result.output


def test_lang_nl_writes_numbers_the_dutch_way(db_session, runner, cook):
    kitchen_place()

    dutch = match_json(runner, "nc-001", "--lang", "nl")["matches"][0]["reasons"]
    english = match_json(runner, "nc-001", "--lang", "en")["matches"][0]["reasons"]

    assert any("0,8 km" in reason for reason in dutch)
    assert "0.8 km away" in english


def test_lang_nl_gives_dutch_reasons(db_session, runner, cook):
    kitchen_place()

    dutch = match_json(runner, "nc-001", "--lang", "nl")["matches"][0]["reasons"]
    english = match_json(runner, "nc-001", "--lang", "en")["matches"][0]["reasons"]

    assert len(dutch) == len(english)
    assert not set(dutch) & set(english)


def test_an_unknown_lang_fails_with_a_clear_message(db_session, runner, cook):
    result = match(runner, "nc-001", "--lang", "klingon")

    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit)  # a usage error, not a crash
    assert "klingon" in result.output
