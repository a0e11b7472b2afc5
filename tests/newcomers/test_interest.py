"""Showing interest in a place and withdrawing: the newcomer's own decisions, with a history."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.placements.models import Placement, PlacementEvent, PlacementStatus
from marketplace.places.models import PlaceStatus
from tests.factories import make_user
from tests.search.indexing import NEAR_AREAS, add_postcode_areas, cooking_newcomer, kitchen_place

S = PlacementStatus


@pytest.fixture(autouse=True)
def postcodes(db_session):
    add_postcode_areas(db_session, NEAR_AREAS)


@pytest.fixture
def newcomer(db_session, auth):
    user, profile = cooking_newcomer(db_session)
    auth.login(user.email)
    return user, profile


def placements(db_session, profile) -> list[Placement]:
    db_session.expire_all()
    query = sa.select(Placement).where(Placement.profile_id == profile.id).order_by(Placement.id)
    return list(db_session.scalars(query))


def test_interest_with_a_message_starts_a_placement_with_its_history(db_session, client, newcomer):
    user, profile = newcomer
    place = kitchen_place()
    response = client.post(f"/me/places/{place.id}/interest", data={"message": "Ik kook graag."})
    assert response.status_code == 302 and response.headers["Location"] == "/me"
    (placement,) = placements(db_session, profile)
    assert placement.status is S.INTERESTED and placement.newcomer_message == "Ik kook graag."
    (event,) = placement.events
    assert (event.from_status, event.to_status, event.actor_id) == (None, S.INTERESTED, user.id)
    home = client.get("/me").get_data(as_text=True)
    assert place.title in home and "You showed interest" in home
    assert "Next step:" in home and "plans a first meeting with the place" in home
    page = client.get(f"/me/placements/{placement.id}").get_data(as_text=True)
    assert "Withdraw" in page and "Ik kook graag." in page


def test_interest_twice_is_refused_with_a_message(db_session, client, newcomer):
    _user, profile = newcomer
    place = kitchen_place()
    client.post(f"/me/places/{place.id}/interest", data={})
    response = client.post(f"/me/places/{place.id}/interest", data={})
    assert response.status_code == 400
    assert "You already showed interest in this place." in response.get_data(as_text=True)
    assert len(placements(db_session, profile)) == 1


def test_a_long_message_is_refused_and_nothing_is_written(db_session, client, newcomer):
    _user, profile = newcomer
    place = kitchen_place()
    response = client.post(f"/me/places/{place.id}/interest", data={"message": "x" * 1001})
    assert response.status_code == 400
    assert "Keep your message under 1000 characters." in response.get_data(as_text=True)
    assert placements(db_session, profile) == []


def test_no_interest_in_a_place_that_is_not_open(db_session, client, newcomer):
    _user, profile = newcomer
    place = kitchen_place(status=PlaceStatus.PAUSED)
    response = client.post(f"/me/places/{place.id}/interest", data={})
    assert response.status_code == 404  # as its page: not there for the public
    assert placements(db_session, profile) == []


def test_withdrawing_ends_the_interest_and_allows_a_new_one(db_session, client, newcomer):
    user, profile = newcomer
    place = kitchen_place()
    client.post(f"/me/places/{place.id}/interest", data={})
    (placement,) = placements(db_session, profile)
    response = client.post(f"/me/placements/{placement.id}/withdraw")
    assert response.status_code == 302
    (placement,) = placements(db_session, profile)
    assert placement.status is S.WITHDRAWN
    assert [e.to_status for e in placement.events] == [S.INTERESTED, S.WITHDRAWN]
    client.post(f"/me/places/{place.id}/interest", data={})
    assert [p.status for p in placements(db_session, profile)] == [S.WITHDRAWN, S.INTERESTED]


def test_an_approved_placement_cannot_be_withdrawn_here(db_session, client, newcomer):
    _user, profile = newcomer
    placement = Placement(profile_id=profile.id, place_id=kitchen_place().id, status=S.APPROVED)
    db_session.add(placement)
    db_session.flush()
    response = client.post(f"/me/placements/{placement.id}/withdraw", follow_redirects=True)
    assert placements(db_session, profile)[0].status is S.APPROVED
    assert "Talk to your consultant about stopping." in response.get_data(as_text=True)


def test_nobody_else_can_withdraw_for_a_newcomer(db_session, client, auth, newcomer):
    _user, profile = newcomer
    placement = Placement(profile_id=profile.id, place_id=kitchen_place().id, status=S.INTERESTED)
    db_session.add(placement)
    db_session.flush()
    auth.logout()
    other = make_user(Role.NEWCOMER)
    auth.login(other.email)
    assert client.post(f"/me/placements/{placement.id}/withdraw").status_code == 404
    assert placements(db_session, profile)[0].status is S.INTERESTED
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlacementEvent)) == 0
