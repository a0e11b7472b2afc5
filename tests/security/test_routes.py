"""Deny by default, the route x role matrix, and safe GETs (security.md R01, R02, R08).

The matrix in ``authz_matrix.py`` is the single source: the app's routes must equal its keys,
the app's own markers must say the same, and every cell is tried as every kind of visitor.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import date, timedelta
from urllib.parse import urlsplit

import pyotp
import pytest
import sqlalchemy as sa

from marketplace import db, permissions
from marketplace.accounts import mfa, services
from marketplace.accounts.models import Role, TokenPurpose, User
from marketplace.newcomers.models import NewcomerProfile
from marketplace.notices.models import Notice, NoticeKind
from marketplace.placements.models import (
    CheckIn,
    FollowUp,
    Outcome,
    Placement,
    PlacementStatus,
)
from marketplace.places.models import PlaceStatus
from marketplace.plans.models import Plan
from marketplace.privacy.models import ErasureRequest, ErasureStatus
from tests.factories import make_organisation, make_place, make_user, totp_code
from tests.security.authz_matrix import (
    IDENTITIES,
    MATRIX,
    SAMPLE_PLACE_TITLE,
    Access,
    Sample,
    cell_id,
    identity_name,
)

IGNORED_METHODS = {"HEAD", "OPTIONS"}

#: columns that change on every request by design: the session's "last seen" time
VOLATILE_COLUMNS = {("user_session", "last_seen_at")}
#: bookkeeping a GET may append to, which is not the state of any record: the audit log of
#: sensitive reads (R37), and how far this host's search index has read the outbox (R43)
BOOKKEEPING_TABLES = {"audit_event", "search_index_cursor"}


# --- helpers, also used by the other security tests ---------------------------------------


def app_routes(app) -> set[tuple[str, str]]:
    """Every (endpoint, method) the app answers, without the automatic HEAD and OPTIONS."""
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - IGNORED_METHODS
    }


def make_sample(dbs, sample: Sample, user: User | None = None) -> object:
    """A real object id or a working token for a sample URL parameter.

    ``user`` is who makes the request: an employer's own places belong to their organisation
    (anyone else gets a place of another organisation, which their role may not touch anyway).
    """
    if sample is Sample.UNVERIFIED_ORGANISATION_ID:
        return make_organisation(verified=False).id
    if sample is Sample.NEWCOMER_USER_ID:
        return make_user(Role.NEWCOMER).id
    if sample is Sample.ACTIVE_CONSULTANT_ID:
        return make_user(Role.CONSULTANT).id
    if sample is Sample.TOTP_CODE:
        return totp_code(user) if user is not None and user.totp_secret else "123456"
    if sample is Sample.RECOVERY_CODE:
        if user is None or not permissions.needs_second_step(user):
            return "abcd-efgh-jkmn"
        return mfa.new_recovery_codes(dbs, user, ip=None, audit=False)[0]
    if sample is Sample.RESET_TOKEN:
        user = make_user(Role.NEWCOMER)
        return services.issue_token(dbs, user, TokenPurpose.PASSWORD_RESET, timedelta(hours=1))
    if sample is Sample.INVITATION_TOKEN:
        user = make_user(Role.CONSULTANT, password=None)
        return services.issue_token(dbs, user, TokenPurpose.INVITATION, timedelta(days=1))
    if sample is Sample.PUBLISHED_PLACE_ID:
        return make_place(make_organisation(), title=SAMPLE_PLACE_TITLE).id
    if sample in HOSTED_SAMPLES:
        hosted = user is not None and user.role == Role.EMPLOYER
        organisation = user.organisation if hosted else make_organisation()
        placement = Placement(
            profile_id=_own_newcomer(dbs, user).id,
            place_id=make_place(organisation).id,
            status=HOSTED_SAMPLES[sample],
        )
        dbs.add(placement)
        dbs.flush()
        if sample is not Sample.HOSTED_CHECK_IN_ID:
            return placement.id
        check_in = CheckIn(
            placement=placement, held_on=date(2026, 11, 2), ladder_rung=4, attendance="good"
        )
        dbs.add(check_in)
        dbs.flush()
        return check_in.id
    if sample in PLACEMENT_SAMPLES:
        return _own_placement(dbs, user, PLACEMENT_SAMPLES[sample])
    if sample in (Sample.ENDED_PLACEMENT_ID, Sample.FOLLOW_UP_ID):
        return _ended_sample(dbs, user, sample)
    if sample is Sample.OWN_PLAN_TO_AGREE_ID:
        plan = Plan(profile_id=_own_newcomer(dbs, user).id, version=1, learning_route="b1")
        dbs.add(plan)
        dbs.flush()
        return plan.id
    if sample is Sample.OWN_PLAN_ID:
        caseload = user is not None and user.role == Role.CONSULTANT
        newest = sa.select(NewcomerProfile).order_by(NewcomerProfile.id.desc()).limit(1)
        profile = dbs.scalar(newest.filter_by(consultant_id=user.id)) if caseload else None
        plan = Plan(
            profile_id=(profile or _own_newcomer(dbs, user)).id, version=1, learning_route="b1"
        )
        dbs.add(plan)
        dbs.flush()
        return plan.id
    if sample is Sample.OPEN_ERASURE_REQUEST_ID:
        profile = _own_newcomer(dbs, user)
        request = ErasureRequest(
            user_id=profile.user_id,
            consultant_id=profile.consultant_id,
            status=ErasureStatus.REQUESTED,
        )
        dbs.add(request)
        dbs.flush()
        return request.id
    if sample is Sample.OWN_NEWCOMER_REF:
        return f"newcomer-{_own_newcomer(dbs, user).id}"
    if sample is Sample.OWN_UNREAD_NOTICE_ID:
        notice = Notice(
            user_id=_own_newcomer(dbs, user).user_id, kind=NoticeKind.PROPOSAL, key="sample"
        )
        dbs.add(notice)
        dbs.flush()
        return notice.id
    if sample is Sample.SUBMITTED_PLACE_ID:
        return make_place(make_organisation(), PlaceStatus.SUBMITTED).id
    own = (
        user.organisation
        if user is not None and user.role == Role.EMPLOYER and user.organisation is not None
        else make_organisation()
    )
    if sample is Sample.OWN_DRAFT_PLACE_ID:
        return make_place(own, PlaceStatus.DRAFT, title=SAMPLE_PLACE_TITLE).id
    if sample is Sample.OWN_PUBLISHED_PLACE_ID:
        return make_place(own, title=SAMPLE_PLACE_TITLE).id
    raise AssertionError(f"no recipe for sample {sample!r}")


#: samples at a place of the signed-in employer, of the signed-in consultant's newcomer
HOSTED_SAMPLES = {
    Sample.STEP_PLACEMENT_ID: PlacementStatus.INTRODUCED,
    Sample.ACTIVE_HOSTED_PLACEMENT_ID: PlacementStatus.ACTIVE,
    Sample.HOSTED_CHECK_IN_ID: PlacementStatus.ACTIVE,
}

#: samples that are a placement of the signed-in newcomer, by the status it is in
PLACEMENT_SAMPLES = {
    Sample.OWN_PLACEMENT_ID: PlacementStatus.INTERESTED,
    Sample.OWN_PROPOSED_PLACEMENT_ID: PlacementStatus.PROPOSED,
    Sample.OWN_ACTIVE_PLACEMENT_ID: PlacementStatus.ACTIVE,
}


def _own_placement(dbs, user: User | None, status: PlacementStatus) -> int:
    placement = Placement(
        profile_id=_own_newcomer(dbs, user).id,
        place_id=make_place(make_organisation()).id,
        status=status,
    )
    dbs.add(placement)
    dbs.flush()
    return placement.id


def _ended_sample(dbs, user: User | None, sample: Sample) -> int:
    """A finished placement of the user's newcomer; or a follow-up, due long ago, of its outcome."""
    placement = dbs.get(Placement, _own_placement(dbs, user, PlacementStatus.COMPLETED))
    placement.ended_on = date(2020, 1, 31)
    if sample is Sample.ENDED_PLACEMENT_ID:
        dbs.flush()
        return placement.id
    follow_up = FollowUp(months=3, due_on=date(2020, 4, 30))
    dbs.add(Outcome(placement=placement, result="education", follow_ups=[follow_up]))
    dbs.flush()
    return follow_up.id


def _own_newcomer(dbs, user: User | None) -> NewcomerProfile:
    """The newcomer's own profile; for a consultant, one of their caseload; else anyone's."""
    if user is not None and user.role == Role.NEWCOMER:
        return dbs.scalar(sa.select(NewcomerProfile).where(NewcomerProfile.user_id == user.id))
    profile = dbs.scalar(
        sa.select(NewcomerProfile).where(NewcomerProfile.user_id == make_user(Role.NEWCOMER).id)
    )
    if user is not None and user.role == Role.CONSULTANT:
        profile.consultant_id = user.id
        dbs.flush()
    return profile


def cell_url(app, dbs, endpoint: str, method: str, access: Access, user: User | None = None) -> str:
    """The path of one cell, with its sample parameters made real for ``user``."""
    values = {
        name: make_sample(dbs, value, user) if isinstance(value, Sample) else value
        for name, value in access.params.items()
    }
    return app.url_map.bind("localhost").build(endpoint, values, method=method)


def sign_in(auth, role: Role | None, access: Access | None = None) -> User | None:
    """Create a user with this role and sign in as them (None: stay anonymous).

    For a cell marked ``setting_up``, a consultant or administrator who has not set up the
    authenticator app yet (the key is proposed): they stop after the password step.
    """
    if role is None:
        return None
    setting_up = access is not None and access.setting_up and role in permissions.SECOND_STEP_ROLES
    user = make_user(role, mfa=not setting_up)
    if setting_up:
        user.totp_secret = pyotp.random_base32()
        db.session.flush()
    response = auth.login(user.email)
    assert response.status_code == 302, f"could not sign in as {role}"
    return user


@functools.cache
def _reflected_tables(database_url: str) -> tuple[sa.Table, ...]:
    """Every table in the database, read from the database itself (reflection is slow: once)."""
    metadata = sa.MetaData()
    engine = sa.create_engine(database_url)
    try:
        metadata.reflect(bind=engine)
    finally:
        engine.dispose()
    return tuple(metadata.sorted_tables)


def db_snapshot(connection: sa.Connection) -> dict[str, tuple[int, str]]:
    """Row count and a content hash of every table in the database."""
    snapshot = {}
    for table in _reflected_tables(connection.engine.url.render_as_string(hide_password=False)):
        if table.name in BOOKKEEPING_TABLES:
            continue
        columns = [c for c in table.columns if (table.name, c.name) not in VOLATILE_COLUMNS]
        rows = sorted(repr(tuple(row)) for row in connection.execute(sa.select(*columns)))
        digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        snapshot[table.name] = (len(rows), digest)
    return snapshot


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and urlsplit(response.location).path == "/login"


# --- (a) and (b): the matrix and the app agree ---------------------------------------------


def test_every_route_is_classified_in_the_matrix(app):
    """A new route fails here until someone decides who may use it."""
    routes = app_routes(app)
    assert routes - set(MATRIX) == set(), "routes missing from authz_matrix.MATRIX"
    assert set(MATRIX) - routes == set(), "matrix rows for routes that do not exist"


def test_every_view_has_a_policy(app):
    """R01: each endpoint is public or carries a @roles marker; nothing is left open by accident."""
    unmarked = {
        endpoint
        for endpoint in app.view_functions
        if endpoint not in permissions.PUBLIC and permissions.allowed_roles(endpoint) is None
    }
    assert unmarked == set()


@pytest.mark.parametrize("key", sorted(MATRIX), ids=cell_id)
def test_the_app_marker_matches_the_matrix(app, key):
    endpoint, _method = key
    access = MATRIX[key]
    if access.public:
        assert endpoint in permissions.PUBLIC
        assert permissions.allowed_roles(endpoint) is None, "public endpoint with a role marker"
    else:
        assert endpoint not in permissions.PUBLIC
        assert permissions.allowed_roles(endpoint) == access.who


def test_public_allowlist_holds_only_public_endpoints():
    """Nothing in PUBLIC that the matrix keeps closed, and no stale names a new route could take."""
    public_in_matrix = {endpoint for (endpoint, _), access in MATRIX.items() if access.public}
    assert set(permissions.PUBLIC) == public_in_matrix


def test_each_endpoint_has_one_policy_for_all_its_methods():
    """Roles are marked per view, so the matrix cannot give GET and POST different roles."""
    policies: dict[str, set] = {}
    for (endpoint, _method), access in MATRIX.items():
        policies.setdefault(endpoint, set()).add(access.who)
    assert {e: p for e, p in policies.items() if len(p) > 1} == {}


# --- (c): every cell as every kind of visitor ----------------------------------------------

CELLS = [
    pytest.param(key, role, id=f"{cell_id(key)} as {identity_name(role)}")
    for key in sorted(MATRIX)
    for role in IDENTITIES
]


@pytest.mark.parametrize(("key", "role"), CELLS)
def test_matrix_cell(app, db_session, client, auth, key, role):
    """Anonymous: to the login page (the API: 401); wrong role: 403; allowed: an answer."""
    endpoint, method = key
    access = MATRIX[key]
    user = sign_in(auth, role, MATRIX[key])
    url = cell_url(app, db_session, endpoint, method, access, user)
    data = {
        name: str(make_sample(db_session, value, user)) if isinstance(value, Sample) else value
        for name, value in access.data.items()
    }

    response = client.open(url, method=method, data=data)
    response.close()  # static files are streamed from an open file

    if access.allows(role):
        # The sample data is valid, so an allowed user gets a page or a redirect, no error.
        assert not is_login_redirect(response), f"{url} sent an allowed user to the login page"
        assert response.status_code < 400, f"{method} {url}: {response.status_code}"
    elif role is None and url.startswith("/api/"):
        assert response.status_code == 401 and response.json["error"]["status"] == 401
    elif role is None:
        assert is_login_redirect(response), f"{url}: {response.status_code} {response.location}"
    else:
        assert response.status_code == 403


# --- (d) R08: GET changes nothing ---------------------------------------------------------

GET_CELLS = [
    p for p in CELLS if p.values[0][1] == "GET" and MATRIX[p.values[0]].allows(p.values[1])
]


@pytest.mark.parametrize(("key", "role"), GET_CELLS)
def test_get_changes_nothing(app, db_session, client, auth, key, role):
    """R08: a GET leaves every table as it was (counts and contents)."""
    endpoint, method = key
    user = sign_in(auth, role, MATRIX[key])
    url = cell_url(app, db_session, endpoint, method, MATRIX[key], user)
    db_session.flush()
    before = db_snapshot(db_session.connection())

    response = client.get(url)
    response.close()

    assert response.status_code < 400
    db_session.expire_all()
    assert db_snapshot(db_session.connection()) == before


def test_snapshot_sees_a_change_made_by_a_request(app, db_session, client, auth):
    """The R08 check has teeth: a POST that changes a row changes the snapshot."""
    sign_in(auth, Role.ADMIN)
    target = make_user(Role.NEWCOMER)
    db_session.flush()
    before = db_snapshot(db_session.connection())

    response = client.post(f"/admin/users/{target.id}/active")

    assert response.status_code == 302
    db_session.expire_all()
    after = db_snapshot(db_session.connection())
    assert after["user_account"] != before["user_account"]
    assert db_session.get(User, target.id).active is False
