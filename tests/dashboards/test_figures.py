"""Every dashboard figure against the hand-built data set (see dataset.py for the sums)."""

from __future__ import annotations

from collections import Counter

import pytest
import sqlalchemy as sa

from marketplace.dashboards import place_figures, progress_figures
from marketplace.dashboards.figures import (
    Scope,
    _median,
    ladder_movement,
    municipalities,
    placements_by_state,
    time_to_placement,
)
from marketplace.feedback.services import organisation_summary
from marketplace.placements.models import FollowUp
from marketplace.placements.models import PlacementStatus as S
from marketplace.placements.outcomes import is_durable_work
from tests.dashboards.dataset import TODAY, add_newcomer_with_two_outcomes, build


@pytest.fixture
def data(db_session):
    return build(db_session)


@pytest.fixture
def caseload(data):
    return Scope(consultant_id=data.consultant_a.id)


def test_placements_by_state_counts_every_state(db_session, caseload):
    counts = placements_by_state(db_session, caseload, TODAY)
    assert set(counts) == set(S)
    assert {s: n for s, n in counts.items() if n} == {
        S.ACTIVE: 2,
        S.COMPLETED: 2,
        S.ENDED_EARLY: 1,
        S.INTERESTED: 1,
    }


def test_time_to_first_placement_from_the_intake_or_the_start_of_integration(db_session, caseload):
    found = time_to_placement(db_session, caseload, TODAY)
    assert found.buckets == (1, 1, 1, 0, 0)  # 15 days, 50 days, 106 days
    assert found.median_days == 50
    assert (found.placed, found.without_start, found.not_placed) == (3, 1, 1)


def test_the_median_of_an_even_number_is_the_middle_two_halved():
    assert _median(Counter({10: 1, 20: 1})) == 15
    assert _median(Counter({10: 2, 30: 1, 40: 1})) == 20
    assert _median(Counter({7: 3})) == 7
    assert _median(Counter()) is None


def test_ladder_movement_from_the_first_step_to_the_latest(db_session, caseload):
    found = ladder_movement(db_session, caseload, TODAY)
    assert {pair: n for pair, n in found.moves.items() if n} == {(2, 4): 1, (3, 3): 1, (4, 2): 1}
    assert len(found.moves) == 36
    assert (found.up, found.same, found.down, found.one_step) == (1, 1, 1, 1)


def test_paid_work_or_education_at_6_and_12_months(db_session, caseload):
    found = progress_figures.work_or_education(db_session, caseload, TODAY)
    six, twelve = found.moments
    assert (six.months, six.recorded, six.paid_work, six.education, six.either) == (6, 3, 1, 1, 2)
    assert (twelve.months, twelve.recorded, twelve.paid_work, twelve.either) == (12, 1, 1, 1)
    assert found.durable == 1


def test_a_newcomer_with_two_outcomes_counts_once_at_each_moment(db_session, data, caseload):
    add_newcomer_with_two_outcomes(db_session, data)  # see there for the sums
    found = progress_figures.work_or_education(db_session, caseload, TODAY)
    six, twelve = found.moments
    assert (six.recorded, six.paid_work, six.education, six.either) == (4, 1, 2, 3)
    assert (twelve.recorded, twelve.paid_work, twelve.education, twelve.either) == (2, 2, 0, 2)
    assert found.durable == 1  # n7 was not in paid work 6 months after the latest placement


def test_recorded_and_in_work_are_one_rule_in_python_and_in_sql(db_session, data):
    waiting = FollowUp(months=6, due_on=TODAY, in_paid_work=True)  # a paid job, not asked yet
    data.outcomes[2].follow_ups[0].in_paid_work = True
    db_session.flush()
    follow_ups = [f for outcome in data.outcomes for f in outcome.follow_ups]

    def found(condition) -> set[int]:
        ids = [f.id for f in follow_ups]
        return set(
            db_session.scalars(sa.select(FollowUp.id).where(FollowUp.id.in_(ids), condition))
        )

    assert found(FollowUp.is_recorded) == {f.id for f in follow_ups if f.is_recorded}
    assert found(FollowUp.in_work) == {f.id for f in follow_ups if f.in_work}
    assert len(found(FollowUp.is_recorded)) == 5 and len(found(FollowUp.in_work)) == 4
    assert not waiting.is_recorded and waiting.in_work
    assert is_durable_work([waiting]) is None


def test_durable_work_agrees_with_the_rule_for_one_outcome(db_session, data, caseload):
    by_rule = [is_durable_work(outcome.follow_ups) for outcome in data.outcomes]
    assert by_rule == [True, False, False]
    found = progress_figures.work_or_education(db_session, caseload, TODAY)
    assert found.durable == by_rule.count(True)


def test_map_hours_from_the_plan_in_force(db_session, caseload):
    found = progress_figures.map_hours(db_session, caseload, TODAY)
    assert found.newcomers == {"none": 1, "under_half": 1, "half": 1, "reached": 1}
    assert found.hours_done == 40 + 10 + 25 + 0  # n1's newer version waits: not in force
    assert found.with_map == 4


def test_feedback_per_place_only_with_enough_newcomers_and_poor_places_flagged(
    db_session, data, caseload
):
    found = place_figures.feedback_figures(db_session, caseload, TODAY)
    (place,) = found.places
    assert (place.id, place.name, place.organisation) == (data.place_x.id, "+31 keuken", "=SUM(A1)")
    assert place.summary.newcomers == 3
    assert place.summary.averages["meaningful"] == pytest.approx(7 / 3)
    assert place.summary.averages["respect"] == pytest.approx(13 / 3)
    assert place.flagged
    names = [(o.name, o.flagged) for o in found.organisations]
    assert names == [("=SUM(A1)", True), ("@Keukens", False)]  # poorest first


def test_organisation_figures_agree_with_organisation_summary(db_session, data, caseload):
    found = place_figures.feedback_figures(db_session, caseload, TODAY)
    for rated in found.organisations:
        assert rated.summary == organisation_summary(db_session, rated.id)
    assert organisation_summary(db_session, data.organisations["kitchens"].id).newcomers == 3


def test_places_waiting_for_review_by_days_waiting(db_session, caseload):
    found = place_figures.review_waiting(db_session, caseload, TODAY)
    assert found.buckets == (1, 0, 1, 1)
    assert (found.waiting, found.oldest_days) == (3, 40)


def test_a_consultant_counts_only_their_own_caseload(db_session, data):
    other = Scope(consultant_id=data.consultant_b.id)
    counts = placements_by_state(db_session, other, TODAY)
    assert {s: n for s, n in counts.items() if n} == {S.ACTIVE: 1}
    assert time_to_placement(db_session, other, TODAY).buckets == (1, 0, 0, 0, 0)
    moves = ladder_movement(db_session, other, TODAY).moves
    assert {pair: n for pair, n in moves.items() if n} == {(1, 6): 1}
    assert progress_figures.map_hours(db_session, other, TODAY).newcomers["reached"] == 1
    assert progress_figures.work_or_education(db_session, other, TODAY).durable == 0
    assert place_figures.feedback_figures(db_session, other, TODAY).places == []


def test_the_municipality_scope_counts_its_newcomers_and_none_counts_all(db_session, data):
    utrecht, everyone = Scope(municipality="Utrecht"), Scope()
    assert placements_by_state(db_session, utrecht, TODAY)[S.ACTIVE] == 2
    assert placements_by_state(db_session, everyone, TODAY)[S.ACTIVE] == 3
    assert time_to_placement(db_session, everyone, TODAY).placed == 4
    assert municipalities(db_session) == ["Amersfoort", "Utrecht"]
