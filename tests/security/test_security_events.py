"""Security events (security.md R41): each action leaves an event with actor, object, result,
origin and time, in the audit table or as a JSON log line. MFA events (authn_mfa_*) are
tested with the second step itself."""

from __future__ import annotations

import io
import json
import logging
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
import time_machine

from marketplace import logs
from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEvent
from marketplace.audit.services import ip_pseudonym
from marketplace.placements.models import Placement, PlacementEvent, PlacementStatus
from marketplace.privacy.models import ErasureRequest, ErasureStatus
from tests.factories import PASSWORD, make_organisation, make_place, make_user
from tests.security.test_routes import _own_newcomer

IP = "192.0.2.10"
NOW = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)


@pytest.fixture
def world(app, db_session, client, auth):
    """The client comes from a known address; the clock stands still at NOW."""
    client.environ_base["REMOTE_ADDR"] = IP
    stream = io.StringIO()
    handler = logs.install_json_logging("INFO", stream=stream)
    level = logging.getLogger("marketplace").level
    with time_machine.travel(NOW, tick=False):
        yield {"dbs": db_session, "client": client, "auth": auth, "log": stream}
    logging.getLogger().removeHandler(handler)
    logging.getLogger("marketplace").setLevel(level)


def _user(role: Role):
    return make_user(role)


# --- each action returns (audit action or log event, actor id, object, result) -----------


def login_success(w):
    user = _user(Role.NEWCOMER)
    w["auth"].login(user.email)
    return "authn_login_success", user.id, ("user", user.id), "success"


def login_failure(w):
    user = _user(Role.NEWCOMER)
    w["auth"].login(user.email, "not the right password at all")
    return "authn_login_fail", None, ("user", user.id), "failure"


def login_throttled(w):
    user = _user(Role.NEWCOMER)
    for _ in range(5):
        w["auth"].login(user.email, "not the right password at all")
    assert w["auth"].login(user.email).status_code == 429
    return "authn_login_fail_max", None, ("user", None), "refused"


def logout(w):
    user = _user(Role.EMPLOYER)
    w["auth"].login(user.email)
    w["auth"].logout()
    return "authn_logout", user.id, ("user", user.id), "success"


def password_change(w):
    user = _user(Role.EMPLOYER)
    w["auth"].login(user.email)
    new = "lantern orchard velvet quietly 9182"
    data = {"current_password": PASSWORD, "new_password": new}
    assert w["client"].post("/account/password", data=data).status_code == 302
    return "authn_password_change", user.id, ("user", user.id), "success"


def assignment_change(w):
    admin, consultant = _user(Role.ADMIN), _user(Role.CONSULTANT)
    profile = _own_newcomer(w["dbs"], None)
    w["auth"].login(admin.email)
    url = f"/admin/caseloads/newcomer-{profile.id}"
    assert w["client"].post(url, data={"consultant": consultant.id}).status_code == 302
    return "caseload_assigned", admin.id, ("newcomerprofile", profile.id), "success"


def deactivation(w):
    admin, target = _user(Role.ADMIN), _user(Role.EMPLOYER)
    w["auth"].login(admin.email)
    assert w["client"].post(f"/admin/users/{target.id}/active").status_code == 302
    return "user_deactivated", admin.id, ("user", target.id), "success"


def export(w):
    admin = _user(Role.ADMIN)
    w["auth"].login(admin.email)
    assert w["client"].get("/dashboards/municipality/placements.csv").status_code == 200
    return "dashboard_exported", admin.id, (None, None), "success"


def erasure(w):
    consultant = _user(Role.CONSULTANT)
    profile = _own_newcomer(w["dbs"], consultant)
    request = ErasureRequest(
        user_id=profile.user_id, consultant_id=consultant.id, status=ErasureStatus.REQUESTED
    )
    w["dbs"].add(request)
    w["dbs"].flush()
    w["auth"].login(consultant.email)
    assert w["client"].post(f"/caseload/erasure-requests/{request.id}/carry-out").status_code == 302
    return "newcomer_erasure_carried_out", consultant.id, ("erasurerequest", request.id), "success"


AUDITED = [
    login_success,
    login_failure,
    login_throttled,
    logout,
    password_change,
    assignment_change,
    deactivation,
    export,
    erasure,
]


@pytest.mark.parametrize("action", AUDITED, ids=lambda a: a.__name__)
def test_an_audited_action_leaves_its_event(world, action):
    name, actor, (kind, object_id), result = action(world)
    dbs = world["dbs"]
    event = dbs.scalars(
        sa.select(AuditEvent).filter_by(action=name).order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None, f"no {name} event"
    assert (event.actor_id, event.result, event.at) == (actor, result, NOW)
    if kind == "user":
        assert event.subject_user_id == object_id
    elif kind:
        assert (event.object_type, event.object_id) == (kind, object_id)
    lines = [json.loads(line) for line in world["log"].getvalue().splitlines()]
    (logged,) = [line for line in lines if line.get("event") == name]
    assert (logged["actor"], logged["result"]) == (actor, result)
    assert logged["origin"] == ip_pseudonym(IP) and logged["time"].startswith("2026-05-04T09:30")
    if name.startswith("authn_login"):
        assert event.ip == ip_pseudonym(IP)


# --- events only the log holds: refusals, with the request's origin and id ------------


def forbidden_page(w):
    user = _user(Role.NEWCOMER)
    w["auth"].login(user.email)
    assert w["client"].get("/admin/users").status_code == 403
    return "authz_fail", user.id, {"status": 403, "endpoint": "admin.users", "result": "denied"}


def someone_elses_placement(w):
    owner, other = _user(Role.NEWCOMER), _user(Role.NEWCOMER)
    placement = Placement(
        profile_id=_own_newcomer(w["dbs"], owner).id,
        place_id=make_place(make_organisation()).id,
        status=PlacementStatus.INTERESTED,
    )
    w["dbs"].add(placement)
    w["dbs"].flush()
    w["auth"].login(other.email)
    assert w["client"].get(f"/me/placements/{placement.id}").status_code == 404
    expected = {"status": 404, "endpoint": "newcomers.placement"}
    return "authz_fail", other.id, {**expected, "object": {"placement_id": placement.id}}


def csrf_failure(w, app):
    user = _user(Role.EMPLOYER)
    w["auth"].login(user.email)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert w["client"].post("/logout").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    # the token is checked before the user is loaded, and the log never loads it: no actor
    return "csrf_failure", None, {"path": "/logout", "level": "WARNING"}


@pytest.mark.parametrize(
    "action", [forbidden_page, someone_elses_placement, csrf_failure], ids=lambda a: a.__name__
)
def test_a_refusal_is_logged_with_actor_origin_and_time(app, world, action):
    arguments = (world, app) if action is csrf_failure else (world,)
    name, actor, fields = action(*arguments)
    lines = [json.loads(line) for line in world["log"].getvalue().splitlines()]
    (logged,) = [line for line in lines if line.get("event") == name]
    assert logged["actor"] == actor and logged["origin"] == ip_pseudonym(IP)
    assert logged["time"].startswith("2026-05-04T09:30") and logged["request_id"]
    assert {key: logged[key] for key in fields} == fields


# --- placement decisions: the placement's own history, with actor and time ---------------


@pytest.mark.parametrize(
    ("start", "step", "target"),
    [
        (PlacementStatus.ACCEPTED_BY_HOST, "approve", PlacementStatus.APPROVED),
        (PlacementStatus.INTRODUCED, "decline", PlacementStatus.DECLINED),
    ],
)
def test_approval_and_rejection_are_recorded_with_actor_and_time(world, start, step, target):
    consultant = _user(Role.CONSULTANT)
    placement = Placement(
        profile_id=_own_newcomer(world["dbs"], consultant).id,
        place_id=make_place(make_organisation()).id,
        status=start,
    )
    world["dbs"].add(placement)
    world["dbs"].flush()
    world["auth"].login(consultant.email)
    url = f"/caseload/placements/{placement.id}/{step}"
    assert world["client"].post(url, data={"reason": "Past niet."}).status_code == 302
    event = (
        world["dbs"]
        .scalars(sa.select(PlacementEvent).filter_by(placement_id=placement.id, to_status=target))
        .one()
    )
    assert (event.actor_id, event.from_status, event.at) == (consultant.id, start, NOW)
