"""The last spot of a place through the pages: one approval wins, the others read "place
full" with a 409 (security.md R42).

Twenty consultants' browsers (test clients, each signed in with both login steps as the
newcomers' own consultant) press "Approve" for twenty different newcomers at the same moment,
released by a barrier, on a SQLite file: the app's real request path, one thread each.
"""

from __future__ import annotations

import pyotp
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from marketplace import migrate
from marketplace.accounts.models import User
from marketplace.accounts.passwords import hash_password
from marketplace.audit.models import AuditEvent
from marketplace.db import utcnow
from marketplace.placements.models import Placement, PlacementStatus
from marketplace.search.output import newcomer_ref
from tests.concurrency import at_once
from tests.conftest import make_test_app
from tests.factories import PASSWORD
from tests.placements.race_data import approved_and_taken, seed_race

THREADS = 20
CONSULTANT = "consultant@example.nl"
FULL_PAGE = "This place is full"


def _consultant_account(app) -> dict:
    """The consultant's account: English, a password, and an authenticator app set up."""
    return {
        "email": CONSULTANT,
        "language": "en",
        "password_hash": hash_password(PASSWORD, app.config),
        "totp_secret": pyotp.random_base32(),
        "mfa_enabled_at": utcnow(),
    }


@pytest.fixture
def race_app(tmp_path):
    # a generous busy timeout: twenty writers queue for SQLite's one write lock on a busy machine
    app = make_test_app(f"sqlite:///{tmp_path / 'race.sqlite3'}", tmp_path, SQLITE_BUSY_TIMEOUT=60)
    with app.app_context():
        migrate.upgrade()
    yield app
    app.extensions["db"].engine.dispose()


def _signed_in_client(app):
    """A new browser of the consultant, past the password and the authenticator code."""
    client = app.test_client()
    response = client.post("/login", data={"email": CONSULTANT, "password": PASSWORD})
    assert response.status_code == 302 and response.location.startswith("/mfa"), response.location
    with Session(app.extensions["db"].engine) as setup:  # a code works once per step: forget it
        consultant = setup.scalars(sa.select(User).filter_by(email=CONSULTANT)).one()
        consultant.totp_last_step = None
        code = pyotp.TOTP(consultant.totp_secret).now()
        setup.commit()
    response = client.post(response.location, data={"code": code})
    assert response.status_code == 302 and not response.location.startswith("/mfa")
    return client


def _approve_all_at_once(app, ids: list[int]) -> list[tuple[int, str]]:
    clients = [_signed_in_client(app) for _ in ids]
    answers: list[tuple[int, str]] = []

    def press(ready, client, placement_id: int) -> None:
        ready()
        response = client.post(f"/caseload/placements/{placement_id}/approve", data={})
        answers.append((response.status_code, response.get_data(as_text=True)))

    at_once(press, zip(clients, ids, strict=True), ready_within=60, finish_within=120)
    return answers


def test_twenty_approvals_through_the_route_give_one_placement_and_nineteen_409(race_app):
    place_id, ids = seed_race(race_app, THREADS, **_consultant_account(race_app))

    answers = _approve_all_at_once(race_app, ids)

    statuses = sorted(status for status, _body in answers)
    assert statuses == [302] + [409] * (THREADS - 1), statuses
    assert all(FULL_PAGE in body for status, body in answers if status == 409)
    assert approved_and_taken(race_app, place_id) == (1, 3)  # placements == capacity


def test_a_refused_approval_explains_the_full_place_links_back_and_is_audited(race_app):
    # the last spot is taken already
    place_id, ids = seed_race(race_app, 2, spots=1, free=0, **_consultant_account(race_app))
    client = _signed_in_client(race_app)

    refused = client.post(f"/caseload/placements/{ids[0]}/approve", data={})

    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert "<h1>This place is full</h1>" in page
    assert "Nothing was changed" in page
    with race_app.app_context(), Session(race_app.extensions["db"].engine) as check:
        placement = check.get(Placement, ids[0])
        assert placement.status is PlacementStatus.ACCEPTED_BY_HOST
        assert f'href="/caseload/{newcomer_ref(placement.profile)}/placements"' in page
        event = check.scalars(sa.select(AuditEvent).filter_by(action="placement_approve")).one()
        assert (event.result, event.object_id) == ("place_full", ids[0])
    assert approved_and_taken(race_app, place_id) == (0, 1)
