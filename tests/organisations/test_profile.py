"""The organisation's profile and its colleagues: validation, re-verification, invitations."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role, User
from marketplace.domain import DomainError
from marketplace.organisations.models import Organisation, OrganisationKind
from marketplace.places import services
from marketplace.places.models import PlaceStatus, ReviewDecision
from marketplace.places.slugs import slugify
from tests.factories import make_organisation, make_place, make_user
from tests.places.helpers import STEP_DATA, assert_marked_invalid, place_row, signed_in

PROFILE = {
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


@pytest.fixture
def employer(db_session, auth):
    organisation = make_organisation(PROFILE["name"])
    organisation.kvk = PROFILE["kvk"]
    db_session.flush()
    return signed_in(auth, Role.EMPLOYER, organisation=organisation)


def organisation_row(db_session, organisation_id: int) -> dict:
    db_session.expire_all()
    organisation = db_session.get(Organisation, organisation_id)
    return {c.key: getattr(organisation, c.key) for c in Organisation.__table__.columns}


def test_the_profile_form_shows_the_current_details(db_session, client, employer):
    html = client.get("/organisation/edit").get_data(as_text=True)
    assert f'value="{PROFILE["name"]}"' in html and f'value="{PROFILE["kvk"]}"' in html


def test_every_field_is_saved(db_session, client, employer):
    response = client.post("/organisation/edit", data=PROFILE)
    assert response.status_code == 302 and response.location == "/organisation"
    row = organisation_row(db_session, employer.organisation_id)
    assert row["kind"] == OrganisationKind.NONPROFIT
    assert row["postcode"] == "3531 CD"
    for field in PROFILE.keys() - {"kind", "postcode"}:
        assert row[field] == PROFILE[field], field
    assert row["verified_at"] is not None, "nothing that identifies the organisation changed"


INVALID = [
    ("kvk", "1234567"),
    ("kvk", "123456789"),
    ("kvk", "1234567a"),
    ("website", "buurtkeuken"),
    ("website", "javascript:alert(1)"),
    ("postcode", "0123 AB"),
    ("postcode", "1234"),
    ("name", ""),
    ("name", "   "),
    ("name", "n" * 201),
    ("kind", "bank"),
    ("contact_email", "ans-at-example"),
    ("contact_phone", "bel me"),
]


@pytest.mark.parametrize(("field", "value"), INVALID, ids=lambda v: str(v)[:20])
def test_an_invalid_detail_is_explained_and_nothing_saved(
    db_session, client, employer, field, value
):
    before = organisation_row(db_session, employer.organisation_id)
    response = client.post("/organisation/edit", data={**PROFILE, field: value})
    assert_marked_invalid(response, field)
    assert organisation_row(db_session, employer.organisation_id) == before


@pytest.mark.parametrize(
    ("field", "value"), [("name", "Buurtkeuken Lombok-Oost"), ("kvk", "87654321"), ("kvk", "")]
)
def test_a_new_name_or_kvk_number_needs_a_new_check(db_session, client, employer, field, value):
    response = client.post("/organisation/edit", data={**PROFILE, field: value})
    assert response.status_code == 302
    row = organisation_row(db_session, employer.organisation_id)
    assert row[field] == (value or None)
    assert row["verified_at"] is None
    assert "checks your organisation again" in client.get("/organisation").get_data(as_text=True)


def test_an_unverified_organisations_place_is_not_published(db_session, client, employer):
    client.post("/organisation/edit", data={**PROFILE, "name": "Andere naam"})
    place = make_place(employer.organisation, PlaceStatus.SUBMITTED)
    consultant = make_user(Role.CONSULTANT)
    db_session.expire_all()
    with pytest.raises(DomainError):
        services.decide(db_session, consultant, place, ReviewDecision.PUBLISHED, None)


def test_extra_keys_do_not_verify_or_move_anything(db_session, client, employer):
    data = {**PROFILE, "name": "Nieuwe naam", "verified_at": "2020-01-01", "id": "999"}
    assert client.post("/organisation/edit", data=data).status_code == 302
    row = organisation_row(db_session, employer.organisation_id)
    assert row["verified_at"] is None and row["id"] == employer.organisation_id


# --- colleagues ------------------------------------------------------------------------------


def invitation_path(message) -> str:
    link = re.search(r"https?://\S+/invitation/\S+", message.get_content()).group(0)
    return "/" + link.split("/", 3)[3]


def test_an_invited_colleague_acts_for_the_same_organisation(app, db_session, client, employer):
    place = make_place(employer.organisation, PlaceStatus.DRAFT, title="Ons concept")
    response = client.post(
        "/organisation/colleagues",
        data={"name": "Piet Collega", "email": "Piet@Buurtkeuken.example", "language": "en"},
    )
    assert response.status_code == 200
    assert "piet@buurtkeuken.example" in response.get_data(as_text=True)
    db_session.expire_all()
    colleague = db_session.scalars(
        sa.select(User).where(User.email == "piet@buurtkeuken.example")
    ).one()
    assert colleague.role == Role.EMPLOYER
    assert colleague.organisation_id == employer.organisation_id
    assert colleague.password_hash is None

    message = app.extensions["sent_mail"][-1]
    assert message["To"] == "piet@buurtkeuken.example"
    path = invitation_path(message)
    other = app.test_client()
    assert other.get(path).status_code == 200
    response = other.post(path, data={"language": "en", "password": "soep koken voor de buurt"})
    assert response.status_code == 302 and response.location == "/organisation"

    # the colleague sees and edits the same places
    dashboard = other.get("/organisation").get_data(as_text=True)
    assert "Ons concept" in dashboard
    assert other.get(f"/places/{place.id}/edit/work").status_code == 200
    response = other.post(f"/places/{place.id}/edit/language", data=STEP_DATA["language"])
    assert response.status_code == 302
    assert place_row(db_session, place.id)["languages"] == ["ar", "tr"]
    # and the first employer sees the colleague in the list
    assert "Piet Collega" in client.get("/organisation/colleagues").get_data(as_text=True)


def test_a_colleague_sees_the_places_of_the_organisation_only(db_session, client, auth):
    organisation = make_organisation()
    ours = make_place(organisation, PlaceStatus.PAUSED, title="Onze plek")
    theirs = make_place(make_organisation(), PlaceStatus.PAUSED, title="Hun plek")
    make_user(Role.EMPLOYER, organisation=organisation)  # the one who posted it
    signed_in(auth, Role.EMPLOYER, organisation=organisation)
    html = client.get("/organisation").get_data(as_text=True)
    assert "Onze plek" in html and "Hun plek" not in html
    assert client.get(f"/places/{ours.id}").status_code == 200
    assert client.get(f"/places/{theirs.id}/{slugify(theirs.title)}").status_code == 404


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "geen-adres"), ("name", ""), ("language", "xx")],
)
def test_an_invitation_with_bad_details_is_refused(db_session, client, employer, field, value):
    users = db_session.scalar(sa.select(sa.func.count()).select_from(User))
    data = {"name": "Piet", "email": "piet@example.nl", "language": "nl", field: value}
    assert_marked_invalid(client.post("/organisation/colleagues", data=data), field)
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(User)) == users


def test_an_address_in_use_is_refused(db_session, client, employer):
    make_user(Role.NEWCOMER, email="bezet@example.nl")
    data = {"name": "Piet", "email": "bezet@example.nl", "language": "nl"}
    assert_marked_invalid(client.post("/organisation/colleagues", data=data), "email")
