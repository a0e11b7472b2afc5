"""Figures from feedback: only from enough different newcomers that no one can be recognised."""

from __future__ import annotations

from dataclasses import fields

import pytest

from marketplace.db import utcnow
from marketplace.feedback.services import (
    MIN_RESPONDENTS,
    Answers,
    Summary,
    give_place_feedback,
    organisation_summary,
    place_summary,
)
from marketplace.placements.models import PlacementStatus
from tests.factories import make_organisation, make_place
from tests.feedback.records import newcomer_with_profile, placement_of

S = PlacementStatus


@pytest.fixture
def place(db_session):
    return make_place(make_organisation())


def rate(session, place, answers: Answers, status=S.ACTIVE):
    """A new newcomer with a placement at ``place`` gives this feedback."""
    user, profile = newcomer_with_profile(session)
    placement = placement_of(session, profile, status, place=place)
    give_place_feedback(session, user, placement, answers, utcnow().date())


def test_the_minimum_is_three_newcomers():
    assert MIN_RESPONDENTS == 3


def test_two_newcomers_give_no_figures_at_all(db_session, place):
    rate(db_session, place, Answers(meaningful=5, would_recommend=True))
    rate(db_session, place, Answers(meaningful=1, would_recommend=False, comment="Niet leuk."))

    assert place_summary(db_session, [place.id]) == {}
    assert organisation_summary(db_session, place.organisation_id) is None


def test_three_newcomers_give_averages_and_the_share_who_recommend(db_session, place):
    rate(db_session, place, Answers(meaningful=5, respect=4, would_recommend=True))
    rate(db_session, place, Answers(meaningful=4, respect=4, would_recommend=True), S.COMPLETED)
    rate(db_session, place, Answers(meaningful=3, respect=5, would_recommend=False))

    summary = place_summary(db_session, [place.id])[place.id]

    assert (summary.answers, summary.newcomers) == (3, 3)
    assert summary.averages["meaningful"] == pytest.approx(4.0)
    assert summary.averages["respect"] == pytest.approx(13 / 3)
    assert summary.recommend_share == pytest.approx(2 / 3)
    assert organisation_summary(db_session, place.organisation_id) == summary


def test_a_question_answered_by_fewer_than_three_shows_no_figure(db_session, place):
    rate(db_session, place, Answers(meaningful=5, dutch_practice=1))
    rate(db_session, place, Answers(meaningful=4, dutch_practice=2, would_recommend=None))
    rate(db_session, place, Answers(meaningful=3, would_recommend=True))

    summary = place_summary(db_session, [place.id])[place.id]

    assert summary.averages == {
        "meaningful": pytest.approx(4.0),
        "learned": None,
        "dutch_practice": None,  # two people: their scores could be worked out
        "respect": None,
    }
    assert summary.recommend_share is None  # "not sure" is no yes or no


def test_one_newcomer_answering_often_still_counts_as_one(db_session, place):
    user, profile = newcomer_with_profile(db_session)
    for _ in range(3):  # three placements at the same place, each with its feedback after
        placement = placement_of(db_session, profile, S.COMPLETED, place=place)
        give_place_feedback(db_session, user, placement, Answers(meaningful=2), utcnow().date())
    rate(db_session, place, Answers(meaningful=5))

    assert place_summary(db_session, [place.id]) == {}


def test_an_organisation_counts_the_newcomers_of_all_its_places(db_session):
    organisation = make_organisation()
    kitchen, garden = make_place(organisation), make_place(organisation)
    rate(db_session, kitchen, Answers(learned=4))
    rate(db_session, kitchen, Answers(learned=2))
    rate(db_session, garden, Answers(learned=3))
    rate(db_session, make_place(make_organisation()), Answers(learned=1))  # someone else's

    assert place_summary(db_session, [kitchen.id, garden.id]) == {}
    summary = organisation_summary(db_session, organisation.id)
    assert (summary.newcomers, summary.averages["learned"]) == (3, pytest.approx(3.0))


def test_places_are_summed_up_each_on_their_own(db_session):
    busy, quiet = make_place(make_organisation()), make_place(make_organisation())
    for score in (2, 3, 4):
        rate(db_session, busy, Answers(respect=score))
    rate(db_session, quiet, Answers(respect=5))

    found = place_summary(db_session, [busy.id, quiet.id])

    assert set(found) == {busy.id}
    assert found[busy.id].averages["respect"] == pytest.approx(3.0)
    assert place_summary(db_session, []) == {}


def test_a_summary_never_carries_a_comment():
    assert {f.name for f in fields(Summary)} == {
        "answers",
        "newcomers",
        "averages",
        "recommend_share",
    }
