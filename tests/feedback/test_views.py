"""The feedback pages, as a newcomer uses them, and what an employer never sees."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace.accounts.models import Role
from marketplace.db import utcnow
from marketplace.feedback.models import FeedbackAbout, FeedbackStage
from marketplace.feedback.services import REPEAT_DAYS, Answers, give_place_feedback
from marketplace.placements.models import PlacementStatus
from tests.factories import make_organisation, make_place, make_user
from tests.feedback.records import (
    COMMENT_MARKER,
    all_feedback,
    newcomer_with_profile,
    placement_of,
)

S = PlacementStatus


@pytest.fixture
def signed_in(newcomer, auth):
    user, profile = newcomer
    auth.login(user.email)
    return user, profile


def url(placement) -> str:
    return f"/me/placements/{placement.id}/feedback"


def test_the_page_says_who_sees_the_answers_and_shows_the_form(db_session, client, signed_in):
    placement = placement_of(db_session, signed_in[1], S.ACTIVE)

    page = client.get(url(placement))

    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "The place does not see your name or your answers." in text
    assert "only made from the answers of at least 3 people" in text
    assert "Your consultant reads your answers" in text
    assert "Could you speak Dutch there?" in text and "5 – very much" in text
    assert "<legend" in text and 'name="meaningful"' in text
    assert all_feedback(db_session) == []


def test_sending_feedback_thanks_the_newcomer_and_lists_it(db_session, client, signed_in):
    placement = placement_of(db_session, signed_in[1], S.ACTIVE)

    response = client.post(
        url(placement),
        data={"meaningful": "4", "respect": "5", "would_recommend": "not_sure", "comment": "Fijn"},
    )

    assert response.status_code == 302 and response.headers["Location"] == "/me"
    assert "Thank you for your feedback." in client.get("/me").get_data(as_text=True)
    (feedback,) = all_feedback(db_session)
    assert (feedback.stage, feedback.meaningful, feedback.respect) == (FeedbackStage.DURING, 4, 5)
    assert feedback.would_recommend is None and feedback.comment == "Fijn"
    page = client.get(url(placement)).get_data(as_text=True)
    assert "Your earlier feedback" in page and "During the placement" in page
    assert "Fijn" in page and "4 of 5" in page


def test_the_28_days_are_explained_and_kept(db_session, client, signed_in, app, monkeypatch):
    placement = placement_of(db_session, signed_in[1], S.ACTIVE)
    client.post(url(placement), data={"learned": "3"})

    page = client.get(url(placement)).get_data(as_text=True)
    assert "You can give feedback again from" in page and 'name="learned"' not in page
    again = client.post(url(placement), data={"learned": "5"})
    assert again.status_code == 400 and len(all_feedback(db_session)) == 1

    later = utcnow().date() + timedelta(days=REPEAT_DAYS)
    monkeypatch.setitem(app.config, "FIXED_TODAY", later.isoformat())
    assert client.post(url(placement), data={"learned": "5"}).status_code == 302
    assert [f.learned for f in all_feedback(db_session)] == [3, 5]


@pytest.mark.parametrize("status", [S.INTERESTED, S.PROPOSED])
def test_before_the_start_the_page_says_why_and_nothing_is_written(
    db_session, client, signed_in, status
):
    placement = placement_of(db_session, signed_in[1], status)

    page = client.get(url(placement))
    sent = client.post(url(placement), data={"meaningful": "4"})

    assert page.status_code == 200
    assert "when your placement has started" in page.get_data(as_text=True)
    assert 'name="meaningful"' not in page.get_data(as_text=True)
    assert sent.status_code == 400
    assert all_feedback(db_session) == []


def test_another_newcomers_placement_is_not_found(db_session, client, signed_in):
    _other_user, other_profile = newcomer_with_profile(db_session)
    placement = placement_of(db_session, other_profile, S.ACTIVE)

    assert client.get(url(placement)).status_code == 404
    assert client.post(url(placement), data={"meaningful": "4"}).status_code == 404
    assert client.get("/me/placements/999999/feedback").status_code == 404
    assert all_feedback(db_session) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Answer at least one question"),
        ({"would_recommend": "not_sure", "comment": "   "}, "Answer at least one question"),
        ({"comment": "x" * 2001}, "Keep your text under 2000 characters."),
        ({"meaningful": "6"}, "Choose a number from 1 to 5."),
        ({"respect": "abc"}, "Choose a number from 1 to 5."),
        ({"would_recommend": "maybe"}, "Choose yes, no or not sure."),
    ],
    ids=["empty", "only not sure", "long comment", "score 6", "not a number", "odd choice"],
)
def test_bad_input_is_explained_and_nothing_is_written(
    db_session, client, signed_in, data, message
):
    placement = placement_of(db_session, signed_in[1], S.ACTIVE)

    response = client.post(url(placement), data=data)

    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert message in text and "Please check the following" in text
    assert all_feedback(db_session) == []


def test_feedback_on_the_service(db_session, client, signed_in):
    page = client.get("/me/feedback").get_data(as_text=True)
    assert "No employer sees your answers." in page
    assert "Does the municipality treat you with respect?" in page
    assert 'name="dutch_practice"' not in page  # not a question about the service

    response = client.post("/me/feedback", data={"respect": "5", "would_recommend": "yes"})

    assert response.status_code == 302 and response.headers["Location"] == "/me"
    (feedback,) = all_feedback(db_session)
    assert (feedback.about, feedback.profile_id) == (FeedbackAbout.SERVICE, signed_in[1].id)
    assert (feedback.respect, feedback.would_recommend, feedback.place_id) == (5, True, None)
    again = client.get("/me/feedback").get_data(as_text=True)
    assert "You can give feedback again from" in again and "5 of 5" in again


def test_service_feedback_with_bad_input(db_session, client, signed_in):
    response = client.post("/me/feedback", data={"dutch_practice": "4"})  # not asked here

    assert response.status_code == 400
    assert "Answer at least one question" in response.get_data(as_text=True)
    assert all_feedback(db_session) == []


def test_the_host_never_sees_a_comment(db_session, client, auth):
    organisation = make_organisation()
    employer = make_user(Role.EMPLOYER, organisation=organisation, language="en")
    place = make_place(organisation, title="Koken voor de buurt")
    for score in (2, 4, 5):
        user, profile = newcomer_with_profile(db_session)
        placement = placement_of(db_session, profile, S.COMPLETED, place=place)
        answers = Answers(meaningful=score, comment=f"{COMMENT_MARKER} {user.name}")
        give_place_feedback(db_session, user, placement, answers, utcnow().date())
    auth.login(employer.email)

    for page in ("/organisation", f"/places/{place.id}", f"/places/{place.id}/koken-voor-de-buurt"):
        response = client.get(page, follow_redirects=True)
        text = response.get_data(as_text=True)
        assert response.status_code == 200 and "Koken voor de buurt" in text
        assert COMMENT_MARKER not in text, page
