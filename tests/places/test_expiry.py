"""`flask places close-expired`: the daily closing of live places whose end date has passed."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from marketplace.audit.models import AuditEvent
from marketplace.places.models import PlaceStatus
from tests.factories import make_organisation, make_place
from tests.places.helpers import place_row

S = PlaceStatus
TODAY = date(2030, 1, 10)
YESTERDAY = date(2030, 1, 9)


def close_expired(runner, today: date = TODAY):
    result = runner.invoke(args=["places", "close-expired", "--today", today.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def places(db_session):
    organisation = make_organisation()
    return {
        "published, ended yesterday": make_place(organisation, end_date=YESTERDAY),
        "paused, ended long ago": make_place(organisation, S.PAUSED, end_date=date(2029, 6, 1)),
        "published, ends today": make_place(organisation, end_date=TODAY),
        "published, ends later": make_place(organisation, end_date=date(2030, 3, 1)),
        "published, no end date": make_place(organisation, end_date=None),
        "draft, ended": make_place(organisation, S.DRAFT, end_date=YESTERDAY),
        "submitted, ended": make_place(organisation, S.SUBMITTED, end_date=YESTERDAY),
        "rejected, ended": make_place(organisation, S.REJECTED, end_date=YESTERDAY),
        "closed already": make_place(organisation, S.CLOSED, end_date=YESTERDAY),
    }


EXPIRED = {"published, ended yesterday", "paused, ended long ago"}


def test_live_places_past_their_end_date_are_closed_and_others_left(db_session, runner, places):
    before = {name: place_row(db_session, place.id) for name, place in places.items()}

    output = close_expired(runner)

    assert "2 place(s) closed." in output
    for name, place in places.items():
        row = place_row(db_session, place.id)
        if name in EXPIRED:
            assert row["status"] == S.CLOSED, name
            assert row["closed_at"] is not None
            assert f"Closed place {place.id}:" in output
        else:
            assert row == before[name], f"{name} was changed"
            assert f"Closed place {place.id}:" not in output


def test_running_it_again_changes_nothing(db_session, runner, places):
    close_expired(runner)
    after_first = {name: place_row(db_session, place.id) for name, place in places.items()}
    events = db_session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))

    assert "0 place(s) closed." in close_expired(runner)

    assert {name: place_row(db_session, p.id) for name, p in places.items()} == after_first
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == events


def test_the_system_is_recorded_as_the_actor(db_session, runner, places):
    close_expired(runner)
    for name in EXPIRED:
        place = places[name]
        event = db_session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.object_type == "place",
                AuditEvent.object_id == place.id,
                AuditEvent.action == "place_closed",
            )
        ).one()
        assert event.actor_id is None and event.actor_role is None
        assert event.detail["source"] in ("published", "paused")


def test_the_date_given_is_the_one_that_counts(db_session, runner, places):
    before = {name: place_row(db_session, place.id) for name, place in places.items()}
    # on 1 January 2029 the paused place (ended 1 June 2029) was still running
    assert "0 place(s) closed." in close_expired(runner, date(2029, 1, 1))
    assert {name: place_row(db_session, p.id) for name, p in places.items()} == before


def test_a_bad_date_is_refused(runner):
    result = runner.invoke(args=["places", "close-expired", "--today", "10-01-2030"])
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output or "does not match" in result.output
