"""The placement workflow table: every step, from every state, by every kind of user."""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.domain import DomainError
from marketplace.placements.models import Placement, PlacementEvent, PlacementStatus
from marketplace.placements.workflow import NOT_YET_YES, PLACE_FULL, Step, take
from marketplace.places.models import Place
from marketplace.search.models import OutboxEntry
from tests.factories import make_organisation, make_place, make_user
from tests.search.indexing import cooking_newcomer

S = PlacementStatus
WHO = ("newcomer", "consultant", "host", "other_consultant", "other_employer", "admin")
BEFORE_APPROVAL = {S.INTERESTED, S.PROPOSED, S.INTRODUCED, S.ACCEPTED_BY_HOST}

#: the workflow as design.md and the issue describe it, written out on its own (not read from
#: the code): step -> (the states it starts from, the state it leads to, who takes it)
EXPECTED = {
    Step.INTRODUCE: ({S.INTERESTED, S.PROPOSED}, S.INTRODUCED, "consultant"),
    Step.HOST_ACCEPT: ({S.INTRODUCED}, S.ACCEPTED_BY_HOST, "host"),
    Step.HOST_DECLINE: ({S.INTRODUCED}, S.DECLINED, "host"),
    Step.APPROVE: ({S.ACCEPTED_BY_HOST}, S.APPROVED, "consultant"),
    Step.START: ({S.APPROVED}, S.ACTIVE, "consultant"),
    Step.COMPLETE: ({S.ACTIVE}, S.COMPLETED, "consultant"),
    Step.END_EARLY: ({S.APPROVED, S.ACTIVE}, S.ENDED_EARLY, "consultant"),
    Step.DECLINE: (BEFORE_APPROVAL, S.DECLINED, "consultant"),
    Step.WITHDRAW: (BEFORE_APPROVAL, S.WITHDRAWN, "newcomer"),
}


def test_the_table_covers_every_step():
    assert set(EXPECTED) == set(Step)


@pytest.fixture
def world(db_session):
    consultant = make_user(Role.CONSULTANT)
    newcomer, profile = cooking_newcomer(db_session)
    profile.consultant_id = consultant.id
    organisation = make_organisation()
    place = make_place(organisation, spots=2)
    users = {
        "newcomer": newcomer,
        "consultant": consultant,
        "host": make_user(Role.EMPLOYER, organisation=organisation),
        "other_consultant": make_user(Role.CONSULTANT),
        "other_employer": make_user(Role.EMPLOYER),
        "admin": make_user(Role.ADMIN),
    }
    return users, profile, place


def placement_in(db_session, profile, place, status: S) -> Placement:
    placement = Placement(profile_id=profile.id, place_id=place.id, status=status)
    if status is S.PROPOSED:
        placement.newcomer_agreed_at = sa.func.now()
    db_session.add(placement)
    if status in (S.APPROVED, S.ACTIVE):
        place.spots_taken += 1
    db_session.flush()
    db_session.refresh(placement)
    return placement


CELLS = list(itertools.product(list(Step), list(S), WHO))


@pytest.mark.parametrize(("step", "status", "who"), CELLS, ids=lambda v: str(v))
def test_each_step_from_each_state_by_each_user(db_session, world, step, status, who):
    users, profile, place = world
    placement = placement_in(db_session, profile, place, status)
    sources, target, taker = EXPECTED[step]
    allowed = status in sources and taker == who
    taken_before = place.spots_taken
    events_before = db_session.scalar(sa.select(sa.func.count()).select_from(PlacementEvent))
    try:
        take(db_session, users[who], placement, step, reason="Omdat het zo is.")
    except DomainError:
        assert not allowed, f"{who} could not {step} from {status}"
        db_session.expire_all()
        assert placement.status is status  # a refused step changes nothing
        events = db_session.scalar(sa.select(sa.func.count()).select_from(PlacementEvent))
        assert events == events_before
        return
    assert allowed, f"{who} could {step} from {status}"
    db_session.expire_all()
    assert placement.status is target
    assert (placement.events[-1].from_status, placement.events[-1].to_status) == (status, target)
    spots = {Step.APPROVE: 1, Step.COMPLETE: -1, Step.END_EARLY: -1}.get(step, 0)
    assert place.spots_taken == taken_before + spots


def test_declining_and_ending_early_need_a_reason(db_session, world):
    users, profile, place = world
    placement = placement_in(db_session, profile, place, S.ACTIVE)
    with pytest.raises(DomainError) as refused:
        take(db_session, users["consultant"], placement, Step.END_EARLY, reason="  ")
    assert refused.value.field == "reason"
    assert placement.status is S.ACTIVE


def test_an_introduction_waits_for_the_newcomers_yes(db_session, world):
    users, profile, place = world
    placement = Placement(profile_id=profile.id, place_id=place.id, status=S.PROPOSED)
    db_session.add(placement)
    db_session.flush()
    with pytest.raises(DomainError) as refused:
        take(db_session, users["consultant"], placement, Step.INTRODUCE)
    assert refused.value.message == NOT_YET_YES


def test_approval_takes_a_spot_and_a_full_place_refuses(db_session, world):
    users, profile, place = world
    place.spots_taken = 2  # both spots taken
    db_session.flush()
    placement = placement_in(db_session, profile, place, S.ACCEPTED_BY_HOST)
    with pytest.raises(DomainError) as refused:
        take(db_session, users["consultant"], placement, Step.APPROVE)
    assert refused.value.message == PLACE_FULL
    db_session.expire_all()
    assert placement.status is S.ACCEPTED_BY_HOST and place.spots_taken == 2


def test_a_spot_that_changes_reaches_the_search_index(db_session, world):
    users, profile, place = world
    placement = placement_in(db_session, profile, place, S.ACCEPTED_BY_HOST)
    before = db_session.scalar(sa.select(sa.func.count()).select_from(OutboxEntry))
    take(db_session, users["consultant"], placement, Step.APPROVE)
    entries = db_session.scalars(sa.select(OutboxEntry).order_by(OutboxEntry.id)).all()
    assert len(entries) > before and (entries[-1].entity, entries[-1].entity_id) == (
        "place",
        place.id,
    )
    assert db_session.get(Place, place.id).spots_free == 1
