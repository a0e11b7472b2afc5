"""R27: closed vocabularies, numbers, dates and text lengths are checked on the server.

One table per form, posted through the test client as the role that uses the form: valid
values are stored (read back from the database), and each invalid value is shown at its
field (status 200 or 400 with the message and aria-invalid="true") while the database keeps
what it held before, not even the other, valid fields of the same post.

The place forms have their own table in tests/places/test_validation.py. Dates are judged
against a fixed today, so that the tests do not depend on the real date.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role, User
from marketplace.labels import LANGUAGE_NAMES
from marketplace.newcomers.models import (
    EducationLevel,
    Intake,
    LadderStep,
    NewcomerProfile,
    PracticalLimit,
    ProfileChange,
    TravelMode,
)
from marketplace.newcomers.profile_parts import SHAREABLE
from marketplace.organisations.models import Organisation, OrganisationKind
from marketplace.placements.models import (
    Attendance,
    CheckIn,
    ContractKind,
    FollowUp,
    Outcome,
    OutcomeResult,
    Placement,
    PlacementEvent,
    PlacementStatus,
)
from marketplace.places.models import Place
from marketplace.plans.models import ActivityKind, ActivityStatus, Plan, PlanActivity
from marketplace.vocab import DutchLevel, LearningRoute, PhysicalDemand, Schedule
from tests.factories import make_organisation, make_place, make_user
from tests.places.helpers import invalid_fields
from tests.search.indexing import add_postcode_areas

TODAY = date(2026, 5, 4)
#: the first and last day a typed date may be: five years around today (forms.NearToday)
FIRST_DAY, LAST_DAY = "2021-05-04", "2031-05-04"
BEFORE_FIRST_DAY, AFTER_LAST_DAY = "2021-05-03", "2031-05-05"

TWENTY_TAGS = [f"{n:02d}" + "t" * 38 for n in range(20)]
TOO_MANY_TAGS = ", ".join(f"tag{n}" for n in range(21))
TOO_LONG_TAG = "koken, " + "k" * 41


@pytest.fixture(autouse=True)
def fixed_today(app, monkeypatch):
    monkeypatch.setitem(app.config, "FIXED_TODAY", TODAY.isoformat())


# --- shared helpers -------------------------------------------------------------------------


def signed_in(auth, role: Role, **fields) -> User:
    """A new user with this role who reads English, signed in on the test client."""
    user = make_user(role, language="en", **fields)
    assert auth.login(user.email).status_code == 302, f"could not sign in as {role}"
    return user


def profile_of(dbs, user: User) -> NewcomerProfile:
    return dbs.scalars(sa.select(NewcomerProfile).filter_by(user_id=user.id)).one()


def columns(dbs, model, key) -> dict[str, object]:
    """A row's stored columns, read fresh from the database."""
    dbs.flush()
    dbs.expire_all()
    found = dbs.get(model, key)
    return {column.key: getattr(found, column.key) for column in model.__table__.columns}


def count(dbs, model, **where) -> int:
    dbs.flush()
    return dbs.scalar(sa.select(sa.func.count()).select_from(model).filter_by(**where))


def profile_state(dbs, profile_id: int) -> dict[str, object]:
    """A profile's columns, its practical limits, its ladder and its change history."""
    row = columns(dbs, NewcomerProfile, profile_id)
    profile = dbs.get(NewcomerProfile, profile_id)
    row["limits"] = sorted(limit.kind.value for limit in profile.limits)
    row["changes"] = count(dbs, ProfileChange, profile_id=profile_id)
    row["ladder"] = count(dbs, LadderStep, profile_id=profile_id)
    return row


def post(client, url: str, base: dict, change: dict):
    """Post ``base`` changed by ``change``; a None value in ``change`` leaves the key out."""
    data = {key: value for key, value in {**base, **change}.items() if value is not None}
    return client.post(url, data=data)


def assert_refused(response, field: str) -> None:
    """The form came back (200 or 400) with a message at ``field`` and the field marked."""
    assert response.status_code in (200, 400), response.status_code
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html, f"no error message for {field}"
    assert field in invalid_fields(html), f'{field} is not marked aria-invalid="true"'


def case_id(*parts) -> str:
    return "-".join(str(part)[:30] for part in parts)


def cases(table):
    """pytest params for a table of (form or part, field, change) rows."""
    return [pytest.param(*row, id=case_id(*row)) for row in table]


# --- the consultant adds a newcomer (/caseload/new) ------------------------------------------

NEW = {
    "name": "Samira Nieuw",
    "email": "samira@example.nl",
    "language": "en",
    "postcode": "3511 AB",
    "dutch_level": "A1",
    "learning_route": "b1",
    "municipality": "Zeist",
}
#: the postcode data knows Zeist, not the newcomer's postcode: the municipality typed counts
ZEIST = {"3701": ("Zeist", 52.0893, 5.2331)}

#: (field, value posted, value stored on the account or the profile)
NEW_VALID = [
    *[("dutch_level", level.value, level) for level in DutchLevel],
    *[("learning_route", route.value, route) for route in LearningRoute],
    ("learning_route", "", None),
    *[("language", code, code) for code in ("nl", "ar", "tr", "ti", "fa")],
    ("postcode", " 3511ab ", "3511 AB"),
    ("municipality", " zeist ", "Zeist"),
    ("municipality", "", None),
    ("name", "n" * 120, "n" * 120),
]

NEW_INVALID = [
    *[
        ("dutch_level", {"dutch_level": level})
        for level in ("C2", "C3", "A0", "Z9", "b1", "native", "")
    ],
    *[("learning_route", {"learning_route": route}) for route in ("b2", "Z", "route", "B1")],
    *[("language", {"language": code}) for code in ("de", "xx", "EN", "")],
    *[
        ("postcode", {"postcode": code})
        for code in ("0123 AB", "1234 SS", "12345", "3511 ABC", "3511", "")
    ],
    ("municipality", {"municipality": "Zeist-West"}),
    ("municipality", {"municipality": "Atlantis"}),
    ("municipality", {"municipality": "m" * 101}),
    ("name", {"name": ""}),
    ("name", {"name": "n" * 121}),
    ("email", {"email": "samira-at-example"}),
    ("email", {"email": "s" * 246 + "@example.nl"}),
]


@pytest.fixture
def consultant(db_session, auth):
    add_postcode_areas(db_session, ZEIST)
    return signed_in(auth, Role.CONSULTANT)


@pytest.mark.parametrize(("field", "value", "stored"), NEW_VALID, ids=lambda v: str(v)[:30])
def test_a_new_newcomer_stores_each_allowed_value(
    db_session, client, consultant, field, value, stored
):
    response = client.post("/caseload/new", data={**NEW, field: value})

    assert response.status_code == 200 and "Invitation ready" in response.get_data(as_text=True)
    user = db_session.scalars(sa.select(User).filter_by(email=NEW["email"])).one()
    profile = profile_of(db_session, user)
    assert getattr(user if field in ("name", "language") else profile, field) == stored
    assert profile.consultant_id == consultant.id


@pytest.mark.parametrize(("field", "change"), cases(NEW_INVALID))
def test_a_new_newcomer_with_a_value_off_the_list_is_not_added(
    db_session, client, consultant, field, change
):
    profiles = count(db_session, NewcomerProfile)

    response = post(client, "/caseload/new", NEW, change)

    assert_refused(response, field)
    assert count(db_session, NewcomerProfile) == profiles
    assert count(db_session, User, email=NEW["email"]) == 0


# --- the newcomer's own profile (/me/profile/<part>) -----------------------------------------

#: a valid post of every part, unlike what the factory's profile holds
PART_DATA: dict[str, dict[str, object]] = {
    "work": {
        "skills": "koken, naaien",
        "experience": "Kok, 5\nChauffeur",
        "work_goals": "kok",
        "interests": "voetbal",
        "motivation": "Werken met mensen.",
    },
    "education": {
        "education_level": "vocational",
        "education_field": "Verpleging",
        "diploma_recognised": "unknown",
        "education_goals": "MBO-2 kok",
    },
    "languages": {
        "dutch_level": "B1",
        "dutch_reading": "B2",
        "dutch_listening": "",
        "dutch_speaking": "A2",
        "dutch_writing": "A1",
        "languages": ["ar", "tr"],
    },
    "availability": {
        "schedule": ["weekday_afternoon", "weekend"],
        "hours_available": "12",
        "postcode": "3512ab",
        "max_travel_km": "8",
        "travel_mode": "bike",
    },
    "limits": {"limits": ["light_work_only", "no_night_shifts"], "physical_capacity": "light"},
    "sharing": {"shares_with_employers": ["skills"], "allows_matching": "no"},
}

TEN_JOBS = "\n".join(f"{n}" + "j" * 99 + ", 60" for n in range(10))

#: (part, data changed from PART_DATA, what the profile then holds)
PART_VALID = [
    ("work", {}, {"skills": ["koken", "naaien"], "work_goals": ["kok"]}),
    ("work", {"skills": ", ".join(TWENTY_TAGS)}, {"skills": TWENTY_TAGS}),
    ("work", {"interests": ", ".join(TWENTY_TAGS)}, {"interests": TWENTY_TAGS}),
    ("work", {"motivation": "m" * 2000}, {"motivation": "m" * 2000}),
    (
        "work",
        {"experience": TEN_JOBS},
        {"experience": [{"occupation": f"{n}" + "j" * 99, "years": 60.0} for n in range(10)]},
    ),
    *[
        ("education", {"education_level": level.value}, {"education_level": level})
        for level in EducationLevel
    ],
    ("education", {"education_field": "e" * 200}, {"education_field": "e" * 200}),
    ("education", {"diploma_recognised": "yes"}, {"diploma_recognised": True}),
    ("education", {"diploma_recognised": "no"}, {"diploma_recognised": False}),
    ("education", {"education_goals": ", ".join(TWENTY_TAGS)}, {"education_goals": TWENTY_TAGS}),
    *[("languages", {"dutch_level": lv.value}, {"dutch_level": lv}) for lv in DutchLevel],
    *[
        ("languages", {skill: lv.value}, {skill: lv})
        for skill in ("dutch_reading", "dutch_listening", "dutch_speaking", "dutch_writing")
        for lv in (DutchLevel.NONE, DutchLevel.C1)
    ],
    ("languages", {"dutch_reading": ""}, {"dutch_reading": None}),
    ("languages", {"languages": list(LANGUAGE_NAMES)}, {"languages": list(LANGUAGE_NAMES)}),
    ("languages", {"languages": None}, {"languages": []}),
    *[("availability", {"schedule": [s.value]}, {"schedule": [s.value]}) for s in Schedule],
    ("availability", {"schedule": None}, {"schedule": []}),
    ("availability", {"hours_available": "0"}, {"hours_available": 0}),
    ("availability", {"hours_available": "40"}, {"hours_available": 40}),
    ("availability", {"max_travel_km": "0"}, {"max_travel_km": 0}),
    ("availability", {"max_travel_km": "100"}, {"max_travel_km": 100}),
    *[("availability", {"travel_mode": m.value}, {"travel_mode": m}) for m in TravelMode],
    ("availability", {"postcode": " 1234 ab "}, {"postcode": "1234 AB"}),
    *[("limits", {"limits": [k.value]}, {"limits": [k.value]}) for k in PracticalLimit],
    ("limits", {"limits": None}, {"limits": []}),
    *[("limits", {"physical_capacity": d.value}, {"physical_capacity": d}) for d in PhysicalDemand],
    (
        "sharing",
        {"shares_with_employers": list(SHAREABLE)},
        {"shares_with_employers": list(SHAREABLE)},
    ),
    ("sharing", {"allows_matching": "yes"}, {"allows_matching": True}),
]

ELEVEN_JOBS = "\n".join(f"Kok {n}" for n in range(11))

#: (part, the field that must be marked, the data changed from PART_DATA)
PART_INVALID = [
    *[("work", tags, {tags: TOO_MANY_TAGS}) for tags in ("skills", "work_goals", "interests")],
    *[("work", tags, {tags: TOO_LONG_TAG}) for tags in ("skills", "work_goals", "interests")],
    ("work", "motivation", {"motivation": "m" * 2001}),
    ("work", "experience", {"experience": ELEVEN_JOBS}),
    ("work", "experience", {"experience": "k" * 101}),
    ("work", "experience", {"experience": "Kok, 61"}),
    *[
        ("education", "education_level", {"education_level": level})
        for level in ("phd", "diagnosis", "Master")
    ],
    ("education", "education_field", {"education_field": "e" * 201}),
    *[
        ("education", "diploma_recognised", {"diploma_recognised": answer})
        for answer in ("maybe", "true", "1")
    ],
    ("education", "education_goals", {"education_goals": TOO_MANY_TAGS}),
    ("education", "education_goals", {"education_goals": TOO_LONG_TAG}),
    *[
        ("languages", "dutch_level", {"dutch_level": level})
        for level in ("C2", "C3", "A0", "Z9", "b1", "native", "")
    ],
    *[
        ("languages", skill, {skill: level})
        for skill in ("dutch_reading", "dutch_listening", "dutch_speaking", "dutch_writing")
        for level in ("C3", "Z9")
    ],
    ("languages", "dutch_reading", {"dutch_reading": "C2"}),
    ("languages", "languages", {"languages": ["ar", "xx"]}),
    ("languages", "languages", {"languages": ["klingon"]}),
    ("languages", "languages", {"languages": ["nl"]}),  # Dutch has its own levels
    ("languages", "languages", {"languages": "AR"}),
    *[
        ("availability", "schedule", {"schedule": value})
        for value in (
            "monday_night",
            ["weekday_morning", "weekend_night"],
            "WEEKEND",
            "night",
            "monday",
        )
    ],
    *[
        ("availability", "hours_available", {"hours_available": hours})
        for hours in ("-1", "41", "1000000000000000000000", "veel", "1.5", "1e1", "")
    ],
    *[
        ("availability", "max_travel_km", {"max_travel_km": km})
        for km in ("-3", "101", "7.5", "far", "")
    ],
    *[
        ("availability", "travel_mode", {"travel_mode": mode})
        for mode in ("plane", "teleport", "BIKE")
    ],
    *[
        ("availability", "postcode", {"postcode": code})
        for code in ("0123 AB", "1234 SS", "12345", "3512 ABC", "")
    ],
    *[
        ("limits", "limits", {"limits": kinds})
        for kinds in (
            ["diagnosis"],
            ["diabetes"],
            ["light_work_only", "pregnant"],
            "LIGHT_WORK_ONLY",
        )
    ],
    *[
        ("limits", "physical_capacity", {"physical_capacity": demand})
        for demand in ("extreme", "none", "Light", "")
    ],
    *[
        ("sharing", "shares_with_employers", {"shares_with_employers": keys})
        for keys in (["schedule"], ["skills", "limits"], ["physical_capacity"], ["postcode"])
    ],
    *[("sharing", "allows_matching", {"allows_matching": answer}) for answer in ("maybe", "")],
]


@pytest.fixture
def newcomer(db_session, auth) -> NewcomerProfile:
    """A signed-in newcomer; the profile is the factory's (3511 AB, A2, 16 hours...)."""
    return profile_of(db_session, signed_in(auth, Role.NEWCOMER))


@pytest.mark.parametrize(("part", "change", "stored"), PART_VALID, ids=lambda v: str(v)[:30])
def test_each_allowed_profile_value_is_stored(db_session, client, newcomer, part, change, stored):
    response = post(client, f"/me/profile/{part}", PART_DATA[part], change)

    assert response.status_code == 302, response.get_data(as_text=True)
    row = profile_state(db_session, newcomer.id)
    assert {field: row[field] for field in stored} == stored


@pytest.mark.parametrize(("part", "field", "change"), cases(PART_INVALID))
def test_a_profile_value_off_the_list_is_explained_and_nothing_is_stored(
    db_session, client, newcomer, part, field, change
):
    before = profile_state(db_session, newcomer.id)

    response = post(client, f"/me/profile/{part}", PART_DATA[part], change)

    assert_refused(response, field)
    assert profile_state(db_session, newcomer.id) == before


#: the consultant corrects a profile with the same forms and the same checks
CONSULTANT_PART_INVALID = [
    ("languages", "dutch_level", {"dutch_level": "C3"}),
    ("availability", "schedule", {"schedule": "monday_night"}),
    ("availability", "hours_available", {"hours_available": "41"}),
    ("limits", "limits", {"limits": ["diagnosis"]}),
    ("limits", "physical_capacity", {"physical_capacity": "extreme"}),
    ("education", "education_field", {"education_field": "e" * 201}),
]


@pytest.mark.parametrize(("part", "field", "change"), cases(CONSULTANT_PART_INVALID))
def test_a_consultants_correction_off_the_list_is_refused_too(
    db_session, client, auth, part, field, change
):
    consultant = signed_in(auth, Role.CONSULTANT)
    profile = profile_of(db_session, make_user(Role.NEWCOMER, language="en"))
    profile.consultant_id = consultant.id
    before = profile_state(db_session, profile.id)

    url = f"/caseload/newcomer-{profile.id}/profile/{part}"
    response = post(client, url, PART_DATA[part], change)

    assert_refused(response, field)
    assert profile_state(db_session, profile.id) == before


# --- the first conversation (/caseload/<ref>/intake) ----------------------------------------

TALK = {
    "held_on": "2026-05-01",
    "what_matters": "Mijn kinderen, en weer in een keuken staan.",
    "motivation": "Ik wil mijn eigen geld verdienen.",
    "capabilities": "Koken voor veel mensen.",
    "learning_wishes": "Nederlands tot B1.",
    "limits": ["school_hours_only"],
    "hours_available": "12",
    "agreements": "Samen naar het taalcafé.",
    "rung": "2",
    "rung_reason": "Heeft contact met buren.",
}
INTAKE_TEXTS = ("what_matters", "motivation", "capabilities", "learning_wishes", "agreements")

#: (data changed from TALK, what is then stored: intake.x, step.x or profile.x)
INTAKE_VALID = [
    ({"held_on": TODAY.isoformat()}, {"intake.held_on": TODAY, "step.recorded_on": TODAY}),
    ({"held_on": FIRST_DAY}, {"intake.held_on": date(2021, 5, 4)}),
    *[({"rung": str(rung)}, {"step.rung": rung}) for rung in range(1, 7)],
    ({"rung_reason": "r" * 500}, {"step.reason": "r" * 500}),
    *[({"limits": [k.value]}, {"profile.limits": [k.value]}) for k in PracticalLimit],
    ({"limits": None}, {"profile.limits": []}),
    ({"hours_available": "0"}, {"profile.hours_available": 0}),
    ({"hours_available": "40"}, {"profile.hours_available": 40}),
    *[({text: "t" * 2000}, {f"intake.{text}": "t" * 2000}) for text in INTAKE_TEXTS],
]

INTAKE_INVALID = [
    *[
        ("held_on", {"held_on": day})
        for day in (
            "2026-05-05",  # the future
            "2026-02-30",
            "2026-13-01",
            "04-05-2026",
            BEFORE_FIRST_DAY,
            "9999-12-31",
            "",
        )
    ],
    *[("rung", {"rung": rung}) for rung in ("0", "7", "-1", "six", "")],
    ("rung_reason", {"rung_reason": ""}),
    ("rung_reason", {"rung_reason": "r" * 501}),
    *[
        ("limits", {"limits": kinds})
        for kinds in (["diagnosis"], ["depression"], ["school_hours_only", "pregnancy"])
    ],
    *[("hours_available", {"hours_available": hours}) for hours in ("-1", "41", "twelve", "")],
    *[(text, {text: "t" * 2001}) for text in INTAKE_TEXTS],
]


@pytest.fixture
def talk(db_session, auth):
    """A signed-in consultant and a newcomer of their caseload: (profile, intake URL)."""
    consultant = signed_in(auth, Role.CONSULTANT)
    profile = profile_of(db_session, make_user(Role.NEWCOMER, language="en"))
    profile.consultant_id = consultant.id
    db_session.flush()
    return profile, f"/caseload/newcomer-{profile.id}/intake"


def intake_state(dbs, profile_id: int) -> dict[str, object]:
    intake = dbs.scalars(sa.select(Intake).filter_by(profile_id=profile_id)).one_or_none()
    return {
        "profile": profile_state(dbs, profile_id),
        "intake": intake and columns(dbs, Intake, intake.id),
    }


@pytest.mark.parametrize(("change", "stored"), INTAKE_VALID, ids=lambda v: str(v)[:30])
def test_each_allowed_intake_value_is_stored(db_session, client, talk, change, stored):
    profile, url = talk

    response = post(client, url, TALK, change)

    assert response.status_code == 302, response.get_data(as_text=True)
    rows = {
        "intake": columns(db_session, Intake, _intake_id(db_session, profile)),
        "step": _starting_step(db_session, profile),
        "profile": profile_state(db_session, profile.id),
    }
    for key, value in stored.items():
        table, field = key.split(".")
        assert rows[table][field] == value, key


def _intake_id(dbs, profile) -> int:
    return dbs.scalars(sa.select(Intake.id).filter_by(profile_id=profile.id)).one()


def _starting_step(dbs, profile) -> dict[str, object]:
    step = dbs.scalars(sa.select(LadderStep.id).filter_by(profile_id=profile.id)).one()
    return columns(dbs, LadderStep, step)


@pytest.mark.parametrize(("field", "change"), cases(INTAKE_INVALID))
def test_an_intake_value_off_the_list_is_explained_and_nothing_is_stored(
    db_session, client, talk, field, change
):
    profile, url = talk
    before = intake_state(db_session, profile.id)
    assert before["intake"] is None and before["profile"]["ladder"] == 0

    response = post(client, url, TALK, change)

    assert_refused(response, field)
    assert intake_state(db_session, profile.id) == before


# --- check-ins (/caseload/placements/<id>/check-in) ------------------------------------------

CHECK_IN = {
    "held_on": "2026-05-01",
    "ladder_rung": "4",
    "rung_reason": "Werkt zelfstandig mee in de keuken.",
    "attendance": "good",
    "hours_worked": "12",
    "counts_for_map": "y",
    "skills_gained": "Snijden.",
    "dutch_progress": "Begrijpt de werkinstructies.",
    "newcomer_words": "Ik leer veel nieuwe woorden.",
    "next_steps": "Zelf de soep maken.",
    "next_check_in_on": "2026-06-01",
}
CHECK_IN_TEXTS = ("rung_reason", "skills_gained", "dutch_progress", "newcomer_words", "next_steps")

CHECK_IN_VALID = [
    *[({"attendance": a.value}, {"attendance": a}) for a in Attendance],
    *[({"ladder_rung": str(rung)}, {"ladder_rung": rung}) for rung in range(1, 7)],
    ({"hours_worked": "0"}, {"hours_worked": 0}),
    ({"hours_worked": "500"}, {"hours_worked": 500}),
    ({"counts_for_map": None}, {"counts_for_map": False}),
    ({"held_on": TODAY.isoformat()}, {"held_on": TODAY}),
    ({"held_on": "2026-04-01"}, {"held_on": date(2026, 4, 1)}),  # the day it started
    ({"next_check_in_on": LAST_DAY}, {"next_check_in_on": date(2031, 5, 4)}),
    ({"next_check_in_on": "2026-05-02"}, {"next_check_in_on": date(2026, 5, 2)}),
    ({"next_check_in_on": ""}, {"next_check_in_on": None}),
    *[({text: "t" * 2000}, {text: "t" * 2000}) for text in CHECK_IN_TEXTS],
]

CHECK_IN_INVALID = [
    *[
        ("attendance", {"attendance": value})
        for value in ("excellent", "absent", "GOOD", "sick", "")
    ],
    *[("ladder_rung", {"ladder_rung": rung}) for rung in ("0", "7", "four", "")],
    *[("hours_worked", {"hours_worked": hours}) for hours in ("-1", "501", "12.5", "many", "")],
    *[
        ("held_on", {"held_on": day})
        # the future, impossible days, before the placement started (2026-04-01), bad shapes
        for day in (
            "2026-05-05",
            "2026-02-29",
            "2026-04-31",
            "2026-03-31",
            BEFORE_FIRST_DAY,
            "1-5-2026",
            "",
        )
    ],
    *[
        ("next_check_in_on", {"next_check_in_on": day})
        for day in ("2026-05-01", "2026-04-01", AFTER_LAST_DAY, "2027-02-29", "soon")
    ],
    *[(text, {text: "t" * 2001}) for text in CHECK_IN_TEXTS],
]


@pytest.fixture
def active(db_session, auth) -> Placement:
    """An active placement of a newcomer in the signed-in consultant's caseload."""
    consultant = signed_in(auth, Role.CONSULTANT)
    profile = profile_of(db_session, make_user(Role.NEWCOMER, language="en"))
    profile.consultant_id = consultant.id
    placement = Placement(
        profile_id=profile.id,
        place_id=make_place(make_organisation(), spots_taken=1).id,
        status=PlacementStatus.ACTIVE,
        started_on=date(2026, 4, 1),
    )
    db_session.add(placement)
    db_session.flush()
    return placement


def check_in_state(dbs, placement: Placement) -> dict[str, object]:
    return {
        "check_ins": count(dbs, CheckIn, placement_id=placement.id),
        "profile": profile_state(dbs, placement.profile_id),
        "placement": columns(dbs, Placement, placement.id),
    }


@pytest.mark.parametrize(("change", "stored"), CHECK_IN_VALID, ids=lambda v: str(v)[:30])
def test_each_allowed_check_in_value_is_stored(db_session, client, active, change, stored):
    response = post(client, f"/caseload/placements/{active.id}/check-in", CHECK_IN, change)

    assert response.status_code == 302, response.get_data(as_text=True)
    found = db_session.scalars(sa.select(CheckIn.id).filter_by(placement_id=active.id)).one()
    row = columns(db_session, CheckIn, found)
    assert {field: row[field] for field in stored} == stored


@pytest.mark.parametrize(("field", "change"), cases(CHECK_IN_INVALID))
def test_a_check_in_value_off_the_list_is_explained_and_nothing_is_stored(
    db_session, client, active, field, change
):
    before = check_in_state(db_session, active)

    response = post(client, f"/caseload/placements/{active.id}/check-in", CHECK_IN, change)

    assert_refused(response, field)
    assert check_in_state(db_session, active) == before


# --- the dated steps of a placement (/caseload/placements/<id>/<step>) -----------------------
#
# These small forms sit on the placements page: a refusal comes back as a message on that page
# (302, then the message), not as a form of its own.

#: (step, data posted, what the placement then holds)
DONE = PlacementStatus.COMPLETED
STEP_VALID = [
    ("complete", {"on": TODAY.isoformat()}, {"status": DONE, "ended_on": TODAY}),
    ("complete", {"on": "2026-04-01"}, {"status": DONE, "ended_on": date(2026, 4, 1)}),
    ("complete", {"on": ""}, {"status": DONE, "ended_on": None}),
    (
        "end_early",
        {"on": "2026-05-01", "reason": "r" * 1000},
        {"status": PlacementStatus.ENDED_EARLY, "ended_on": date(2026, 5, 1)},
    ),
]

#: (step, data posted, the message shown)
STEP_INVALID = [
    *[
        ("complete", {"on": day}, "Fill in a date, like 2027-06-30.")
        for day in ("2026-02-30", "2026-13-01", "soon", "30-04-2026")
    ],
    ("complete", {"on": AFTER_LAST_DAY}, "Fill in a date between"),
    ("complete", {"on": BEFORE_FIRST_DAY}, "Fill in a date between"),
    ("end_early", {"on": "2026-05-01", "reason": "r" * 1001}, "Keep it under 1000 characters."),
    ("end_early", {"on": "2026-05-01", "reason": "  "}, "Give a short reason."),
    ("end_early", {"on": "2026-02-30", "reason": "Verhuisd."}, "Fill in a date, like 2027-06-30."),
    # before the placement started on 2026-04-01
    ("complete", {"on": "2026-03-31"}, "The end cannot be before the start (April 1, 2026)."),
    ("end_early", {"on": FIRST_DAY, "reason": "Verhuisd."}, "The end cannot be before the start"),
]


def placement_state(dbs, placement: Placement) -> dict[str, object]:
    return {
        "placement": columns(dbs, Placement, placement.id),
        "events": count(dbs, PlacementEvent, placement_id=placement.id),
        "spots_taken": columns(dbs, Place, placement.place_id)["spots_taken"],
    }


@pytest.mark.parametrize(("step", "data", "stored"), STEP_VALID, ids=lambda v: str(v)[:30])
def test_each_allowed_step_date_is_stored(db_session, client, active, step, data, stored):
    response = client.post(f"/caseload/placements/{active.id}/{step}", data=data)

    assert response.status_code == 302
    row = columns(db_session, Placement, active.id)
    assert {field: row[field] for field in stored} == stored


@pytest.mark.parametrize(("step", "data", "message"), cases(STEP_INVALID))
def test_a_step_with_a_bad_date_or_reason_is_explained_and_nothing_is_stored(
    db_session, client, active, step, data, message
):
    before = placement_state(db_session, active)

    response = client.post(f"/caseload/placements/{active.id}/{step}", data=data)

    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "utrecht-alert--error" in page and message in page
    assert placement_state(db_session, active) == before


# --- the host's view of a check-in (/organisation/check-ins/<id>/view) -----------------------


@pytest.fixture
def host_check_in(db_session, client, auth, active) -> CheckIn:
    """A check-in of the active placement, and its host signed in (instead of the consultant)."""
    place = db_session.get(Place, active.place_id)
    check_in = CheckIn(placement=active, held_on=date(2026, 5, 1), ladder_rung=4, attendance="good")
    db_session.add(check_in)
    db_session.flush()
    auth.logout()
    signed_in(auth, Role.EMPLOYER, organisation=place.organisation)
    return check_in


@pytest.mark.parametrize(
    ("view", "stored"), [("v" * 2000, "v" * 2000), ("  Komt op tijd. ", "Komt op tijd.")]
)
def test_the_hosts_view_is_stored(db_session, client, host_check_in, view, stored):
    response = client.post(f"/organisation/check-ins/{host_check_in.id}/view", data={"view": view})
    assert response.status_code == 302
    assert columns(db_session, CheckIn, host_check_in.id)["host_view"] == stored


@pytest.mark.parametrize(
    ("view", "message"),
    [("v" * 2001, "Keep it under 2000 characters."), ("   ", "Write how you see it.")],
    ids=["too long", "spaces"],
)
def test_a_bad_host_view_is_explained_and_nothing_is_stored(
    db_session, client, host_check_in, view, message
):
    before = columns(db_session, CheckIn, host_check_in.id)

    response = client.post(f"/organisation/check-ins/{host_check_in.id}/view", data={"view": view})

    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "utrecht-alert--error" in page and message in page
    assert columns(db_session, CheckIn, host_check_in.id) == before


# --- outcomes (/caseload/placements/<id>/outcome) and follow-ups -----------------------------

PAID = {
    "result": "paid_job_host",
    "explanation": "",
    "hours_per_week": "32",
    "contract": "permanent",
}
NOT_PAID = {"hours_per_week": "", "contract": ""}
REASON = {"explanation": "Verhuisd naar een andere stad."}

OUTCOME_VALID = [
    *[
        ({"result": r.value, **NOT_PAID, **REASON}, {"result": r})
        for r in OutcomeResult
        if r not in (OutcomeResult.PAID_JOB_HOST, OutcomeResult.PAID_JOB)
    ],
    ({"result": "paid_job"}, {"result": OutcomeResult.PAID_JOB, "first.hours_per_week": 32}),
    *[({"contract": c.value}, {"first.contract": c}) for c in ContractKind],
    ({"contract": ""}, {"first.contract": None}),
    ({"hours_per_week": "0"}, {"first.hours_per_week": 0}),
    ({"hours_per_week": "80"}, {"first.hours_per_week": 80}),
    ({"hours_per_week": ""}, {"first.hours_per_week": None}),
    ({"explanation": "e" * 2000}, {"explanation": "e" * 2000}),
]

OUTCOME_INVALID = [
    *[
        ("result", {"result": value})
        for value in ("fired", "PAID_JOB", "paid_job_host ", "diagnosis", "")
    ],
    *[("contract", {"contract": value}) for value in ("zero_hours", "freelance", "Permanent")],
    *[("hours_per_week", {"hours_per_week": hours}) for hours in ("-1", "81", "32.5", "veel")],
    ("explanation", {"explanation": "e" * 2001}),
    ("explanation", {"result": "stopped", **NOT_PAID, "explanation": "  "}),
    ("hours_per_week", {"result": "education", "contract": "", "hours_per_week": "20"}),
    ("contract", {"result": "education", "hours_per_week": "", "contract": "on_call"}),
]


@pytest.fixture
def ended(db_session, auth) -> Placement:
    """A placement completed on 30 April 2026, of the signed-in consultant's newcomer."""
    consultant = signed_in(auth, Role.CONSULTANT)
    profile = profile_of(db_session, make_user(Role.NEWCOMER, language="en"))
    profile.consultant_id = consultant.id
    placement = Placement(
        profile_id=profile.id,
        place_id=make_place(make_organisation()).id,
        status=PlacementStatus.COMPLETED,
        started_on=date(2026, 1, 5),
        ended_on=date(2026, 4, 30),
    )
    db_session.add(placement)
    db_session.flush()
    return placement


def outcome_state(dbs, placement: Placement) -> dict[str, object]:
    return {
        "outcomes": count(dbs, Outcome, placement_id=placement.id),
        "follow_ups": count(dbs, FollowUp),
        "profile": profile_state(dbs, placement.profile_id),
    }


@pytest.mark.parametrize(("change", "stored"), OUTCOME_VALID, ids=lambda v: str(v)[:40])
def test_each_allowed_outcome_value_is_stored(db_session, client, ended, change, stored):
    response = post(client, f"/caseload/placements/{ended.id}/outcome", PAID, change)

    assert response.status_code == 302, response.get_data(as_text=True)
    outcome = db_session.scalars(sa.select(Outcome).filter_by(placement_id=ended.id)).one()
    first = next(f for f in outcome.follow_ups if f.months == 3)
    rows = {"outcome": columns(db_session, Outcome, outcome.id)}
    rows["first"] = columns(db_session, FollowUp, first.id)
    for key, value in stored.items():
        table, field = key.split(".") if "." in key else ("outcome", key)
        assert rows[table][field] == value, key


@pytest.mark.parametrize(("field", "change"), cases(OUTCOME_INVALID))
def test_an_outcome_value_off_the_list_is_explained_and_nothing_is_stored(
    db_session, client, ended, field, change
):
    before = outcome_state(db_session, ended)
    assert before["outcomes"] == 0

    response = post(client, f"/caseload/placements/{ended.id}/outcome", PAID, change)

    assert_refused(response, field)
    assert outcome_state(db_session, ended) == before


FOLLOW_UP = {
    "in_paid_work": "yes",
    "hours_per_week": "32",
    "contract": "permanent",
    "in_education": "no",
    "ladder_rung": "6",
    "notes": "Werkt als kok.",
}
NOT_WORKING = {"in_paid_work": "no", "hours_per_week": "", "contract": ""}

FOLLOW_UP_VALID = [
    ({}, {"in_paid_work": True, "hours_per_week": 32, "in_education": False}),
    (NOT_WORKING, {"in_paid_work": False, "hours_per_week": None, "contract": None}),
    ({"in_education": "yes"}, {"in_education": True}),
    *[({"contract": c.value}, {"contract": c}) for c in ContractKind],
    ({"contract": ""}, {"contract": None}),
    ({"hours_per_week": "0"}, {"hours_per_week": 0}),
    ({"hours_per_week": "80"}, {"hours_per_week": 80}),
    *[({"ladder_rung": str(rung)}, {"ladder_rung": rung}) for rung in range(1, 7)],
    ({"ladder_rung": ""}, {"ladder_rung": None}),
    ({"notes": "n" * 2000}, {"notes": "n" * 2000}),
]

FOLLOW_UP_INVALID = [
    *[("in_paid_work", {"in_paid_work": value}) for value in ("maybe", "Yes", "1", "")],
    *[("in_education", {"in_education": value}) for value in ("perhaps", "true", "")],
    *[("ladder_rung", {"ladder_rung": rung}) for rung in ("0", "7", "-1", "six")],
    *[("contract", {"contract": value}) for value in ("zero_hours", "ON_CALL", "diagnosis")],
    *[("hours_per_week", {"hours_per_week": hours}) for hours in ("-1", "81", "4.5", "veel")],
    ("hours_per_week", {"hours_per_week": ""}),  # paid work needs its hours
    ("hours_per_week", {**NOT_WORKING, "hours_per_week": "20"}),
    ("contract", {**NOT_WORKING, "contract": "temporary"}),
    ("notes", {"notes": "n" * 2001}),
]


@pytest.fixture
def follow_up(db_session, ended) -> FollowUp:
    """The 3-month follow-up of the ended placement, due on 10 May 2026: open now."""
    outcome = Outcome(
        placement_id=ended.id,
        result=OutcomeResult.PAID_JOB_HOST,
        follow_ups=[
            FollowUp(months=3, due_on=date(2026, 5, 10)),
            FollowUp(months=6, due_on=date(2026, 8, 10)),
        ],
    )
    db_session.add(outcome)
    db_session.flush()
    return outcome.follow_ups[0]


def follow_up_state(dbs, found: FollowUp) -> dict[str, object]:
    profile_id = found.outcome.placement.profile_id
    return {
        "follow_up": columns(dbs, FollowUp, found.id),
        "profile": profile_state(dbs, profile_id),
    }


@pytest.mark.parametrize(("change", "stored"), FOLLOW_UP_VALID, ids=lambda v: str(v)[:40])
def test_each_allowed_follow_up_value_is_stored(db_session, client, follow_up, change, stored):
    response = post(client, f"/caseload/follow-ups/{follow_up.id}", FOLLOW_UP, change)

    assert response.status_code == 302, response.get_data(as_text=True)
    row = columns(db_session, FollowUp, follow_up.id)
    assert row["recorded_at"] is not None
    assert {field: row[field] for field in stored} == stored


@pytest.mark.parametrize(("field", "change"), cases(FOLLOW_UP_INVALID))
def test_a_follow_up_value_off_the_list_is_explained_and_nothing_is_stored(
    db_session, client, follow_up, field, change
):
    before = follow_up_state(db_session, follow_up)
    assert before["follow_up"]["recorded_at"] is None

    response = post(client, f"/caseload/follow-ups/{follow_up.id}", FOLLOW_UP, change)

    assert_refused(response, field)
    assert follow_up_state(db_session, follow_up) == before


# --- the plan (/caseload/<ref>/plan/new) -----------------------------------------------------

ROW = "activities-0-"
PLAN = {
    "based_on": "0",
    "learning_route": "b1",
    "integration_deadline": "2029-03-15",
    "preconditions": "Kinderopvang op dinsdag.",
    "support": "Een taalmaatje.",
    "progress_followup": "Elke zes weken een gesprek.",
    f"{ROW}kind": "map",
    f"{ROW}description": "Oefenen in de buurtkeuken.",
    f"{ROW}hours_required": "40",
    f"{ROW}due_on": "2027-06-01",
    f"{ROW}status": "planned",
}
PLAN_TEXTS = ("preconditions", "support", "progress_followup")

#: (data changed from PLAN, what the plan or its one activity ("row.x") then holds)
PLAN_VALID = [
    *[({"learning_route": r.value}, {"learning_route": r}) for r in LearningRoute],
    ({"integration_deadline": LAST_DAY}, {"integration_deadline": date(2031, 5, 4)}),
    *[({f"{ROW}kind": k.value}, {"row.kind": k}) for k in ActivityKind],
    *[({f"{ROW}status": s.value}, {"row.status": s}) for s in ActivityStatus],
    ({f"{ROW}hours_required": "0"}, {"row.hours_required": 0}),
    ({f"{ROW}hours_required": "500"}, {"row.hours_required": 500}),
    ({f"{ROW}hours_required": ""}, {"row.hours_required": None}),
    ({f"{ROW}due_on": TODAY.isoformat()}, {"row.due_on": TODAY}),
    ({f"{ROW}due_on": LAST_DAY}, {"row.due_on": date(2031, 5, 4)}),
    ({f"{ROW}description": "d" * 1000}, {"row.description": "d" * 1000}),
    *[({text: "t" * 2000}, {text: "t" * 2000}) for text in PLAN_TEXTS],
]

PLAN_INVALID = [
    *[
        ("learning_route", {"learning_route": value})
        for value in ("b2", "Z", "B1", "route", "diagnosis", "")
    ],
    *[
        ("integration_deadline", {"integration_deadline": day})
        for day in ("2029-02-30", "2029-13-01", AFTER_LAST_DAY, BEFORE_FIRST_DAY, "15-03-2029", "")
    ],
    *[(f"{ROW}kind", {f"{ROW}kind": value}) for value in ("map_plus", "diagnosis", "MAP")],
    *[(f"{ROW}status", {f"{ROW}status": value}) for value in ("cancelled", "DONE", "")],
    *[
        (f"{ROW}hours_required", {f"{ROW}hours_required": hours})
        for hours in ("-1", "501", "40.5", "veertig")
    ],
    *[
        (f"{ROW}due_on", {f"{ROW}due_on": day})
        for day in ("2026-05-03", "2027-02-29", AFTER_LAST_DAY, "morgen")
    ],
    (f"{ROW}description", {f"{ROW}description": "d" * 1001}),
    *[(text, {text: "t" * 2001}) for text in PLAN_TEXTS],
]


@pytest.fixture
def plan_url(db_session, auth) -> tuple[NewcomerProfile, str]:
    """A newcomer of the signed-in consultant's caseload without a plan, and the form's URL."""
    consultant = signed_in(auth, Role.CONSULTANT)
    profile = profile_of(db_session, make_user(Role.NEWCOMER, language="en"))
    profile.consultant_id = consultant.id
    db_session.flush()
    return profile, f"/caseload/newcomer-{profile.id}/plan/new"


def plan_state(dbs, profile: NewcomerProfile) -> dict[str, object]:
    return {
        "plans": count(dbs, Plan, profile_id=profile.id),
        "activities": count(dbs, PlanActivity),
    }


@pytest.mark.parametrize(("change", "stored"), PLAN_VALID, ids=lambda v: str(v)[:40])
def test_each_allowed_plan_value_is_stored(db_session, client, plan_url, change, stored):
    profile, url = plan_url

    response = post(client, url, PLAN, change)

    assert response.status_code == 302, response.get_data(as_text=True)
    plan = db_session.scalars(sa.select(Plan).filter_by(profile_id=profile.id)).one()
    (activity,) = plan.activities
    rows = {
        "plan": columns(db_session, Plan, plan.id),
        "row": columns(db_session, PlanActivity, activity.id),
    }
    for key, value in stored.items():
        table, field = key.split(".") if "." in key else ("plan", key)
        assert rows[table][field] == value, key


@pytest.mark.parametrize(("field", "change"), cases(PLAN_INVALID))
def test_a_plan_value_off_the_list_is_explained_and_nothing_is_stored(
    db_session, client, plan_url, field, change
):
    profile, url = plan_url
    before = plan_state(db_session, profile)

    response = post(client, url, PLAN, change)

    assert_refused(response, field)
    assert plan_state(db_session, profile) == before


# --- the organisation's profile (/organisation/edit) -----------------------------------------

ORGANISATION = {
    "name": "Buurtkeuken Lombok",
    "kind": "nonprofit",
    "kvk": "12345678",
    "address": "Kanaalstraat 12",
    "postcode": "3531cd",
    "city": "Utrecht",
    "website": "https://buurtkeuken.example.nl",
    "description": "Wij koken elke dag voor de buurt.",
    "contact_name": "Ans Bakker",
    "contact_email": "ans@buurtkeuken.example.nl",
    "contact_phone": "030 123 45 67",
}

ORGANISATION_VALID = [
    *[({"kind": k.value}, {"kind": k}) for k in OrganisationKind],
    ({"address": "a" * 200}, {"address": "a" * 200}),
    ({"city": "c" * 100}, {"city": "c" * 100}),
    ({"contact_name": "n" * 120}, {"contact_name": "n" * 120}),
    ({"contact_phone": "0" * 30}, {"contact_phone": "0" * 30}),
    ({"description": "d" * 3000}, {"description": "d" * 3000}),
]

ORGANISATION_INVALID = [
    *[("kind", {"kind": value}) for value in ("bank", "EMPLOYER", "diagnosis", "")],
    ("name", {"name": "n" * 201}),
    ("address", {"address": "a" * 201}),
    ("city", {"city": "c" * 101}),
    ("website", {"website": "https://example.nl/" + "w" * 282}),
    ("description", {"description": "d" * 3001}),
    ("contact_name", {"contact_name": "n" * 121}),
    ("contact_email", {"contact_email": "a" * 244 + "@example.nl"}),
    ("contact_phone", {"contact_phone": "0" * 31}),
    ("kvk", {"kvk": "123456789"}),
    ("postcode", {"postcode": "1234 SS"}),
]


@pytest.fixture
def employer(db_session, auth) -> User:
    organisation = make_organisation(ORGANISATION["name"])
    organisation.kvk = ORGANISATION["kvk"]
    db_session.flush()
    return signed_in(auth, Role.EMPLOYER, organisation=organisation)


@pytest.mark.parametrize(("change", "stored"), ORGANISATION_VALID, ids=lambda v: str(v)[:40])
def test_each_allowed_organisation_value_is_stored(db_session, client, employer, change, stored):
    response = post(client, "/organisation/edit", ORGANISATION, change)

    assert response.status_code == 302, response.get_data(as_text=True)
    row = columns(db_session, Organisation, employer.organisation_id)
    assert {field: row[field] for field in stored} == stored


@pytest.mark.parametrize(("field", "change"), cases(ORGANISATION_INVALID))
def test_an_organisation_value_off_the_list_is_explained_and_nothing_is_stored(
    db_session, client, employer, field, change
):
    before = columns(db_session, Organisation, employer.organisation_id)

    response = post(client, "/organisation/edit", ORGANISATION, change)

    assert_refused(response, field)
    assert columns(db_session, Organisation, employer.organisation_id) == before


# --- every table covers its form ------------------------------------------------------------


def test_every_field_of_each_form_has_an_invalid_case():
    """Only a checkbox (every value is valid) and hidden version fields have no case."""
    from marketplace.newcomers.forms import NewNewcomerForm
    from marketplace.newcomers.intake_forms import IntakeForm
    from marketplace.newcomers.profile_forms import FORMS
    from marketplace.placements.forms import CheckInForm
    from marketplace.placements.outcome_forms import FollowUpForm, OutcomeForm
    from marketplace.plans.forms import ActivityRowForm, PlanForm

    def fields(form_class) -> set[str]:
        return {
            name
            for name in dir(form_class)
            if getattr(getattr(form_class, name), "field_class", None) is not None
        }

    hidden = {"csrf_token", "seen", "outcome_id", "based_on"}
    tables = [
        (NewNewcomerForm, {field for field, _change in NEW_INVALID}),
        (IntakeForm, {field for field, _change in INTAKE_INVALID}),
        (CheckInForm, {field for field, _change in CHECK_IN_INVALID} | {"counts_for_map"}),
        (OutcomeForm, {field for field, _change in OUTCOME_INVALID}),
        (FollowUpForm, {field for field, _change in FOLLOW_UP_INVALID}),
        (PlanForm, {field for field, _change in PLAN_INVALID} | {"activities"}),
        (
            ActivityRowForm,
            {f.removeprefix(ROW) for f, _change in PLAN_INVALID} | {"source", "remove"},
        ),
    ]
    for part, form_class in FORMS.items():
        tables.append((form_class, {field for p, field, _change in PART_INVALID if p == part}))
    for form_class, covered in tables:
        assert fields(form_class) - hidden <= covered, form_class.__name__
