"""The placement workflow under random sequences of steps, by random people (security.md R06).

Hypothesis drives a small world (one place with one spot, three newcomers, two consultants, a
host, another employer) through interest, proposals, answers, workflow steps and reassignments.
After every step: no illegal state, no approval by anyone but the newcomer's consultant of that
moment, and never more placements holding a spot than the place has. The expected outcome of
each step comes from the EXPECTED table in test_workflow.py, written independently of the code.
"""

from __future__ import annotations

import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from marketplace.accounts.models import Role
from marketplace.domain import DomainError, NotAllowed
from marketplace.newcomers.models import NewcomerProfile
from marketplace.placements import services
from marketplace.placements.models import OPEN_STATUSES, Placement, PlacementEvent
from marketplace.placements.models import PlacementStatus as S
from marketplace.placements.workflow import Step, propose, take
from marketplace.places.models import Place
from tests.factories import make_organisation, make_place, make_user
from tests.placements.test_workflow import EXPECTED

PEOPLE = ("newcomer", "consultant", "other_consultant", "host", "other_employer")
HOLDS_SPOT = {S.APPROVED, S.ACTIVE}
SPOTS = 1
FORWARD = (Step.INTRODUCE, Step.HOST_ACCEPT, Step.APPROVE, Step.START)


def machine_for(dbs, today):
    """A state machine class bound to this test's database session."""

    class PlacementWorld(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            organisation = make_organisation()
            self.place = make_place(organisation, spots=SPOTS)
            self.consultants = [make_user(Role.CONSULTANT), make_user(Role.CONSULTANT)]
            self.host = make_user(Role.EMPLOYER, organisation=organisation)
            self.other_employer = make_user(Role.EMPLOYER)
            self.newcomers = []
            for _ in range(3):
                user = make_user(Role.NEWCOMER)
                profile = dbs.scalars(sa.select(NewcomerProfile).filter_by(user_id=user.id)).one()
                profile.consultant_id = self.consultants[0].id
                self.newcomers.append((user, profile))
            dbs.flush()
            self.placements: list[Placement] = []
            #: the machine's own idea of each placement's state, kept beside the database's
            self.expected: dict[int, S] = {}
            #: (placement, consultant assigned to its newcomer at that moment) of each approval
            self.approvals: list[tuple[int, int]] = []

        def _who(self, name: str, placement: Placement):
            user, profile = next(n for n in self.newcomers if n[1].id == placement.profile_id)
            assigned = next(c for c in self.consultants if c.id == profile.consultant_id)
            other = next(c for c in self.consultants if c.id != profile.consultant_id)
            return {
                "newcomer": user,
                "consultant": assigned,
                "other_consultant": other,
                "host": self.host,
                "other_employer": self.other_employer,
            }[name]

        def _attempt(self, action) -> Exception | None:
            """Run one action in a savepoint: a refused action leaves nothing behind."""
            try:
                with dbs.begin_nested():
                    action()
            except (DomainError, NotAllowed) as error:
                return error
            return None

        @rule(who=st.integers(0, 2), by_consultant=st.booleans())
        def open_placement(self, who, by_consultant):
            user, profile = self.newcomers[who]
            already_open = any(
                p.profile_id == profile.id and self.expected[p.id] in OPEN_STATUSES
                for p in self.placements
            )
            made = []
            if by_consultant:
                consultant = next(c for c in self.consultants if c.id == profile.consultant_id)
                error = self._attempt(
                    lambda: made.append(propose(dbs, consultant, profile, self.place, today))
                )
            else:
                error = self._attempt(
                    lambda: made.append(
                        services.show_interest(dbs, user, profile, self.place, None)
                    )
                )
            assert (error is None) == (not already_open), error
            if error is None:
                placement = made[0]
                self.placements.append(placement)
                self.expected[placement.id] = placement.status

        @rule(index=st.integers(0, 20), yes=st.booleans())
        def answer(self, index, yes):
            if not self.placements:
                return
            placement = self.placements[index % len(self.placements)]
            user = self._who("newcomer", placement)
            waiting = self.expected[placement.id] is S.PROPOSED and placement.awaits_newcomer
            error = self._attempt(
                lambda: services.answer_proposal(dbs, user, placement, yes, "reason")
            )
            dbs.refresh(placement)
            assert (error is None) == waiting, error
            if error is None and not yes:
                self.expected[placement.id] = S.DECLINED

        @rule(
            index=st.integers(0, 20), step=st.sampled_from(list(Step)), who=st.sampled_from(PEOPLE)
        )
        def take_step(self, index, step, who):
            if not self.placements:
                return
            placement = self.placements[index % len(self.placements)]
            dbs.refresh(placement)
            user = self._who(who, placement)
            sources, target, taker = EXPECTED[step]
            source = self.expected[placement.id]
            full = sum(self.expected[p.id] in HOLDS_SPOT for p in self.placements) >= SPOTS
            allowed = (
                source in sources
                and taker == who
                and not (step is Step.INTRODUCE and placement.awaits_newcomer)
                and not (step is Step.APPROVE and full)
            )
            error = self._attempt(
                lambda: take(dbs, user, placement, step, reason="a reason", on=today)
            )
            assert (error is None) == allowed, (step, source, who, error)
            if step is Step.APPROVE and error is None:
                self.approvals.append((placement.id, placement.profile.consultant_id))
            if error is None:
                self.expected[placement.id] = target
            dbs.refresh(placement)

        @rule(index=st.integers(0, 20))
        def advance(self, index):
            """The right person takes the next step forward, so runs reach the last spot."""
            if not self.placements:
                return
            placement = self.placements[index % len(self.placements)]
            dbs.refresh(placement)
            if placement.awaits_newcomer:
                self.answer(index, yes=True)
                return
            source = self.expected[placement.id]
            step = next((s for s in FORWARD if source in EXPECTED[s][0]), None)
            if step is not None:
                self.take_step(index, step, EXPECTED[step][2])

        @rule(who=st.integers(0, 2), to=st.integers(0, 1))
        def reassign(self, who, to):
            """An admin moves a newcomer to the other consultant (or keeps them)."""
            self.newcomers[who][1].consultant_id = self.consultants[to].id
            dbs.flush()

        @invariant()
        def states_are_the_expected_ones(self):
            for placement in self.placements:
                status = dbs.scalar(sa.select(Placement.status).filter_by(id=placement.id))
                assert status is self.expected[placement.id]

        @invariant()
        def never_more_placements_than_spots(self):
            holding = dbs.scalar(
                sa.select(sa.func.count())
                .select_from(Placement)
                .where(Placement.place_id == self.place.id, Placement.status.in_(HOLDS_SPOT))
            )
            taken = dbs.scalar(sa.select(Place.spots_taken).filter_by(id=self.place.id))
            assert holding == taken <= SPOTS

        @invariant()
        def approvals_only_by_the_assigned_consultant(self):
            """Every approval in the database was made by the newcomer's own consultant of that
            moment: never the other consultant, not even after a reassignment."""
            approvals = dbs.execute(
                sa.select(PlacementEvent.placement_id, PlacementEvent.actor_id)
                .join(Placement)
                .where(Placement.place_id == self.place.id, PlacementEvent.to_status == S.APPROVED)
                .order_by(PlacementEvent.id)
            ).all()
            assert [tuple(a) for a in approvals] == self.approvals

        @invariant()
        def one_open_placement_per_newcomer(self):
            for _user, profile in self.newcomers:
                open_count = sum(
                    p.profile_id == profile.id and self.expected[p.id] in OPEN_STATUSES
                    for p in self.placements
                )
                assert open_count <= 1

    return PlacementWorld


def test_random_workflows_keep_the_rules(app, db_session):
    from marketplace import clock

    with app.test_request_context():
        run_state_machine_as_test(
            machine_for(db_session, clock.today()),
            settings=settings(
                max_examples=60,
                stateful_step_count=40,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
            ),
        )
