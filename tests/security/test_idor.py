"""Object-level checks: the multi-user replay (security.md R03).

For every matrix cell whose URL names an object that belongs to the signed-in user, the object
is made for user A of the allowed role; then user B of the same role (newcomer B, employer E2 of
another organisation, consultant C2 with a caseload of their own) replays A's request. B gets
404 and the database stays as it was. A refused request writes no row at all: it is only logged
as ``authz_fail`` (permissions.deny), so the snapshot here also includes the audit log.

A new ``Sample`` or a new object-taking row fails ``test_every_sample_is_classified`` or
``test_every_object_row_is_replayed`` until it is covered or listed below with a reason.
"""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role, User
from marketplace.newcomers.models import NewcomerProfile
from tests.factories import make_user
from tests.security.authz_matrix import MATRIX, Sample, cell_id
from tests.security.test_csrf import VALID_POSTS
from tests.security.test_routes import cell_url, db_snapshot

#: samples that are an object of one user (a newcomer, an organisation, a caseload)
OWNED = frozenset(
    {
        Sample.OWN_DRAFT_PLACE_ID,
        Sample.OWN_PUBLISHED_PLACE_ID,
        Sample.OWN_PLACEMENT_ID,
        Sample.STEP_PLACEMENT_ID,
        Sample.ACTIVE_HOSTED_PLACEMENT_ID,
        Sample.HOSTED_CHECK_IN_ID,
        Sample.OWN_PLAN_TO_AGREE_ID,
        Sample.OWN_PROPOSED_PLACEMENT_ID,
        Sample.OWN_NEWCOMER_REF,
        Sample.OPEN_ERASURE_REQUEST_ID,
        Sample.OWN_UNREAD_NOTICE_ID,
        Sample.OWN_ACTIVE_PLACEMENT_ID,
        Sample.ENDED_PLACEMENT_ID,
        Sample.FOLLOW_UP_ID,
        Sample.OWN_PLAN_ID,
    }
)

#: samples that are not an object of one user, and why no other user of the role is refused
NOT_OWNED = {
    Sample.UNVERIFIED_ORGANISATION_ID: "every consultant and admin verifies organisations",
    Sample.NEWCOMER_USER_ID: "administrators manage every account",
    Sample.ACTIVE_CONSULTANT_ID: "administrators manage every account",
    Sample.RESET_TOKEN: "the token itself is the proof; no one is signed in",
    Sample.INVITATION_TOKEN: "the token itself is the proof; no one is signed in",
    Sample.PUBLISHED_PLACE_ID: "a published place is public",
    Sample.SUBMITTED_PLACE_ID: "every consultant reviews the shared queue of places",
    Sample.TOTP_CODE: "checked against the signed-in user's own secret (test_mfa.py)",
    Sample.RECOVERY_CODE: "checked against the signed-in user's own codes (test_mfa.py)",
}

#: (endpoint, role) pairs that take an owned sample but are no object check, and why
NOT_REPLAYED = {
    ("assignments.assign", Role.ADMIN): "administrators assign any newcomer to a caseload",
}

#: rows whose sample is a query parameter the view ignores: the view only ever acts on the
#: signed-in user's own data, so B's replay is no error, but it must not touch A's data
IGNORED_PARAMETER = {"notices.mark_read", "privacy.cancel_erasure"}


def owned_samples(key) -> set[Sample]:
    """The objects of a user that a cell names, in its URL or in its form data."""
    values = [*MATRIX[key].params.values(), *MATRIX[key].data.values()]
    return {v for v in values if isinstance(v, Sample) and v in OWNED}


REPLAYS = [
    pytest.param(key, role, id=f"{cell_id(key)} as {role.value}")
    for key in sorted(MATRIX)
    if owned_samples(key)
    for role in Role
    if MATRIX[key].allows(role) and (key[0], role) not in NOT_REPLAYED
]


def test_every_sample_is_classified():
    """A new kind of URL parameter must be declared an object of a user, or not, with a reason."""
    assert OWNED.isdisjoint(NOT_OWNED)
    assert set(Sample) == OWNED | set(NOT_OWNED)


def test_every_object_row_is_replayed():
    """Every (row, allowed role) with an object of a user is replayed, or exempt with a reason."""
    expected = {
        (key, role)
        for key, access in MATRIX.items()
        if owned_samples(key)
        for role in Role
        if access.allows(role)
    }
    replayed = {param.values for param in REPLAYS}
    exempt = {(key, role) for key, role in expected if (key[0], role) in NOT_REPLAYED}
    assert expected - exempt == replayed
    assert {(e, r) for (e, _m), r in exempt} == set(NOT_REPLAYED), "stale exemptions"
    assert {endpoint for (endpoint, _m), _r in replayed} >= IGNORED_PARAMETER


def other_user_of_the_same_role(dbs, role: Role) -> User:
    """B: a newcomer, an employer of a new organisation, or a consultant with their own caseload."""
    other = make_user(role)
    if role == Role.CONSULTANT:
        newcomer = make_user(Role.NEWCOMER)
        profile = dbs.scalar(sa.select(NewcomerProfile).filter_by(user_id=newcomer.id))
        profile.consultant_id = other.id
        dbs.flush()
    return other


def audit_log_digest(connection: sa.Connection) -> str:
    rows = connection.execute(sa.text("SELECT id, action, result FROM audit_event ORDER BY id"))
    return hashlib.sha256(repr(rows.all()).encode()).hexdigest()


def post_data(key) -> dict:
    endpoint, method = key
    if method != "POST":
        return {}
    make_data, _status = VALID_POSTS[endpoint]
    return make_data()


@pytest.mark.parametrize(("key", "role"), REPLAYS)
def test_another_user_of_the_same_role_gets_404_and_changes_nothing(
    app, db_session, client, auth, key, role
):
    endpoint, method = key
    owner = make_user(role)
    url = cell_url(app, db_session, endpoint, method, MATRIX[key], owner)
    other = other_user_of_the_same_role(db_session, role)
    assert other.organisation_id is None or other.organisation_id != owner.organisation_id
    assert auth.login(other.email).status_code == 302
    data = post_data(key)
    db_session.flush()
    connection = db_session.connection()
    before = (db_snapshot(connection), audit_log_digest(connection))

    response = client.open(url, method=method, data=data)

    if endpoint not in IGNORED_PARAMETER:
        assert response.status_code == 404, f"{method} {url} as another {role.value}"
    else:
        assert response.status_code < 400
    db_session.expire_all()
    assert (db_snapshot(connection), audit_log_digest(connection)) == before

    # The same request by the owner goes through: B was refused for not owning the object.
    auth.logout()
    assert auth.login(owner.email).status_code == 302
    response = client.open(url, method=method, data=data)
    assert response.status_code < 400, f"{method} {url} as its owner: {response.status_code}"
