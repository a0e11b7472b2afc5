"""Every field of every step, checked on the server: good values stored, bad ones explained.

A refused step stores nothing, not even its valid fields; keys that are not part of a step
(status, organisation, spots taken...) are ignored (security.md R05).
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.places.models import PaidWorkProspect, Place, PlaceKind, PlaceStatus, Sector
from marketplace.vocab import DutchLevel, PhysicalDemand
from tests.factories import make_organisation, make_place
from tests.places.helpers import (
    HARMLESS_ANSWERS,
    STEP_DATA,
    assert_marked_invalid,
    place_row,
    signed_in,
)

S = PlaceStatus

STORED = {
    "work": {
        "title": "Koken in de buurtkeuken",
        "kind": PlaceKind.LEARN_WORK,
        "sector": Sector.CARE,
        "description": "Je snijdt groente, kookt soep en dekt de tafels.",
        "skills_wanted": ["snijden", "klantcontact"],
        "skills_learned": ["hygiëne", "samenwerken"],
        "education_offered": ["VCA", "BHV"],
        "learning_goals": "Zelfstandig een maaltijd voor twintig mensen bereiden.",
    },
    "language": {"dutch_level": DutchLevel.B1, "languages": ["ar", "tr"]},
    "time": {
        "hours_min": 10,
        "hours_max": 20,
        "schedule": ["weekday_afternoon", "weekend"],
        "start_date": date(2030, 2, 1),
        "duration_weeks": 10,
        "end_date": date(2030, 5, 1),
        "spots": 3,
    },
    "location": {
        "remote": True,
        "postcode": "3701 AB",
        "city": "Zeist",
        "physical_demand": PhysicalDemand.MODERATE,
        "accessibility": "Drempelvrije ingang, bushalte voor de deur.",
    },
    "support": {
        "mentor": False,
        "supervisor_name": "Karim El Amrani",
        "paid_work_prospect": PaidWorkProspect.YES,
    },
}


@pytest.fixture
def draft(db_session, auth):
    """A complete draft of the signed-in employer's organisation, unlike STEP_DATA everywhere."""
    employer = signed_in(auth, Role.EMPLOYER)
    return make_place(employer.organisation, S.DRAFT)


def test_every_field_has_a_stored_value_to_check():
    assert {step: set(data) for step, data in STEP_DATA.items()} == {
        step: set(values) for step, values in STORED.items()
    }


@pytest.mark.parametrize("step", list(STEP_DATA))
def test_valid_values_of_each_step_are_stored(db_session, client, draft, step):
    before = place_row(db_session, draft.id)
    assert all(before[field] != value for field, value in STORED[step].items())

    response = client.post(f"/places/{draft.id}/edit/{step}", data=STEP_DATA[step])

    assert response.status_code == 302
    row = place_row(db_session, draft.id)
    assert {field: row[field] for field in STORED[step]} == STORED[step]


def test_tags_are_trimmed_and_kept_once(db_session, client, draft):
    data = {**STEP_DATA["work"], "skills_wanted": " koken,  Koken ;klant  contact\nkoken, "}
    assert client.post(f"/places/{draft.id}/edit/work", data=data).status_code == 302
    assert place_row(db_session, draft.id)["skills_wanted"] == ["koken", "klant contact"]


TWENTY_LONG_TAGS = [f"{n:02d}" + "k" * 38 for n in range(20)]

#: (step, data changed from a valid step, what is then stored)
BOUNDARIES = [
    ("work", {"title": "t" * 200}, {"title": "t" * 200}),
    ("work", {"skills_wanted": ", ".join(TWENTY_LONG_TAGS)}, {"skills_wanted": TWENTY_LONG_TAGS}),
    ("time", {"hours_min": "1", "hours_max": "40"}, {"hours_min": 1, "hours_max": 40}),
    ("time", {"hours_min": "16", "hours_max": "16"}, {"hours_min": 16, "hours_max": 16}),
    ("time", {"spots": "1"}, {"spots": 1}),
    ("time", {"spots": "50"}, {"spots": 50}),
    ("time", {"duration_weeks": "1"}, {"duration_weeks": 1}),
    ("time", {"duration_weeks": "104"}, {"duration_weeks": 104}),
    (
        "time",
        {"start_date": "2030-05-01", "end_date": "2030-05-01"},
        {"start_date": date(2030, 5, 1), "end_date": date(2030, 5, 1)},
    ),
    (
        "location",
        {"postcode": " 1234ab ", "remote": None},
        {"postcode": "1234 AB", "remote": False},
    ),
    ("language", {"dutch_level": "none", "languages": None}, {"languages": []}),
]


@pytest.mark.parametrize(("step", "change", "stored"), BOUNDARIES, ids=lambda v: str(v)[:40])
def test_values_at_the_limits_are_accepted(db_session, client, draft, step, change, stored):
    data = {key: value for key, value in {**STEP_DATA[step], **change}.items() if value is not None}
    assert client.post(f"/places/{draft.id}/edit/{step}", data=data).status_code == 302
    row = place_row(db_session, draft.id)
    assert {field: row[field] for field in stored} == stored


TOO_MANY_TAGS = ", ".join(f"tag{n}" for n in range(21))
TOO_LONG_TAG = "koken, " + "k" * 41

#: (step, the field that must be marked, the data changed from a valid step; None: not sent)
INVALID = [
    ("work", "title", {"title": ""}),
    ("work", "title", {"title": "   "}),
    ("work", "title", {"title": "t" * 201}),
    ("work", "kind", {"kind": "astronaut"}),
    ("work", "sector", {"sector": "space"}),
    ("work", "description", {"description": "d" * 5001}),
    ("work", "learning_goals", {"learning_goals": "l" * 2001}),
    *[("work", field, {field: TOO_MANY_TAGS}) for field in ("skills_wanted", "skills_learned")],
    ("work", "education_offered", {"education_offered": TOO_MANY_TAGS}),
    *[("work", field, {field: TOO_LONG_TAG}) for field in ("skills_wanted", "skills_learned")],
    ("work", "education_offered", {"education_offered": TOO_LONG_TAG}),
    ("language", "dutch_level", {"dutch_level": "C2"}),
    ("language", "languages", {"languages": ["en", "xx"]}),
    ("time", "hours_min", {"hours_min": "0"}),
    ("time", "hours_min", {"hours_min": "41", "hours_max": None}),
    ("time", "hours_min", {"hours_min": "acht"}),
    ("time", "hours_max", {"hours_max": "0", "hours_min": None}),
    ("time", "hours_max", {"hours_max": "41"}),
    ("time", "hours_max", {"hours_min": "20", "hours_max": "10"}),
    ("time", "schedule", {"schedule": ["weekday_morning", "night"]}),
    ("time", "start_date", {"start_date": "2030-13-01"}),
    ("time", "end_date", {"start_date": "2030-05-01", "end_date": "2030-04-30"}),
    ("time", "duration_weeks", {"duration_weeks": "0"}),
    ("time", "duration_weeks", {"duration_weeks": "105"}),
    ("time", "spots", {"spots": "0"}),
    ("time", "spots", {"spots": "51"}),
    ("location", "postcode", {"postcode": "0123 AB"}),
    ("location", "postcode", {"postcode": "1234 SS"}),
    ("location", "postcode", {"postcode": "12345"}),
    ("location", "physical_demand", {"physical_demand": "extreme"}),
    ("location", "city", {"city": "c" * 101}),
    ("location", "accessibility", {"accessibility": "a" * 1001}),
    ("support", "mentor", {"mentor": "maybe"}),
    ("support", "supervisor_name", {"supervisor_name": "s" * 121}),
    ("support", "paid_work_prospect", {"paid_work_prospect": "perhaps"}),
]


def _case_id(case) -> str:
    step, field, change = case
    return f"{step}-{field}-{str(change)[:30]}"


@pytest.mark.parametrize(("step", "field", "change"), INVALID, ids=[_case_id(c) for c in INVALID])
def test_an_invalid_value_is_explained_and_nothing_is_stored(
    db_session, client, draft, step, field, change
):
    before = place_row(db_session, draft.id)
    data = {key: value for key, value in {**STEP_DATA[step], **change}.items() if value is not None}

    response = client.post(f"/places/{draft.id}/edit/{step}", data=data)

    assert_marked_invalid(response, field)
    assert place_row(db_session, draft.id) == before


def test_every_field_of_the_form_has_an_invalid_case():
    """Fields whose every value is valid (a checkbox) are the only ones without a case."""
    covered = {field for _step, field, _change in INVALID}
    all_fields = {field for data in STEP_DATA.values() for field in data}
    assert all_fields - covered == {"remote"}


@pytest.mark.parametrize("title", ["", "   ", "t" * 201], ids=["missing", "spaces", "too long"])
def test_a_new_place_needs_a_title_and_nothing_is_stored(db_session, client, auth, title):
    signed_in(auth, Role.EMPLOYER)
    count = db_session.scalar(sa.select(sa.func.count()).select_from(Place))
    response = client.post("/organisation/places/new", data={**STEP_DATA["work"], "title": title})
    assert_marked_invalid(response, "title")
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Place)) == count


# --- the displacement check --------------------------------------------------------------


@pytest.mark.parametrize("missing", list(HARMLESS_ANSWERS))
def test_the_displacement_check_needs_every_answer(db_session, client, draft, missing):
    draft.would_be_paid_vacancy = draft.works_council = None
    before = place_row(db_session, draft.id)
    answers = {key: value for key, value in HARMLESS_ANSWERS.items() if key != missing}

    response = client.post(f"/places/{draft.id}/send", data=answers)

    assert response.status_code == 200
    assert f'id="{missing}-error"' in response.get_data(as_text=True)
    assert place_row(db_session, draft.id) == before


def test_unanswered_questions_are_marked_invalid(db_session, client, draft):
    response = client.post(f"/places/{draft.id}/send", data={"works_council": "maybe"})
    for question in HARMLESS_ANSWERS:
        assert_marked_invalid(response, question)
    assert place_row(db_session, draft.id)["status"] == S.DRAFT


def test_the_answers_are_stored_with_the_place(db_session, client, draft):
    answers = {**HARMLESS_ANSWERS, "replaces_absent_worker": "yes", "works_council": "consulted"}
    assert client.post(f"/places/{draft.id}/send", data=answers).status_code == 302
    row = place_row(db_session, draft.id)
    assert row["status"] == S.SUBMITTED
    assert row["replaces_absent_worker"] is True and row["would_be_paid_vacancy"] is False
    assert row["works_council"] == "consulted"


def test_a_place_is_not_sent_for_review_without_the_displacement_answers(db_session, client, draft):
    """The status button must not be a way around the check (it only offers other moves)."""
    for question in HARMLESS_ANSWERS:
        setattr(draft, question, None)
    before = place_row(db_session, draft.id)

    client.post(f"/places/{draft.id}/status", data={"target": "submitted"})

    assert place_row(db_session, draft.id) == before


def test_an_incomplete_place_cannot_be_sent(db_session, client, draft):
    draft.spots = None
    before = place_row(db_session, draft.id)
    response = client.post(f"/places/{draft.id}/send", data=HARMLESS_ANSWERS)
    assert response.status_code == 200
    assert f'href="/places/{draft.id}/edit/time"' in response.get_data(as_text=True)
    assert place_row(db_session, draft.id) == before


# --- extra keys are ignored (R05) ----------------------------------------------------------

EXTRA = {
    "status": "published",
    "organisation_id": "999",
    "spots_taken": "2",
    "published_at": "2020-01-01T00:00:00",
    "reviewed_by_id": "1",
    "pending_changes": "{}",
    "would_be_paid_vacancy": "yes",
}


@pytest.mark.parametrize("step", list(STEP_DATA))
def test_keys_outside_the_step_are_ignored(db_session, client, draft, step):
    other = make_organisation()
    extra = {**EXTRA, "organisation_id": str(other.id)}
    response = client.post(f"/places/{draft.id}/edit/{step}", data={**STEP_DATA[step], **extra})
    assert response.status_code == 302
    row = place_row(db_session, draft.id)
    assert row["status"] == S.DRAFT and row["organisation_id"] == draft.organisation_id
    assert row["spots_taken"] == 0 and row["published_at"] is None
    assert row["reviewed_by_id"] is None and row["pending_changes"] is None
    assert row["would_be_paid_vacancy"] is False


def test_a_new_place_ignores_status_and_organisation(db_session, client, auth):
    employer = signed_in(auth, Role.EMPLOYER)
    other = make_organisation()
    data = {**STEP_DATA["work"], **EXTRA, "organisation_id": str(other.id)}
    assert client.post("/organisation/places/new", data=data).status_code == 302
    db_session.expire_all()
    place = db_session.scalars(sa.select(Place).where(Place.title == data["title"])).one()
    assert place.status == S.DRAFT and place.organisation_id == employer.organisation_id
    assert place.spots_taken == 0 and place.published_at is None


def test_sending_ignores_a_status_in_the_form(db_session, client, draft):
    data = {**HARMLESS_ANSWERS, "status": "published", "spots_taken": "2"}
    assert client.post(f"/places/{draft.id}/send", data=data).status_code == 302
    row = place_row(db_session, draft.id)
    assert row["status"] == S.SUBMITTED and row["spots_taken"] == 0
