"""A newcomer's own pages: the welcome, the places for them, and why a place does not fit."""

from __future__ import annotations

import html
import re

import pytest

from marketplace.accounts.models import Role
from marketplace.vocab import DutchLevel
from tests.factories import make_user
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
def cook(db_session, auth):
    user, profile = cooking_newcomer(db_session, travel_mode="bike")
    auth.login(user.email)
    return profile


def test_places_for_you_lists_the_best_fit_first_with_its_reasons(db_session, client, cook):
    fits = kitchen_place(title="Kok in de buurtkeuken")
    other = other_place(title="Archief ordenen")
    page = client.get("/me/places").get_data(as_text=True)
    assert page.index(fits.title) < page.index(other.title)
    assert "Uses your skills: koken" in page
    assert "0.8 km away, about 5 minutes by bike" in page
    assert f'href="/me/places/{fits.id}"' in page  # why it fits, and showing interest


def test_a_near_miss_is_shown_apart_with_why_on_request(db_session, client, cook):
    too_much_dutch = kitchen_place(title="Kok B1", dutch_level=DutchLevel.B1, mentor=False)
    page = client.get("/me/places").get_data(as_text=True)
    near = page[page.index("Places that almost fit") :]
    assert too_much_dutch.title in near
    assert "<details>" in near and "Needs Dutch at level B1; you have A2." in near


def test_no_fitting_place_gives_help_not_an_empty_page(db_session, client, cook):
    page = client.get("/me/places").get_data(as_text=True)
    assert "We have no places that fit you right now." in page
    assert 'href="/places"' in page


def test_why_explains_a_place_that_does_not_fit(db_session, client, cook):
    far = kitchen_place(title="Kok in Amsterdam", postcode="1012 AB", city="Amsterdam")
    page = client.get(f"/me/places/{far.id}").get_data(as_text=True)
    assert "This place does not fit you now, because:" in page
    assert "It is 35 km away; you travel at most 10 km." in page


def test_why_says_yes_for_a_place_that_fits(db_session, client, cook):
    fits = kitchen_place()
    page = client.get(f"/me/places/{fits.id}").get_data(as_text=True)
    assert "Yes, this place can fit you." in page and "Uses your skills: koken" in page


def test_the_place_page_offers_a_newcomer_the_question(db_session, client, cook):
    fits = kitchen_place()
    page = client.get(f"/places/{fits.id}", follow_redirects=True).get_data(as_text=True)
    assert f'href="/me/places/{fits.id}"' in page


def test_other_roles_do_not_get_these_pages(db_session, client, auth):
    auth.login(make_user(Role.EMPLOYER).email)
    assert client.get("/me/places").status_code == 403


def test_a_newcomer_searches_all_places_near_home_without_their_postcode_in_links(
    db_session, client, cook
):
    near = kitchen_place(title="Kok in de buurtkeuken")
    far = kitchen_place(title="Kok in Amsterdam", postcode="1012 AB", city="Amsterdam")
    for _ in range(21):  # two pages of results
        kitchen_place(title="Afwassen in de buurt")
    start = client.get("/places")
    assert start.status_code == 302
    assert start.headers["Location"] == "/places?home=y&km=10"  # as far as they travel
    first = client.get(start.headers["Location"]).get_data(as_text=True)
    assert re.search(r'<input checked[^>]* name="home"', first)
    assert near.title in first and far.title not in first
    assert "0.8 km away" in first and "3511" not in first
    next_page = re.search(r'<a rel="next" href="([^"]+)"', first).group(1)
    assert "home=y" in html.unescape(next_page)  # the next page is near home too
    unticked = client.get("/places?q=kok&km=10").get_data(as_text=True)  # sent unticked
    assert far.title in unticked  # home is a choice, not a lock


def test_other_visitors_get_no_near_my_home_choice(client):
    assert 'name="home"' not in client.get("/places").get_data(as_text=True)
    assert client.get("/places?home=y").status_code == 200


def test_a_home_that_is_not_on_the_map_searches_without_distance(db_session, client, cook):
    cook.postcode = "9999 ZZ"
    db_session.flush()
    place = kitchen_place(title="Kok in de buurtkeuken")
    response = client.get("/places", follow_redirects=True)
    assert response.status_code == 200 and place.title in response.get_data(as_text=True)
