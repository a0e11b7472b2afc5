"""Shared by the place tests: signing in, valid form data per step, and reading form errors."""

from __future__ import annotations

from datetime import date
from enum import Enum
from html.parser import HTMLParser

import sqlalchemy as sa

from marketplace.accounts.models import Role, User
from marketplace.organisations.models import Organisation
from marketplace.places.forms import outline
from marketplace.places.models import Place, PlaceReview
from marketplace.places.rules import current_values
from tests.factories import make_user

#: valid data for every field of every step of the place form, as a browser sends it
STEP_DATA: dict[str, dict[str, object]] = {
    "work": {
        "title": "Koken in de buurtkeuken",
        "kind": "learn_work",
        "sector": "care",
        "description": "Je snijdt groente, kookt soep en dekt de tafels.",
        "skills_wanted": "snijden, klantcontact",
        "skills_learned": "hygiëne, samenwerken",
        "education_offered": "VCA, BHV",
        "learning_goals": "Zelfstandig een maaltijd voor twintig mensen bereiden.",
    },
    "language": {"dutch_level": "B1", "languages": ["ar", "tr"]},
    "time": {
        "hours_min": "10",
        "hours_max": "20",
        "schedule": ["weekday_afternoon", "weekend"],
        "start_date": "2030-02-01",
        "duration_weeks": "10",
        "end_date": "2030-05-01",
        "spots": "3",
    },
    "location": {
        "remote": "y",
        "postcode": "3701ab",
        "city": "Zeist",
        "physical_demand": "moderate",
        "accessibility": "Drempelvrije ingang, bushalte voor de deur.",
    },
    "support": {"mentor": "no", "supervisor_name": "Karim El Amrani", "paid_work_prospect": "yes"},
}

#: the displacement check answered without a warning
HARMLESS_ANSWERS = {
    "would_be_paid_vacancy": "no",
    "replaces_absent_worker": "no",
    "replaces_dismissed_worker": "no",
    "structural_work": "no",
    "works_council": "none",
}


TAG_FIELDS = ("skills_wanted", "skills_learned", "education_offered")


def form_for(place: Place, step: str, **changes: object) -> dict[str, object]:
    """A step's form data as the browser sends it back for the place as it is now, changed."""
    values = current_values(place)
    data: dict[str, object] = {}
    for name, _label in step_fields_with_labels(step):
        value = values[name]
        if name == "mentor":
            value = "yes" if value else "no"
        elif isinstance(value, bool):
            value = "y" if value else None
        elif name in TAG_FIELDS:
            value = ", ".join(value or [])
        elif isinstance(value, Enum):
            value = value.value
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, int):
            value = str(value)
        if value is not None:
            data[name] = value
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def step_fields_with_labels(step: str) -> list[tuple[str, str]]:
    return next(fields for name, _title, fields in outline() if name == step)


def employer_of(organisation: Organisation | None = None) -> User:
    """An employer (who reads English) acting for ``organisation`` (else a new verified one)."""
    return make_user(Role.EMPLOYER, organisation=organisation, language="en")


def signed_in(auth, role: Role, organisation: Organisation | None = None) -> User:
    """A new user with this role, signed in on the test client; they read English."""
    user = make_user(role, organisation=organisation, language="en")
    response = auth.login(user.email)
    assert response.status_code == 302, f"could not sign in as {role}"
    return user


def place_row(dbs, place_id: int) -> dict[str, object]:
    """A place's stored columns and its number of reviews, read fresh from the database."""
    dbs.flush()
    dbs.expire_all()
    place = dbs.get(Place, place_id)
    row = {column.key: getattr(place, column.key) for column in Place.__table__.columns}
    row["reviews"] = dbs.scalar(
        sa.select(sa.func.count()).select_from(PlaceReview).where(PlaceReview.place_id == place_id)
    )
    return row


class _Invalid(HTMLParser):
    """The names of the form fields a page marks with aria-invalid="true"."""

    def __init__(self):
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if attributes.get("aria-invalid") != "true":
            return
        if attributes.get("name"):
            self.names.add(attributes["name"])
        for described in attributes.get("aria-describedby", "").split():
            if described.endswith("-error"):  # a group (fieldset) of radios or checkboxes
                self.names.add(described.removesuffix("-error"))


def invalid_fields(html: str) -> set[str]:
    parser = _Invalid()
    parser.feed(html)
    return parser.names


def assert_marked_invalid(response, name: str) -> None:
    """The page came back (200) with an error message for ``name`` and the field aria-invalid."""
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    assert f'id="{name}-error"' in html, f"no error message for {name}"
    assert name in invalid_fields(html), f'{name} is not marked aria-invalid="true"'
