"""Giving feedback: who may, when, and what must be in it (the rules live in the services)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace.accounts.models import Role
from marketplace.db import utcnow
from marketplace.domain import DomainError, NotAllowed
from marketplace.feedback.models import FeedbackAbout, FeedbackStage
from marketplace.feedback.services import (
    COMMENT_LENGTH,
    REPEAT_DAYS,
    Answers,
    give_place_feedback,
    give_service_feedback,
)
from marketplace.placements.models import PlacementStatus
from tests.factories import make_user
from tests.feedback.records import all_feedback, newcomer_with_profile, placement_of

S = PlacementStatus
GOOD = Answers(meaningful=4, respect=5, would_recommend=True, comment="  Fijne collega's.  ")


@pytest.fixture
def today():
    return utcnow().date()


def test_during_a_placement_the_newcomer_rates_its_place(db_session, newcomer, today):
    user, profile = newcomer
    placement = placement_of(db_session, profile, S.ACTIVE)

    give_place_feedback(db_session, user, placement, GOOD, today)

    (feedback,) = all_feedback(db_session)
    assert (feedback.about, feedback.stage) == (FeedbackAbout.PLACE, FeedbackStage.DURING)
    assert (feedback.profile_id, feedback.placement_id, feedback.place_id) == (
        profile.id,
        placement.id,
        placement.place_id,
    )
    assert (feedback.meaningful, feedback.learned, feedback.respect) == (4, None, 5)
    assert feedback.would_recommend is True and feedback.comment == "Fijne collega's."


@pytest.mark.parametrize("status", [S.COMPLETED, S.ENDED_EARLY])
def test_after_a_placement_one_feedback_is_welcome(db_session, newcomer, today, status):
    user, profile = newcomer
    placement = placement_of(db_session, profile, status)

    give_place_feedback(db_session, user, placement, Answers(learned=3), today)
    with pytest.raises(DomainError, match="already gave feedback after this placement"):
        give_place_feedback(db_session, user, placement, Answers(learned=5), today + timedelta(99))

    assert [(f.stage, f.learned) for f in all_feedback(db_session)] == [(FeedbackStage.AFTER, 3)]


def test_feedback_during_does_not_use_up_the_feedback_after(db_session, newcomer, today):
    user, profile = newcomer
    placement = placement_of(db_session, profile, S.ACTIVE)
    give_place_feedback(db_session, user, placement, Answers(learned=3), today)
    placement.status = S.COMPLETED

    give_place_feedback(db_session, user, placement, Answers(learned=4), today + timedelta(1))

    stages = [f.stage for f in all_feedback(db_session)]
    assert stages == [FeedbackStage.DURING, FeedbackStage.AFTER]


@pytest.mark.parametrize(
    "status", [S.INTERESTED, S.PROPOSED, S.INTRODUCED, S.APPROVED, S.DECLINED, S.WITHDRAWN]
)
def test_no_feedback_before_the_placement_started(db_session, newcomer, today, status):
    user, profile = newcomer
    placement = placement_of(db_session, profile, status)

    with pytest.raises(DomainError, match="when your placement has started"):
        give_place_feedback(db_session, user, placement, GOOD, today)

    assert all_feedback(db_session) == []


def test_during_a_placement_once_every_28_days(db_session, newcomer, today):
    user, profile = newcomer
    placement = placement_of(db_session, profile, S.ACTIVE)
    give_place_feedback(db_session, user, placement, Answers(meaningful=2), today)

    with pytest.raises(DomainError, match="You can give feedback again from"):
        give_place_feedback(
            db_session, user, placement, Answers(meaningful=3), today + timedelta(REPEAT_DAYS - 1)
        )
    give_place_feedback(
        db_session, user, placement, Answers(meaningful=4), today + timedelta(REPEAT_DAYS)
    )

    assert [f.meaningful for f in all_feedback(db_session)] == [2, 4]


def test_the_28_days_count_per_placement(db_session, newcomer, today):
    user, profile = newcomer
    first, second = (placement_of(db_session, profile, S.ACTIVE) for _ in range(2))
    give_place_feedback(db_session, user, first, Answers(meaningful=2), today)

    give_place_feedback(db_session, user, second, Answers(meaningful=5), today)

    assert len(all_feedback(db_session)) == 2


@pytest.mark.parametrize("role", [Role.NEWCOMER, Role.CONSULTANT, Role.EMPLOYER, Role.ADMIN])
def test_only_the_newcomer_of_the_placement_gives_feedback(db_session, newcomer, today, role):
    _user, profile = newcomer
    placement = placement_of(db_session, profile, S.ACTIVE)
    profile.consultant_id = (consultant := make_user(Role.CONSULTANT)).id
    someone = consultant if role == Role.CONSULTANT else make_user(role)

    with pytest.raises(NotAllowed):
        give_place_feedback(db_session, someone, placement, GOOD, today)
    with pytest.raises(NotAllowed):
        give_service_feedback(db_session, someone, profile, GOOD, today)

    assert all_feedback(db_session) == []


@pytest.mark.parametrize(
    "answers",
    [Answers(), Answers(comment="   "), Answers(would_recommend=None)],
    ids=["nothing", "only spaces", "only not sure"],
)
def test_at_least_one_answer_is_needed(db_session, newcomer, today, answers):
    user, profile = newcomer
    placement = placement_of(db_session, profile, S.ACTIVE)

    with pytest.raises(DomainError, match="Answer at least one question"):
        give_place_feedback(db_session, user, placement, answers, today)
    with pytest.raises(DomainError, match="Answer at least one question"):
        give_service_feedback(db_session, user, profile, answers, today)

    assert all_feedback(db_session) == []


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        (Answers(comment="x" * (COMMENT_LENGTH + 1)), "comment"),
        (Answers(respect=6), "respect"),
        (Answers(dutch_practice=0), "dutch_practice"),
    ],
)
def test_bad_answers_are_refused_at_their_question(db_session, newcomer, today, answers, field):
    user, profile = newcomer
    placement = placement_of(db_session, profile, S.ACTIVE)

    with pytest.raises(DomainError) as refused:
        give_place_feedback(db_session, user, placement, answers, today)

    assert refused.value.field == field
    assert all_feedback(db_session) == []


def test_a_no_is_an_answer(db_session, newcomer, today):
    user, profile = newcomer
    placement = placement_of(db_session, profile, S.ACTIVE)

    give_place_feedback(db_session, user, placement, Answers(would_recommend=False), today)

    assert [f.would_recommend for f in all_feedback(db_session)] == [False]


def test_feedback_on_the_service_once_every_28_days(db_session, newcomer, today):
    user, profile = newcomer
    give_service_feedback(db_session, user, profile, Answers(respect=5), today)

    with pytest.raises(DomainError, match="You can give feedback again from"):
        give_service_feedback(
            db_session, user, profile, Answers(respect=1), today + timedelta(REPEAT_DAYS - 1)
        )
    give_service_feedback(
        db_session, user, profile, Answers(respect=4), today + timedelta(REPEAT_DAYS)
    )

    found = all_feedback(db_session)
    assert [(f.about, f.respect) for f in found] == [
        (FeedbackAbout.SERVICE, 5),
        (FeedbackAbout.SERVICE, 4),
    ]
    assert {(f.place_id, f.placement_id, f.stage) for f in found} == {(None, None, None)}


def test_service_feedback_of_one_newcomer_does_not_hold_back_another(db_session, newcomer, today):
    user, profile = newcomer
    other_user, other_profile = newcomer_with_profile(db_session)
    give_service_feedback(db_session, user, profile, Answers(respect=5), today)

    give_service_feedback(db_session, other_user, other_profile, Answers(respect=3), today)

    assert len(all_feedback(db_session)) == 2
