"""The rules of outcomes and follow-ups, through the services."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from marketplace.accounts.models import Role
from marketplace.clock import add_months
from marketplace.domain import DomainError, NotAllowed
from marketplace.newcomers.models import LadderContext, LadderStep
from marketplace.placements.models import (
    ContractKind,
    FollowUp,
    Outcome,
    OutcomeResult,
    PlacementStatus,
)
from marketplace.placements.outcomes import (
    FollowUpAnswers,
    FollowUpState,
    OutcomeAnswers,
    follow_up_state,
    is_durable_work,
    record_follow_up,
    record_outcome,
)
from tests.factories import make_user

TODAY = date(2027, 2, 1)
WORKING = FollowUpAnswers(
    in_paid_work=True, in_education=False, hours_per_week=24, contract=ContractKind.TEMPORARY
)


def _outcome(dbs, ended, result=OutcomeResult.EDUCATION, **answers) -> Outcome:
    return record_outcome(
        dbs, ended.consultant, ended.placement, OutcomeAnswers(result, **answers), TODAY
    )


def _follow_up(outcome: Outcome, months: int) -> FollowUp:
    return next(f for f in outcome.follow_ups if f.months == months)


@pytest.mark.parametrize("result", list(OutcomeResult))
def test_each_result_is_recorded_with_three_follow_ups(db_session, ended, result):
    outcome = _outcome(db_session, ended, result, explanation="Eigen keuze.")
    db_session.expire_all()
    assert ended.placement.outcome.result is result
    assert outcome.explanation == "Eigen keuze." and outcome.recorded_by_id == ended.consultant.id
    assert [(f.months, f.due_on) for f in outcome.follow_ups] == [
        (3, date(2027, 4, 30)),  # 31 January + 3 months: April has 30 days
        (6, date(2027, 7, 31)),
        (12, date(2028, 1, 31)),
    ]
    assert all(f.recorded_at is None for f in outcome.follow_ups)


@pytest.mark.parametrize(
    ("day", "months", "due"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # a leap year
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2027, 10, 15), 12, date(2028, 10, 15)),
        (date(2027, 12, 31), 12, date(2028, 12, 31)),
    ],
)
def test_months_are_calendar_months(day, months, due):
    assert add_months(day, months) == due


def test_stopped_needs_a_reason(db_session, ended):
    with pytest.raises(DomainError) as refused:
        _outcome(db_session, ended, OutcomeResult.STOPPED, explanation="  ")
    assert refused.value.field == "explanation"
    assert db_session.scalars(sa.select(Outcome)).all() == []


def test_a_paid_job_keeps_hours_and_contract_for_the_first_follow_up(db_session, ended):
    outcome = _outcome(
        db_session, ended, OutcomeResult.PAID_JOB_HOST, hours_per_week=32, contract="permanent"
    )
    first = _follow_up(outcome, 3)
    assert (first.in_paid_work, first.hours_per_week, first.contract) == (True, 32, "permanent")
    assert first.recorded_at is None  # still to be asked at 3 months
    assert _follow_up(outcome, 6).hours_per_week is None


def test_hours_and_contract_are_only_for_paid_work(db_session, ended):
    with pytest.raises(DomainError) as refused:
        _outcome(db_session, ended, OutcomeResult.EDUCATION, contract=ContractKind.ON_CALL)
    assert refused.value.field == "contract"


def test_a_second_new_outcome_is_refused_with_a_message(db_session, ended):
    first = _outcome(db_session, ended)
    with pytest.raises(DomainError) as refused:
        _outcome(db_session, ended, OutcomeResult.PAID_JOB)  # the form of a double submit
    with force_locale("en"):
        assert "saved already" in str(refused.value.message)
    assert db_session.scalars(sa.select(Outcome)).all() == [first]
    assert db_session.scalar(sa.select(sa.func.count(FollowUp.id))) == 3


def test_a_correction_keeps_the_due_dates(db_session, ended):
    outcome = _outcome(db_session, ended)
    ended.placement.ended_on = date(2027, 3, 15)  # even if the end date is changed later
    record_outcome(
        db_session,
        ended.consultant,
        ended.placement,
        OutcomeAnswers(OutcomeResult.PAID_JOB, hours_per_week=20),
        TODAY,
        seen=outcome.id,
    )
    db_session.expire_all()
    assert ended.placement.outcome.result is OutcomeResult.PAID_JOB
    assert [f.due_on for f in outcome.follow_ups][0] == date(2027, 4, 30)
    assert _follow_up(outcome, 3).hours_per_week == 20


def test_no_outcome_before_the_placement_ended(db_session, ended):
    ended.placement.status = PlacementStatus.ACTIVE
    with pytest.raises(DomainError) as refused:
        _outcome(db_session, ended)
    with force_locale("en"):
        assert "has not ended yet" in str(refused.value.message)


def test_only_the_newcomers_own_consultant_records(db_session, ended):
    ended.consultant = make_user(Role.CONSULTANT)
    with pytest.raises(NotAllowed):
        _outcome(db_session, ended)
    assert db_session.scalars(sa.select(Outcome)).all() == []


def _steps(dbs) -> list[LadderStep]:
    return list(dbs.scalars(sa.select(LadderStep).order_by(LadderStep.id)))


def test_a_rung_at_a_follow_up_is_one_ladder_step_also_after_corrections(db_session, ended):
    follow_up = _follow_up(_outcome(db_session, ended), 3)
    at_three = date(2027, 4, 30)
    answers = FollowUpAnswers(**{**vars(WORKING), "ladder_rung": 5})
    with force_locale("en"):  # the default reason is written in the consultant's language
        record_follow_up(db_session, ended.consultant, follow_up, answers, at_three)
    (step,) = _steps(db_session)
    assert (step.rung, step.context, step.recorded_on) == (5, LadderContext.FOLLOW_UP, at_three)
    assert step.reason == "Follow-up 3 months after the placement."
    assert follow_up.recorded_by_id == ended.consultant.id and follow_up.recorded_at

    corrected = FollowUpAnswers(**{**vars(answers), "ladder_rung": 6, "notes": "Vast contract."})
    record_follow_up(db_session, ended.consultant, follow_up, corrected, date(2027, 5, 3))
    (step,) = _steps(db_session)
    assert (step.rung, step.reason, step.recorded_on) == (6, "Vast contract.", at_three)

    unasked = FollowUpAnswers(**{**vars(corrected), "ladder_rung": None})
    record_follow_up(db_session, ended.consultant, follow_up, unasked, date(2027, 5, 4))
    assert _steps(db_session) == []
    assert follow_up.ladder_rung is None


def test_a_follow_up_opens_14_days_before_it_is_due(db_session, ended):
    follow_up = _follow_up(_outcome(db_session, ended), 6)  # due 31 July 2027
    with pytest.raises(DomainError) as refused:
        record_follow_up(db_session, ended.consultant, follow_up, WORKING, date(2027, 7, 16))
    with force_locale("en"):
        assert "You can record it from July 17, 2027." in str(refused.value.message)
    assert follow_up.recorded_at is None and follow_up.in_paid_work is None
    record_follow_up(db_session, ended.consultant, follow_up, WORKING, date(2027, 7, 17))
    assert follow_up.in_paid_work is True


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"in_paid_work": False, "hours_per_week": None}, "contract"),
        ({"in_paid_work": False, "contract": None}, "hours_per_week"),
        ({"hours_per_week": None}, "hours_per_week"),
        ({"hours_per_week": 81}, "hours_per_week"),
        ({"notes": "x" * 2001}, "notes"),
    ],
)
def test_answers_that_do_not_fit_together_are_refused(db_session, ended, changes, field):
    follow_up = _follow_up(_outcome(db_session, ended), 3)
    answers = FollowUpAnswers(**{**vars(WORKING), **changes})
    with pytest.raises(DomainError) as refused:
        record_follow_up(db_session, ended.consultant, follow_up, answers, date(2027, 5, 1))
    assert refused.value.field == field
    assert follow_up.recorded_at is None


def test_not_working_clears_the_contract(db_session, ended):
    outcome = _outcome(db_session, ended, OutcomeResult.PAID_JOB, contract="on_call")
    follow_up = _follow_up(outcome, 3)
    answers = FollowUpAnswers(in_paid_work=False, in_education=True)
    record_follow_up(db_session, ended.consultant, follow_up, answers, date(2027, 5, 1))
    assert (follow_up.in_paid_work, follow_up.contract, follow_up.hours_per_week) == (
        False,
        None,
        None,
    )


def test_durable_work_is_paid_work_at_six_months(db_session, ended):
    outcome = _outcome(db_session, ended, OutcomeResult.PAID_JOB_HOST)
    assert is_durable_work(outcome.follow_ups) is None  # not recorded yet
    six = _follow_up(outcome, 6)
    record_follow_up(db_session, ended.consultant, six, WORKING, date(2027, 8, 1))
    assert is_durable_work(outcome.follow_ups) is True
    stopped = FollowUpAnswers(in_paid_work=False, in_education=False)
    record_follow_up(db_session, ended.consultant, six, stopped, date(2027, 8, 2))
    assert is_durable_work(outcome.follow_ups) is False
    assert is_durable_work([_follow_up(outcome, 3), _follow_up(outcome, 12)]) is None


def test_follow_up_states(db_session, ended):
    three = _follow_up(_outcome(db_session, ended), 3)  # due 30 April 2027
    assert follow_up_state(three, date(2027, 4, 15)) is FollowUpState.LATER
    assert follow_up_state(three, date(2027, 4, 16)) is FollowUpState.DUE
    assert follow_up_state(three, date(2027, 4, 30)) is FollowUpState.DUE
    assert follow_up_state(three, date(2027, 5, 1)) is FollowUpState.OVERDUE
    record_follow_up(db_session, ended.consultant, three, WORKING, date(2027, 5, 1))
    assert follow_up_state(three, date(2027, 5, 1)) is FollowUpState.DONE
