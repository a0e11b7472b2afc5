"""Adding a newcomer: the municipality, prefilled from the caseload, and the next step."""

from __future__ import annotations

import re

import sqlalchemy as sa

from marketplace.accounts.models import Role, User
from marketplace.newcomers.intake import usual_municipality
from marketplace.newcomers.models import NewcomerProfile
from tests.factories import make_user
from tests.intake.conftest import profile_of
from tests.search.indexing import NEAR_AREAS, add_postcode_areas

NEW = {
    "name": "Samira Nieuw",
    "email": "samira@example.nl",
    "language": "en",
    "postcode": "3511 AB",
    "dutch_level": "A1",
    "learning_route": "b1",
    "municipality": "Zeist",
}


def _caseload(db_session, consultant, *municipalities):
    for municipality in municipalities:
        profile = profile_of(db_session, make_user(Role.NEWCOMER))
        profile.consultant_id = consultant.id
        profile.municipality = municipality
    db_session.flush()


def _municipality_input(page: str) -> str:
    (tag,) = re.findall(r'<input[^>]*name="municipality"[^>]*>', page)
    return tag


def test_the_form_offers_the_municipality_most_of_the_caseload_lives_in(
    db_session, client, auth, consultant
):
    _caseload(db_session, consultant, "Utrecht", "Zeist", "Utrecht", None, "")
    _caseload(db_session, make_user(Role.CONSULTANT), "Amersfoort", "Amersfoort", "Amersfoort")
    auth.login(consultant.email)

    page = client.get("/caseload/new").get_data(as_text=True)

    assert 'value="Utrecht"' in _municipality_input(page)
    assert "<label" in page and 'for="municipality"' in page


def test_without_a_caseload_the_municipality_starts_empty(db_session, client, auth, consultant):
    auth.login(consultant.email)
    page = client.get("/caseload/new").get_data(as_text=True)
    assert 'value=""' in _municipality_input(page)


def test_a_tie_picks_the_first_name_so_the_choice_is_stable(db_session, consultant):
    _caseload(db_session, consultant, "Zeist", "Houten", "Zeist", "Houten")
    assert usual_municipality(db_session, consultant) == "Houten"


#: postcode data that knows Zeist but not the newcomer's postcode
ZEIST = {"3701": ("Zeist", 52.0893, 5.2331)}


def test_adding_a_newcomer_keeps_the_municipality_and_points_to_the_first_conversation(
    db_session, client, auth, consultant
):
    add_postcode_areas(db_session, ZEIST)
    auth.login(consultant.email)

    response = client.post("/caseload/new", data=NEW)

    assert response.status_code == 200
    user = db_session.scalars(sa.select(User).filter_by(email="samira@example.nl")).one()
    profile = profile_of(db_session, user)
    assert (profile.municipality, profile.consultant_id) == ("Zeist", consultant.id)
    assert profile.learning_route.value == "b1" and profile.postcode == "3511 AB"
    page = response.get_data(as_text=True)
    assert "Invitation ready" in page
    assert f'href="/caseload/newcomer-{profile.id}/intake"' in page
    assert "Write down the first conversation" in page


def test_a_municipality_off_the_list_gets_a_message_and_adds_nobody(
    db_session, client, auth, consultant
):
    """R27: without a known postcode, the name typed must be a municipality of the list."""
    add_postcode_areas(db_session, ZEIST)
    auth.login(consultant.email)
    page = client.get("/caseload/new").get_data(as_text=True)
    assert 'list="municipality-list"' in _municipality_input(page)
    assert '<option value="Zeist">' in page

    response = client.post("/caseload/new", data={**NEW, "municipality": "Zeist-West"})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "We do not know this municipality." in page
    assert 'aria-invalid="true"' in _municipality_input(page)
    assert db_session.scalars(sa.select(User).filter_by(email="samira@example.nl")).first() is None

    client.post("/caseload/new", data={**NEW, "municipality": " zeist"})
    user = db_session.scalars(sa.select(User).filter_by(email="samira@example.nl")).one()
    assert profile_of(db_session, user).municipality == "Zeist"  # the list's spelling


def test_a_known_postcode_decides_the_municipality(db_session, client, auth, consultant):
    add_postcode_areas(db_session, NEAR_AREAS)
    auth.login(consultant.email)
    client.post("/caseload/new", data={**NEW, "municipality": "utrecht "})
    user = db_session.scalars(sa.select(User).filter_by(email="samira@example.nl")).one()
    assert profile_of(db_session, user).municipality == "Utrecht"


def test_a_long_municipality_gets_a_message_and_adds_nobody(db_session, client, auth, consultant):
    auth.login(consultant.email)
    before = db_session.scalar(sa.select(sa.func.count()).select_from(NewcomerProfile))

    response = client.post("/caseload/new", data={**NEW, "municipality": "x" * 101})

    page = response.get_data(as_text=True)
    assert "Keep this under 100 characters." in page and 'aria-invalid="true"' in page
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(NewcomerProfile)) == before
    assert db_session.scalars(sa.select(User).filter_by(email="samira@example.nl")).first() is None
