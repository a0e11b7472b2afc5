"""A consultant proposes, the newcomer decides; each placement shows its steps and the next one."""

from __future__ import annotations

from datetime import date

import pytest

from marketplace.accounts.models import Role
from marketplace.db import utcnow
from marketplace.placements.models import CheckIn, Placement, PlacementEvent, PlacementStatus
from tests.factories import make_user
from tests.search.indexing import cooking_newcomer, kitchen_place

S = PlacementStatus


@pytest.fixture
def consultant(db_session):
    return make_user(Role.CONSULTANT, language="en")


@pytest.fixture
def newcomer(db_session, auth, consultant):
    user, profile = cooking_newcomer(db_session)
    profile.consultant_id = consultant.id
    auth.login(user.email)
    return user, profile


def proposal(db_session, profile, consultant) -> Placement:
    placement = Placement(
        profile_id=profile.id,
        place_id=kitchen_place().id,
        status=S.PROPOSED,
        proposed_by_id=consultant.id,
    )
    db_session.add(placement)
    db_session.add(
        PlacementEvent(
            placement=placement, from_status=None, to_status=S.PROPOSED, actor_id=consultant.id
        )
    )
    db_session.flush()
    return placement


def test_a_proposal_asks_the_newcomer_and_a_yes_is_kept(db_session, client, newcomer, consultant):
    _user, profile = newcomer
    placement = proposal(db_session, profile, consultant)
    page = client.get(f"/me/placements/{placement.id}").get_data(as_text=True)
    assert "You decide: do you want this place? Say yes or no." in page
    assert "Your consultant proposed this place" in page and "(Your consultant)" in page
    response = client.post(
        f"/me/placements/{placement.id}/answer", data={"answer": "yes", "reason": "Graag!"}
    )
    assert response.status_code == 302
    db_session.expire_all()
    assert placement.status is S.PROPOSED and placement.newcomer_agreed_at is not None
    said = placement.events[-1]  # the yes is a step of its own, with the words for the consultant
    assert (said.from_status, said.to_status, said.note) == (S.PROPOSED, S.PROPOSED, "Graag!")
    assert placement.newcomer_message is None  # the message a place may read is untouched
    page = client.get(f"/me/placements/{placement.id}").get_data(as_text=True)
    assert "You said yes to the proposal" in page
    assert "Your consultant talks with you and plans a first meeting with the place." in page
    assert 'name="answer"' not in page


def test_a_no_ends_the_proposal_with_the_reason(db_session, client, newcomer, consultant):
    user, profile = newcomer
    placement = proposal(db_session, profile, consultant)
    client.post(f"/me/placements/{placement.id}/answer", data={"answer": "no", "reason": "Te ver"})
    db_session.expire_all()
    assert placement.status is S.DECLINED
    last = placement.events[-1]
    assert (last.to_status, last.actor_id, last.note) == (S.DECLINED, user.id, "Te ver")


def test_answering_twice_or_without_a_proposal_is_refused(db_session, client, newcomer, consultant):
    _user, profile = newcomer
    placement = proposal(db_session, profile, consultant)
    client.post(f"/me/placements/{placement.id}/answer", data={"answer": "yes"})
    again = client.post(f"/me/placements/{placement.id}/answer", data={"answer": "no"})
    assert again.status_code == 400
    assert "There is no question about this place waiting for you." in again.get_data(as_text=True)
    db_session.expire_all()
    assert placement.status is S.PROPOSED


def test_an_answer_must_be_chosen(db_session, client, newcomer, consultant):
    _user, profile = newcomer
    placement = proposal(db_session, profile, consultant)
    response = client.post(f"/me/placements/{placement.id}/answer", data={"reason": "x" * 1001})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Choose yes or no." in body and "Keep your message under 1000 characters." in body
    db_session.expire_all()
    assert placement.newcomer_agreed_at is None and placement.status is S.PROPOSED


def test_nobody_else_can_answer_or_see_the_placement(
    db_session, client, auth, newcomer, consultant
):
    _user, profile = newcomer
    placement = proposal(db_session, profile, consultant)
    auth.logout()
    auth.login(make_user(Role.NEWCOMER).email)
    assert client.get(f"/me/placements/{placement.id}").status_code == 404
    answer = client.post(f"/me/placements/{placement.id}/answer", data={"answer": "no"})
    assert answer.status_code == 404
    db_session.expire_all()
    assert placement.status is S.PROPOSED


def started_with_a_check_in(db_session, placement, next_talk: date) -> None:
    placement.status = S.ACTIVE
    db_session.add(
        CheckIn(
            placement=placement,
            held_on=date(2026, 10, 1),
            ladder_rung=4,
            attendance="good",
            next_check_in_on=next_talk,
        )
    )
    db_session.flush()


@pytest.fixture
def on_29_november(app):
    app.config["FIXED_TODAY"] = "2026-11-29"
    yield
    app.config["FIXED_TODAY"] = None


def test_an_active_placement_shows_its_check_ins_and_the_next_talk(
    db_session, client, newcomer, consultant, on_29_november
):
    user, profile = newcomer
    placement = proposal(db_session, profile, consultant)
    placement.newcomer_agreed_at = utcnow()
    for source, target, actor in (
        (S.PROPOSED, S.INTRODUCED, consultant),
        (S.INTRODUCED, S.ACCEPTED_BY_HOST, make_user(Role.EMPLOYER)),
        (S.ACCEPTED_BY_HOST, S.APPROVED, consultant),
        (S.APPROVED, S.ACTIVE, consultant),
    ):
        db_session.add(
            PlacementEvent(
                placement=placement, from_status=source, to_status=target, actor_id=actor.id
            )
        )
    started_with_a_check_in(db_session, placement, next_talk=date(2026, 12, 3))
    page = client.get(f"/me/placements/{placement.id}").get_data(as_text=True)
    for words in (
        "The place said yes",
        "(The place)",
        "The municipality approved it",
        "You started",
        "Talk about how it goes",
        "Your next talk about how it goes is on December 3, 2026.",
    ):
        assert words in page
    assert "Withdraw" not in page
    home = client.get("/me").get_data(as_text=True)
    assert "Your next talk about how it goes is on December 3, 2026." in home


def test_a_next_talk_that_has_passed_is_not_announced(
    db_session, client, newcomer, consultant, on_29_november
):
    _user, profile = newcomer
    placement = proposal(db_session, profile, consultant)
    started_with_a_check_in(db_session, placement, next_talk=date(2026, 11, 1))
    page = client.get(f"/me/placements/{placement.id}").get_data(as_text=True)
    assert "Your consultant plans a talk about how it goes." in page
    assert "November 1, 2026" not in page
