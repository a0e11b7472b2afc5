"""Twenty approvals at the same moment for the last spot: exactly one wins (security.md R42).

Each approval runs as a write request does: its own thread, its own session and transaction
(an app request context with method POST), all released at once by a barrier. It runs on a
SQLite file and on PostgreSQL. The naive way (count the approved placements, then approve)
is run the same way and must go wrong, which shows the test can see an over-booking.
"""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from marketplace import db, migrate
from marketplace.accounts.models import Role, User
from marketplace.domain import DomainError
from marketplace.placements.models import Placement, PlacementStatus
from marketplace.placements.workflow import PLACE_FULL, Step, take
from marketplace.places.models import Place
from tests.concurrency import at_once
from tests.conftest import make_test_app
from tests.placements.race_data import approved_and_taken, seed_race
from tests.postgres import migrated_postgres_app

THREADS = 20


def _migrated(url: str, tmp_path):
    app = make_test_app(url, tmp_path)
    with app.app_context():
        migrate.upgrade()
    return app


def _race(app, ids: list[int], approve) -> list[str]:
    """Run ``approve(placement)`` for every id at once; returns each thread's outcome."""
    outcomes: list[str] = []

    def one(ready, placement_id: int) -> None:
        with app.test_request_context(method="POST"):
            session = db.session
            ready()  # all at once; each request's transaction starts after it
            try:
                placement = session.get(Placement, placement_id)
                consultant = session.scalars(sa.select(User).filter_by(role=Role.CONSULTANT)).one()
                approve(session, consultant, placement)
                session.commit()
                outcomes.append("approved")
            except DomainError as error:
                session.rollback()
                outcomes.append("full" if error.message == PLACE_FULL else str(error.message))
            except sa.exc.DBAPIError as error:
                session.rollback()
                outcomes.append(f"database error: {type(error.orig).__name__}")
            finally:
                session.close()

    at_once(one, [(i,) for i in ids])
    return outcomes


def test_twenty_approvals_for_the_last_spot_give_exactly_one(race_app):
    place_id, ids = seed_race(race_app, THREADS)
    outcomes = _race(race_app, ids, lambda s, c, p: take(s, c, p, Step.APPROVE))
    assert sorted(outcomes) == ["approved"] + ["full"] * (THREADS - 1), outcomes
    assert approved_and_taken(race_app, place_id) == (1, 3)


def _naive_approve(session, consultant, placement) -> None:
    """Check, then write: what R42 warns against (no lock, no conditional UPDATE)."""
    place = session.get(Place, placement.place_id)
    approved = session.scalar(
        sa.select(sa.func.count())
        .select_from(Placement)
        .where(Placement.place_id == place.id, Placement.status == PlacementStatus.APPROVED)
    )
    if approved + place.spots_taken >= place.spots:
        raise DomainError(PLACE_FULL)
    # the gap between the check and the write, where a real request renders or logs; without
    # it the twenty threads sometimes happen to run one after the other and nothing over-books
    time.sleep(0.2)
    placement.status = PlacementStatus.APPROVED


@pytest.mark.postgres
def test_the_naive_way_over_books_so_the_race_test_can_see_it(tmp_path):
    with migrated_postgres_app(tmp_path) as app:
        place_id, ids = seed_race(app, THREADS)
        _race(app, ids, _naive_approve)
        approved, _taken = approved_and_taken(app, place_id)
        assert approved > 1, "the naive check-then-write did not over-book this time"
