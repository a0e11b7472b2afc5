"""Asking to erase one's data, cancelling, and the consultant carrying it out."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role, User, UserSession
from marketplace.audit.models import AuditEvent
from marketplace.domain import DomainError, NotAllowed
from marketplace.feedback.models import Feedback
from marketplace.newcomers.models import NewcomerProfile
from marketplace.placements.models import CheckIn, Outcome, Placement, PlacementStatus
from marketplace.plans.models import Plan
from marketplace.privacy import erasure
from marketplace.privacy.models import ErasureRequest, ErasureStatus
from tests.factories import PASSWORD, make_organisation, make_place, make_user
from tests.privacy.canary import markers_in, stored_text

#: the only text of A's that erasure keeps: the agreed plan (KEPT)
KEPT_TEXT = {
    ("plan", "preconditions"),
    ("plan", "support"),
    ("plan", "progress_followup"),
    ("plan_activity", "description"),
}


def requests_of(dbs, user) -> list[ErasureRequest]:
    dbs.expire_all()
    query = sa.select(ErasureRequest).where(ErasureRequest.user_id == user.id)
    return list(dbs.scalars(query.order_by(ErasureRequest.id)))


def actions(dbs, action: str) -> list[AuditEvent]:
    return list(dbs.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def test_the_page_explains_before_asking_and_then_shows_the_request(db_session, client, auth):
    user = make_user(Role.NEWCOMER, language="en")
    auth.login(user.email)
    page = client.get("/me/data/erase").get_data(as_text=True)
    assert "What is erased" in page and "What the municipality keeps, and why" in page
    assert "Wet inburgering 2021" in page and 'name="reason"' in page

    response = client.post("/me/data/erase", data={"reason": "Ik verhuis naar Gent."})

    assert response.status_code == 302 and response.location == "/me/data/erase"
    (request,) = requests_of(db_session, user)
    assert (request.status, request.reason) == (ErasureStatus.REQUESTED, "Ik verhuis naar Gent.")
    assert [e.subject_user_id for e in actions(db_session, "newcomer_erasure_requested")] == [
        user.id
    ]
    page = client.get("/me/data/erase").get_data(as_text=True)
    assert "You asked to erase your data on" in page and "Cancel my request" in page
    assert 'name="reason"' not in page


def test_asking_twice_gives_a_clear_message(db_session, client, auth):
    user = make_user(Role.NEWCOMER, language="en")
    auth.login(user.email)
    client.post("/me/data/erase", data={})

    response = client.post("/me/data/erase", data={"reason": "Nog een keer"})

    assert response.status_code == 400
    assert "You already asked to erase your data." in response.get_data(as_text=True)
    assert len(requests_of(db_session, user)) == 1


def test_a_too_long_reason_is_refused_and_nothing_changes(db_session, client, auth):
    user = make_user(Role.NEWCOMER, language="en")
    auth.login(user.email)

    response = client.post("/me/data/erase", data={"reason": "x" * 1001})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Keep your reason under 1000 characters." in page and 'href="#reason"' in page
    assert requests_of(db_session, user) == []
    assert actions(db_session, "newcomer_erasure_requested") == []


def test_the_newcomer_can_cancel_their_own_request_only(db_session, client, auth, alpha):
    erasure.request_erasure(db_session, alpha.user, None)
    other = make_user(Role.NEWCOMER, language="en")
    auth.login(other.email)
    response = client.post("/me/data/erase/cancel", follow_redirects=True)
    assert "You have no request to erase your data." in response.get_data(as_text=True)
    assert requests_of(db_session, alpha.user)[-1].status is ErasureStatus.REQUESTED

    auth.logout()
    auth.login(alpha.user.email)
    response = client.post("/me/data/erase/cancel")

    assert response.status_code == 302
    request = requests_of(db_session, alpha.user)[-1]
    assert request.status is ErasureStatus.CANCELLED and request.decided_by_id == alpha.user.id
    assert len(actions(db_session, "newcomer_erasure_cancelled")) == 1
    assert 'name="reason"' in client.get("/me/data/erase").get_data(as_text=True)


def test_a_consultant_sees_only_the_requests_of_their_own_caseload(
    db_session, client, auth, alpha, bravo
):
    erasure.request_erasure(db_session, alpha.user, "Ik wil opnieuw beginnen.")
    erasure.request_erasure(db_session, bravo.user, None)
    auth.login(alpha.consultant.email)

    page = client.get("/caseload/erasure-requests").get_data(as_text=True)

    assert alpha.user.name in page and "Ik wil opnieuw beginnen." in page
    assert bravo.user.name not in page
    (read,) = actions(db_session, "newcomer_erasure_request_read")
    assert (read.actor_id, read.subject_user_id) == (alpha.consultant.id, alpha.user.id)


def test_another_consultant_gets_404_and_nothing_changes(db_session, client, auth, alpha, bravo):
    request = erasure.request_erasure(db_session, alpha.user, None)
    auth.login(bravo.consultant.email)

    response = client.post(f"/caseload/erasure-requests/{request.id}/carry-out")

    assert response.status_code == 404
    assert requests_of(db_session, alpha.user)[-1].status is ErasureStatus.REQUESTED
    assert db_session.get(User, alpha.user.id).active is True
    with pytest.raises(NotAllowed):
        erasure.carry_out_erasure(db_session, bravo.consultant, request)


def test_carrying_out_erases_a_and_keeps_what_kept_lists(db_session, client, auth, alpha, bravo):
    request = erasure.request_erasure(db_session, alpha.user, "canaryalpha_request_reason")
    alpha.markers[("request", "reason")] = "canaryalpha_request_reason"
    login = {"email": alpha.user.email, "password": PASSWORD}
    alpha_client = client.application.test_client()
    assert alpha_client.post("/login", data=login).status_code == 302
    assert alpha_client.get("/me/data").status_code == 200
    auth.login(alpha.consultant.email)

    response = client.post(f"/caseload/erasure-requests/{request.id}/carry-out")

    assert response.status_code == 302 and response.location == "/caseload/erasure-requests"
    db_session.expire_all()
    text = stored_text(db_session)
    assert markers_in(text, alpha) == KEPT_TEXT, "only the agreed plan keeps A's words"
    assert markers_in(text, bravo) == set(bravo.markers), "B must be untouched"
    # what KEPT lists is still there, unlinked from the person where it says so
    placement = db_session.get(Placement, alpha.placement.id)
    assert placement.status is PlacementStatus.COMPLETED and placement.started_on is not None
    assert db_session.scalar(sa.select(CheckIn.ladder_rung).filter_by(placement_id=placement.id))
    assert db_session.scalar(sa.select(Outcome.result).filter_by(placement_id=placement.id))
    assert db_session.scalar(sa.select(Plan.version).filter_by(profile_id=alpha.profile.id)) == 1
    scores = db_session.scalars(sa.select(Feedback).filter_by(place_id=placement.place_id)).all()
    assert [(f.meaningful, f.profile_id, f.placement_id, f.comment) for f in scores] == [
        (4, None, None, None)
    ]
    profile = db_session.get(NewcomerProfile, alpha.profile.id)
    assert profile.allows_matching is False and profile.skills == [] and profile.postcode == ""
    # the account is closed: no new login, and the open session has ended
    user = db_session.get(User, alpha.user.id)
    assert (user.email, user.active, user.password_hash) == (
        f"erased-{user.id}@invalid",
        False,
        None,
    )
    sessions = db_session.scalars(sa.select(UserSession).filter_by(user_id=user.id)).all()
    assert sessions and all(s.revoked_at is not None for s in sessions)
    assert alpha_client.get("/me/data").status_code == 302
    refused = client.application.test_client().post("/login", data=login)
    assert refused.status_code == 200  # the login form again, with its error; no redirect in
    # the request is closed and the log says so, without personal data
    closed = requests_of(db_session, user)
    assert {r.status for r in closed} == {ErasureStatus.CANCELLED, ErasureStatus.CARRIED_OUT}
    (done,) = actions(db_session, "newcomer_erasure_carried_out")
    assert (done.actor_id, done.subject_user_id, done.detail) == (
        alpha.consultant.id,
        user.id,
        {},
    )


def test_a_request_is_carried_out_once(db_session, client, auth, alpha):
    request = erasure.request_erasure(db_session, alpha.user, None)
    auth.login(alpha.consultant.email)
    client.post(f"/caseload/erasure-requests/{request.id}/carry-out")

    response = client.post(
        f"/caseload/erasure-requests/{request.id}/carry-out", follow_redirects=True
    )

    assert "This request was already dealt with." in response.get_data(as_text=True)
    assert len(actions(db_session, "newcomer_erasure_carried_out")) == 1


def test_erasure_closes_open_placements_so_no_spot_stays_taken(db_session, alpha):
    profile = db_session.scalars(
        sa.select(NewcomerProfile).where(NewcomerProfile.user_id == alpha.user.id)
    ).one()
    opened = {}
    for status, taken in ((PlacementStatus.INTERESTED, 0), (PlacementStatus.ACTIVE, 1)):
        place = make_place(make_organisation(), spots=2, spots_taken=taken)
        placement = Placement(profile_id=profile.id, place_id=place.id, status=status)
        db_session.add(placement)
        opened[status] = placement
    db_session.flush()
    request = erasure.request_erasure(db_session, alpha.user, None)
    erasure.carry_out_erasure(db_session, alpha.consultant, request)
    db_session.expire_all()
    assert opened[PlacementStatus.INTERESTED].status is PlacementStatus.WITHDRAWN
    assert opened[PlacementStatus.ACTIVE].status is PlacementStatus.ENDED_EARLY
    assert opened[PlacementStatus.ACTIVE].place.spots_taken == 0  # the spot is free again
    assert opened[PlacementStatus.INTERESTED].place.spots_taken == 0


def test_a_cancel_after_the_erasure_changes_nothing(db_session, alpha):
    request = erasure.request_erasure(db_session, alpha.user, None)
    erasure.carry_out_erasure(db_session, alpha.consultant, request)
    with pytest.raises(DomainError):
        erasure.cancel_erasure(db_session, alpha.user)
    db_session.expire_all()
    assert request.status is ErasureStatus.CARRIED_OUT
