"""Check-ins on an active placement: the ladder, the MAP hours, the host's view."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.newcomers.models import LadderStep
from marketplace.placements.models import CheckIn, Placement, PlacementStatus
from marketplace.plans.models import ActivityKind, ActivityStatus, Plan, PlanActivity
from marketplace.vocab import LearningRoute
from tests.factories import make_organisation, make_place, make_user
from tests.search.indexing import cooking_newcomer

S = PlacementStatus
TALK = {
    "held_on": "2026-11-02",
    "ladder_rung": "4",
    "rung_reason": "Werkt zelfstandig mee in de keuken.",
    "attendance": "good",
    "hours_worked": "12",
    "counts_for_map": "y",
    "newcomer_words": "Ik leer veel nieuwe woorden.",
    "next_check_in_on": "2026-12-07",
}


@pytest.fixture
def active(app, db_session):
    app.config["FIXED_TODAY"] = "2026-11-29"
    consultant = make_user(Role.CONSULTANT, language="en")
    newcomer, profile = cooking_newcomer(db_session)
    profile.consultant_id = consultant.id
    organisation = make_organisation()
    host = make_user(Role.EMPLOYER, organisation=organisation, language="en")
    placement = Placement(
        profile_id=profile.id, place_id=make_place(organisation).id, status=S.ACTIVE
    )
    plan = Plan(profile_id=profile.id, version=1, learning_route=LearningRoute.B1)
    plan.agreed_at = sa.func.now()
    plan.activities = [
        PlanActivity(kind=ActivityKind.MAP, description="MAP", hours_required=40, hours_done=30)
    ]
    db_session.add_all([placement, plan])
    db_session.flush()
    yield consultant, host, newcomer, placement, plan.activities[0]
    app.config["FIXED_TODAY"] = None


def test_map_hours_also_reach_a_newer_plan_the_newcomer_has_not_agreed_to_yet(
    db_session, client, auth, active
):
    consultant, _host, newcomer, placement, map_activity = active
    newer = Plan(profile_id=placement.profile_id, version=2, learning_route=LearningRoute.B1)
    newer.activities = [
        PlanActivity(kind=ActivityKind.MAP, description="MAP", hours_required=40, hours_done=30)
    ]
    db_session.add(newer)
    db_session.flush()
    auth.login(consultant.email)
    client.post(f"/caseload/placements/{placement.id}/check-in", data=TALK)
    auth.logout()
    auth.login(newcomer.email)
    client.post(f"/me/path/plans/{newer.id}/agree", data={})
    db_session.expire_all()
    assert newer.agreed_at is not None
    assert newer.activities[0].hours_done == map_activity.hours_done == 42


def test_map_hours_count_once_when_the_only_plan_waits_for_a_yes(db_session, client, auth, active):
    consultant, _host, _newcomer, placement, map_activity = active
    map_activity.plan.agreed_at = None
    db_session.flush()
    auth.login(consultant.email)
    client.post(f"/caseload/placements/{placement.id}/check-in", data=TALK)
    db_session.expire_all()
    assert map_activity.hours_done == 42


def test_a_check_in_moves_the_ladder_and_counts_map_hours(db_session, client, auth, active):
    consultant, _host, newcomer, placement, map_activity = active
    auth.login(consultant.email)
    form = client.get(f"/caseload/placements/{placement.id}/check-in").get_data(as_text=True)
    assert "MAP practice hours counted so far: 0" in form
    response = client.post(f"/caseload/placements/{placement.id}/check-in", data=TALK)
    assert response.status_code == 302
    db_session.expire_all()
    (check_in,) = placement.check_ins
    assert (check_in.ladder_rung, check_in.hours_worked, check_in.counts_for_map) == (4, 12, True)
    step = db_session.scalars(sa.select(LadderStep)).one()
    assert (step.rung, str(step.recorded_on)) == (4, "2026-11-02")
    assert map_activity.hours_done == 42 and map_activity.status is ActivityStatus.DONE
    auth.logout()
    auth.login(newcomer.email)
    path = client.get("/me/path").get_data(as_text=True)
    assert "You are now on step 4 of 6" in path
    mine = client.get(f"/me/placements/{placement.id}").get_data(as_text=True)
    assert "Your next talk about how it goes is on December 7, 2026." in mine


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"held_on": "2026-12-30"}, "The talk cannot be in the future."),
        ({"next_check_in_on": "2026-11-01"}, "The next talk must be after this one."),
        ({"ladder_rung": "7"}, "Not a valid choice"),
        ({"hours_worked": "-1"}, "Fill in a number from 0 to 500."),
        ({"held_on": ""}, "Fill in a date."),
    ],
)
def test_a_wrong_check_in_says_what_and_saves_nothing(
    db_session, client, auth, active, changes, message
):
    consultant, _host, _newcomer, placement, map_activity = active
    auth.login(consultant.email)
    response = client.post(
        f"/caseload/placements/{placement.id}/check-in", data={**TALK, **changes}
    )
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    db_session.expire_all()
    assert placement.check_ins == [] and map_activity.hours_done == 30


def test_the_host_adds_their_view_and_others_cannot(db_session, client, auth, active):
    consultant, host, _newcomer, placement, _map = active
    check_in = CheckIn(
        placement=placement, held_on=date(2026, 11, 2), ladder_rung=4, attendance="good"
    )
    db_session.add(check_in)
    db_session.flush()
    auth.login(make_user(Role.EMPLOYER).email)  # another organisation
    view = {"view": "Komt altijd op tijd."}
    assert client.post(f"/organisation/check-ins/{check_in.id}/view", data=view).status_code == 404
    auth.logout()
    auth.login(host.email)
    assert "Your view on the check-in of November 2, 2026" in client.get(
        "/organisation/candidates"
    ).get_data(as_text=True)
    client.post(f"/organisation/check-ins/{check_in.id}/view", data=view)
    db_session.expire_all()
    assert check_in.host_view == "Komt altijd op tijd."


def test_only_the_newcomers_consultant_records_a_check_in(db_session, client, auth, active):
    _consultant, _host, _newcomer, placement, _map = active
    auth.login(make_user(Role.CONSULTANT).email)
    url = f"/caseload/placements/{placement.id}/check-in"
    assert client.get(url).status_code == 404
    assert client.post(url, data=TALK).status_code == 404
    db_session.expire_all()
    assert placement.check_ins == []
