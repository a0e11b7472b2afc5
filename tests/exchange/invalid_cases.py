"""Broken documents for the validation tests: how to break the sample, what must be said."""

from __future__ import annotations

import pytest


def _set(section, index, **values):
    def change(document):
        document[section][index].update(values)

    return change


def _delete(section, index, key):
    def change(document):
        del document[section][index][key]

    return change


def _top(**values):
    def change(document):
        document.update(values)

    return change


ORG0, PL0, NC0 = "organisations[0] (ref org-1)", "places[0] (ref pl-1)", "newcomers[0] (ref nc-1)"
DOC = "document"


def case(name, change, where, field, message):
    """A broken sample and the problem line it must give: ``WHERE, field FIELD: MESSAGE...``."""
    return pytest.param(change, f"{where}, field {field}: {message}", id=name)


CASES = [
    case("unknown key", _set("organisations", 0, colour="red"), ORG0, "colour", "unknown key"),
    case(
        "unknown key near a real one",
        _set("places", 0, skill_wanted=[]),
        PL0,
        "skill_wanted",
        "unknown key in places (did you mean skills_wanted?)",
    ),
    case(
        "missing required key",
        _delete("places", 1, "title"),
        "places[1] (ref pl-2)",
        "title",
        "required key is missing",
    ),
    case(
        "missing newcomer key",
        _delete("newcomers", 2, "max_travel_km"),
        "newcomers[2] (ref nc-3)",
        "max_travel_km",
        "required key is missing",
    ),
    case(
        "bad enum",
        _set("places", 2, sector="space"),
        "places[2] (ref pl-3)",
        "sector",
        "must be one of care, hospitality, retail",
    ),
    case(
        "status not in the format",
        _set("places", 2, status="submitted"),
        "places[2] (ref pl-3)",
        "status",
        "must be one of draft, published, paused, closed, got 'submitted'",
    ),
    case(
        "hours_min > hours_max",
        _set("places", 0, hours_min=20, hours_max=10),
        PL0,
        "hours_min",
        "must not exceed hours_max (20 > 10)",
    ),
    case(
        "hours over 40",
        _set("places", 0, hours_max=41),
        PL0,
        "hours_max",
        "must be at most 40, got 41",
    ),
    case("hours under 1", _set("places", 0, hours_min=0), PL0, "hours_min", "must be at least 1"),
    case(
        "newcomer hours over 40",
        _set("newcomers", 0, hours_available=60),
        NC0,
        "hours_available",
        "must be at most 40",
    ),
    case(
        "spots 0",
        _set("places", 4, spots=0),
        "places[4] (ref pl-5)",
        "spots",
        "must be at least 1, got 0",
    ),
    case(
        "bad postcode",
        _set("places", 1, postcode="1234 SS"),
        "places[1] (ref pl-2)",
        "postcode",
        "must be a Dutch postcode like 1234AB or 1234 AB, got '1234 SS'",
    ),
    case(
        "bad newcomer postcode, not repeated",
        _set("newcomers", 1, postcode="12345"),
        "newcomers[1] (ref nc-2)",
        "postcode",
        "must be a Dutch postcode like 1234AB or 1234 AB\n",
    ),
    case(
        "no postcode and not remote",
        _set("places", 0, postcode=None),
        PL0,
        "postcode",
        "required unless remote is true",
    ),
    case(
        "unknown organisation",
        _set("places", 3, organisation="org-404"),
        "places[3] (ref pl-4)",
        "organisation",
        "no organisation with ref org-404 in the document or the database",
    ),
    case(
        "bad ref characters",
        _set("places", 3, ref="pl 4/x"),
        "places[3] (no valid ref)",
        "ref",
        "must be 1-64 characters from A-Z a-z 0-9 . _ -, got 'pl 4/x'",
    ),
    case(
        "ref too long",
        _set("organisations", 1, ref="x" * 65),
        "organisations[1] (no valid ref)",
        "ref",
        "must be 1-64 characters",
    ),
    case(
        "empty ref",
        _set("newcomers", 0, ref=""),
        "newcomers[0] (no valid ref)",
        "ref",
        "must be 1-64 characters",
    ),
    case(
        "duplicate ref",
        _set("places", 5, ref="pl-1"),
        "places[5] (ref pl-1)",
        "ref",
        "ref pl-1 is used more than once in places (first at [0])",
    ),
    case(
        "string for an integer",
        _set("places", 0, hours_min="8"),
        PL0,
        "hours_min",
        "must be an integer, got a string",
    ),
    case(
        "float for an integer",
        _set("places", 0, spots=2.5),
        PL0,
        "spots",
        "must be an integer, got a number",
    ),
    case(
        "boolean for an integer",
        _set("places", 0, spots=True),
        PL0,
        "spots",
        "must be an integer, got true/false",
    ),
    case(
        "string for a boolean",
        _set("places", 5, remote="yes"),
        "places[5] (ref pl-6)",
        "remote",
        "must be true or false, got a string",
    ),
    case(
        "string for a list",
        _set("places", 0, skills_wanted="bakken"),
        PL0,
        "skills_wanted",
        "must be a list, got a string",
    ),
    case(
        "number in a list",
        _set("places", 0, skills_wanted=["bakken", 3]),
        PL0,
        "skills_wanted[1]",
        "must be a string, got an integer",
    ),
    case(
        "null for a required key",
        _set("organisations", 0, name=None),
        ORG0,
        "name",
        "must be a string, got null",
    ),
    case("empty name", _set("organisations", 0, name="  "), ORG0, "name", "must not be empty"),
    case(
        "string for a number",
        _set("newcomers", 0, max_travel_km="10"),
        NC0,
        "max_travel_km",
        "must be a number, got a string",
    ),
    case(
        "a list for a record",
        lambda d: d["places"].append(["not", "an", "object"]),
        "places[6] (no valid ref)",
        "record",
        "a record must be an object, got a list",
    ),
    case(
        "section is not a list",
        _top(newcomers={"ref": "nc-9"}),
        DOC,
        "newcomers",
        "must be a list, got an object",
    ),
    case("unknown top-level key", _top(employers=[]), DOC, "employers", "unknown key"),
    case(
        "wrong format value",
        _top(format="participation-marketplace/v2"),
        DOC,
        "format",
        "must be 'participation-marketplace/v1', got 'participation-marketplace/v2'",
    ),
    case(
        "missing format",
        lambda d: d.pop("format"),
        DOC,
        "format",
        "must be 'participation-marketplace/v1', missing",
    ),
    case(
        "bad kvk",
        _set("organisations", 0, kvk="1234567"),
        ORG0,
        "kvk",
        "must be 8 digits, got '1234567'",
    ),
    case(
        "script as website",
        _set("organisations", 0, website="javascript:alert(1)"),
        ORG0,
        "website",
        "must be a web address starting with http:// or https://",
    ),
    case(
        "bad date",
        _set("places", 0, start_date="01-03-2026"),
        PL0,
        "start_date",
        "must be a date like 2025-03-01",
    ),
    case(
        "impossible date",
        _set("places", 0, start_date="2026-02-30"),
        PL0,
        "start_date",
        "must be a date like 2025-03-01, got '2026-02-30'",
    ),
    case(
        "bad language code",
        _set("places", 0, languages=["en", "english"]),
        PL0,
        "languages[1]",
        "must be a two-letter ISO 639-1 language code",
    ),
    case(
        "schedule slot twice",
        _set("places", 0, schedule=["weekend", "weekend"]),
        PL0,
        "schedule[1]",
        "is listed twice",
    ),
    case(
        "bad schedule slot",
        _set("newcomers", 1, schedule=["night"]),
        "newcomers[1] (ref nc-2)",
        "schedule[0]",
        "must be one of weekday_morning",
    ),
    case(
        "experience unknown key",
        _set("newcomers", 0, experience=[{"occupation": "kok", "years": 1, "employer": "X"}]),
        NC0,
        "experience[0].employer",
        "unknown key",
    ),
    case(
        "experience missing years",
        _set("newcomers", 0, experience=[{"occupation": "kok"}]),
        NC0,
        "experience[0].years",
        "required key is missing",
    ),
    case(
        "negative years",
        _set("newcomers", 0, experience=[{"occupation": "kok", "years": -1}]),
        NC0,
        "experience[0].years",
        "must not be negative",
    ),
    case(
        "negative travel",
        _set("newcomers", 0, max_travel_km=-3),
        NC0,
        "max_travel_km",
        "must not be negative",
    ),
    case(
        "huge integer for a number",
        _set("newcomers", 0, max_travel_km=10**400),
        NC0,
        "max_travel_km",
        "is too large a number",
    ),
    case(
        "NUL in a text",
        _set("places", 0, description="Koken\x00"),
        PL0,
        "description",
        "must not contain control characters",
    ),
    case(
        "duration 0",
        _set("places", 0, duration_weeks=0),
        PL0,
        "duration_weeks",
        "must be at least 1",
    ),
    case(
        "title too long",
        _set("places", 0, title="x" * 201),
        PL0,
        "title",
        "must be at most 200 characters, got 201",
    ),
]

RAW_CASES = [
    pytest.param(
        "{'format': 'participation-marketplace/v1'}",
        "not JSON: Expecting property name enclosed in double quotes at line 1 column 2",
        id="not JSON",
    ),
    pytest.param('{"format": "participation-marketplace/v1", "places": [', "not JSON", id="cut"),
    pytest.param(b'{"format": "\xff"}', "not UTF-8 text", id="not UTF-8"),
    pytest.param(
        '{"format": "participation-marketplace/v1", "newcomers": [{"max_travel_km": NaN}]}',
        "not JSON: NaN is not a JSON number",
        id="NaN",
    ),
    pytest.param("", "not JSON: Expecting value at line 1 column 1", id="empty file"),
    pytest.param(
        '{"format": "participation-marketplace/v1", "newcomers": [{"max_travel_km": 1e999}]}',
        "not JSON: 1e999 is too large a number",
        id="infinite number",
    ),
    pytest.param("[" * 100_000 + "]" * 100_000, "not JSON: nested too deeply", id="deep"),
]
