"""A small hand-built data set with fixed dates, whose figures are worked out by hand below.

Consultant A's caseload, all in Utrecht:

=====  =================  ==========================  ==============  ==================
who    start              first placement (days)      ladder steps    MAP (plan in force)
=====  =================  ==========================  ==============  ==================
n1     intake 5 Jan       approved 20 Jan (15)        2, 3, 4         40 of 40 (reached)
n2     integration 1 Nov  approved 15 Feb (106)       3, 3            10 of 40 (under half)
n3     intake 10 Jan      started 1 Mar (50)          4, 2            25 of 40 (half)
n4     intake 1 Feb       none (only interest)        1               0 of 40 (none)
n5     none               approved 3 Mar (left out)   none            no plan
=====  =================  ==========================  ==============  ==================

Placements: active 2 (n1, n2's second), completed 2 (n2, n3), ended early 1 (n5),
interested 1 (n4). Median days to a first placement: 50 (15, 50, 106).
Follow-ups: n2 paid work at 6 and 12 months; n3 education at 6 months (12 not recorded);
n5 neither at 6 months. At 6 months 3 recorded, 1 paid, 1 education, 2 either (67 %);
at 12 months 1 recorded, 1 paid; durable work 1.

Consultant B's one newcomer n6 lives in Amersfoort: intake 1 Jan, approved 2 Jan, ladder
1 to 6, MAP reached. Feedback: place X (organisation ``=SUM(A1)``) from n1, n2, n3,
meaningful 2, 3, 2 (flagged), respect 4, 4, 5; places Y (n1, n2) and Z (n3) of organisation
``@Keukens`` have too few answers each, but their organisation has three newcomers.
Review: one new place waiting 3 days, one 20 days, one change waiting 40 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from marketplace.accounts.models import Role, User
from marketplace.feedback.models import Feedback, FeedbackAbout, FeedbackStage
from marketplace.newcomers.models import Intake, LadderContext, LadderStep, NewcomerProfile
from marketplace.organisations.models import Organisation
from marketplace.placements.models import (
    FollowUp,
    Outcome,
    OutcomeResult,
    Placement,
    PlacementStatus,
)
from marketplace.places.models import Place, PlaceStatus
from marketplace.plans.models import ActivityKind, Plan, PlanActivity
from tests.factories import make_organisation, make_place, make_user

TODAY = date(2026, 12, 1)
S = PlacementStatus


@dataclass
class DataSet:
    consultant_a: User
    consultant_b: User
    newcomers: list[NewcomerProfile]  # n1 ... n6
    outcomes: list[Outcome]
    place_x: Place
    organisations: dict[str, Organisation]


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


def _newcomer(dbs, consultant: User, municipality: str, **fields) -> NewcomerProfile:
    user = make_user(Role.NEWCOMER)
    profile = dbs.scalar(sa.select(NewcomerProfile).where(NewcomerProfile.user_id == user.id))
    profile.consultant_id = consultant.id
    profile.municipality = municipality
    for name, value in fields.items():
        setattr(profile, name, value)
    return profile


def _intake(dbs, profile, day: date) -> None:
    dbs.add(Intake(profile_id=profile.id, held_on=day))


def _ladder(dbs, profile, *steps: tuple[date, int]) -> None:
    for day, rung in steps:
        dbs.add(
            LadderStep(
                profile_id=profile.id,
                rung=rung,
                recorded_on=day,
                reason="Gesprek.",
                context=LadderContext.CHECK_IN,
            )
        )


def _placement(dbs, profile, place, status, approved=None, started=None) -> Placement:
    placement = Placement(
        profile_id=profile.id,
        place_id=place.id,
        status=status,
        approved_at=_at(approved) if approved else None,
        started_on=started,
    )
    dbs.add(placement)
    dbs.flush()
    return placement


def _outcome(dbs, placement, result, *answers: tuple[int, bool | None, bool | None]) -> Outcome:
    """An outcome with follow-ups (months, paid work, education); None answers: not recorded."""
    outcome = Outcome(placement_id=placement.id, result=result)
    dbs.add(outcome)
    dbs.flush()
    for months, paid, learning in answers:
        recorded = paid is not None
        dbs.add(
            FollowUp(
                outcome_id=outcome.id,
                months=months,
                due_on=date(2026, 1, 1) + timedelta(days=30 * months),
                in_paid_work=paid,
                in_education=learning,
                recorded_at=_at(date(2026, 10, 1)) if recorded else None,
            )
        )
    dbs.flush()
    return outcome


def _plan(dbs, profile, version: int, agreed: bool, hours_done: int, required: int | None):
    plan = Plan(
        profile_id=profile.id,
        version=version,
        learning_route="b1",
        agreed_at=_at(date(2026, 2, 1)) if agreed else None,
    )
    dbs.add(plan)
    dbs.flush()
    dbs.add(
        PlanActivity(
            plan_id=plan.id,
            kind=ActivityKind.MAP,
            description="MAP",
            hours_required=required,
            hours_done=hours_done,
        )
    )


def _feedback(dbs, profile, place, meaningful: int, respect: int) -> None:
    dbs.add(
        Feedback(
            about=FeedbackAbout.PLACE,
            profile_id=profile.id,
            place_id=place.id,
            stage=FeedbackStage.DURING,
            meaningful=meaningful,
            respect=respect,
            would_recommend=True,
        )
    )


def build(dbs) -> DataSet:
    """The data set of the module docstring, flushed in the test's transaction."""
    a, b = make_user(Role.CONSULTANT, language="en"), make_user(Role.CONSULTANT, language="en")
    n1 = _newcomer(dbs, a, "Utrecht")
    n2 = _newcomer(dbs, a, "Utrecht", integration_started_on=date(2025, 11, 1))
    n3 = _newcomer(dbs, a, "Utrecht")
    n4 = _newcomer(dbs, a, "Utrecht")
    n5 = _newcomer(dbs, a, "Utrecht")
    n6 = _newcomer(dbs, b, "Amersfoort")
    dbs.flush()
    for profile, day in ((n1, date(2026, 1, 5)), (n3, date(2026, 1, 10)), (n4, date(2026, 2, 1))):
        _intake(dbs, profile, day)
    _intake(dbs, n6, date(2026, 1, 1))

    evil = make_organisation("=SUM(A1)")
    kitchens = make_organisation("@Keukens")
    place_x = make_place(evil, title="+31 keuken")
    place_y = make_place(kitchens, title="-Bakkerij")
    place_z = make_place(kitchens, title="Soepbar")
    other = make_place(make_organisation("Fietsenmaker"))

    _placement(dbs, n1, place_x, S.ACTIVE, approved=date(2026, 1, 20))
    p2 = _placement(dbs, n2, place_y, S.COMPLETED, approved=date(2026, 2, 15))
    _placement(dbs, n2, place_z, S.ACTIVE, approved=date(2026, 5, 1))
    p3 = _placement(dbs, n3, place_z, S.COMPLETED, started=date(2026, 3, 1))
    _placement(dbs, n4, other, S.INTERESTED)
    p5 = _placement(dbs, n5, other, S.ENDED_EARLY, approved=date(2026, 3, 3))
    _placement(dbs, n6, other, S.ACTIVE, approved=date(2026, 1, 2))

    outcomes = [
        _outcome(
            dbs,
            p2,
            OutcomeResult.PAID_JOB_HOST,
            (3, True, False),
            (6, True, False),
            (12, True, False),
        ),
        _outcome(dbs, p3, OutcomeResult.EDUCATION, (6, False, True), (12, None, None)),
        _outcome(dbs, p5, OutcomeResult.STOPPED, (3, None, None), (6, False, False)),
    ]

    _ladder(dbs, n1, (date(2026, 1, 5), 2), (date(2026, 2, 1), 3), (date(2026, 3, 1), 4))
    _ladder(dbs, n2, (date(2026, 1, 1), 3), (date(2026, 4, 1), 3))
    _ladder(dbs, n3, (date(2026, 1, 10), 4), (date(2026, 5, 1), 2))
    _ladder(dbs, n4, (date(2026, 2, 1), 1))
    _ladder(dbs, n6, (date(2026, 1, 1), 1), (date(2026, 6, 1), 6))

    _plan(dbs, n1, 1, True, 40, 40)
    _plan(dbs, n1, 2, False, 0, 40)  # waits for n1's yes: not in force
    _plan(dbs, n2, 1, True, 10, None)
    _plan(dbs, n3, 1, True, 25, 40)
    _plan(dbs, n4, 1, False, 0, 40)  # the only version: in force
    _plan(dbs, n6, 1, True, 41, 40)

    for profile, meaningful, respect in ((n1, 2, 4), (n2, 3, 4), (n3, 2, 5)):
        _feedback(dbs, profile, place_x, meaningful, respect)
    _feedback(dbs, n1, place_y, 4, 4)
    _feedback(dbs, n2, place_y, 5, 5)
    _feedback(dbs, n3, place_z, 4, 3)
    _feedback(dbs, n6, other, 1, 1)

    now = _at(TODAY)
    make_place(make_organisation(), PlaceStatus.SUBMITTED, submitted_at=now - timedelta(days=3))
    make_place(make_organisation(), PlaceStatus.SUBMITTED, submitted_at=now - timedelta(days=20))
    make_place(
        make_organisation(),
        pending_changes={"title": "Nieuw"},
        changes_submitted_at=now - timedelta(days=40),
    )
    dbs.flush()
    return DataSet(
        a,
        b,
        [n1, n2, n3, n4, n5, n6],
        outcomes,
        place_x,
        {"evil": evil, "kitchens": kitchens},
    )


def add_newcomer_with_two_outcomes(dbs, data: DataSet) -> NewcomerProfile:
    """n7 in consultant A's caseload: the placement that ended last (31 May: education at 6
    months, 12 months not recorded) was saved before the one that ended first (28 February:
    paid work at 6 and 12 months). Counted once per moment, the 6 months come from the later
    one and the 12 from the earlier one: at 6 months 4 recorded, 1 paid, 2 education, 3
    either; at 12 months 2 recorded, 2 paid, 2 either; durable work stays 1."""
    n7 = _newcomer(dbs, data.consultant_a, "Utrecht")
    dbs.flush()
    later = _placement(dbs, n7, data.place_x, S.COMPLETED, approved=date(2026, 3, 1))
    earlier = _placement(dbs, n7, data.place_x, S.COMPLETED, approved=date(2026, 1, 1))
    later.ended_on, earlier.ended_on = date(2026, 5, 31), date(2026, 2, 28)
    _outcome(dbs, later, OutcomeResult.EDUCATION, (6, False, True), (12, None, None))
    _outcome(dbs, earlier, OutcomeResult.PAID_JOB, (6, True, False), (12, True, False))
    return n7
