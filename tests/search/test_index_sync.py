"""The index follows the database: after each commit, never before, never on a rollback (R43)."""

from __future__ import annotations

import contextlib
import time
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from whoosh.query import Term

from marketplace import db
from marketplace.accounts.models import Role
from marketplace.db import utcnow
from marketplace.places.models import Place, PlaceStatus
from marketplace.search import cursor
from marketplace.search.agreement import status
from marketplace.search.index import (
    APPLY_LOCK,
    POINTER,
    file_lock,
    forget_index,
    get_index,
    rebuild,
)
from marketplace.search.models import OutboxEntry
from tests.factories import make_organisation, make_place
from tests.places.helpers import signed_in
from tests.search.indexing import (
    HOST,
    apply,
    ids_for_text,
    ids_with_id,
    index_agrees,
    index_versions,
    use_fresh_index,
)


@pytest.fixture
def index_dir(app, monkeypatch, tmp_path):
    directory = use_fresh_index(app, monkeypatch, tmp_path)
    yield directory
    forget_index(directory)


def commit_in_own_context(app, change):
    """Run ``change(session)`` and commit in an app context of its own, as a request does.

    Leaving the context runs the after-commit step that applies the outbox.
    """
    with app.app_context():
        result = change(db.session)
        db.session.commit()
    return result


def _publish(session, **fields) -> Place:
    return make_place(make_organisation(), **fields)


def test_a_published_place_is_findable_right_after_its_commit(app, index_dir):
    place = commit_in_own_context(app, lambda s: _publish(s, title="Fietsen repareren"))
    assert ids_with_id(place.id) == [place.id]
    assert ids_for_text("fietsen") == [place.id]


def test_an_edit_shows_up(app, db_session, index_dir):
    place = commit_in_own_context(app, lambda s: _publish(s, title="Fietsen repareren"))

    def edit(session):
        row = session.get(Place, place.id)
        row.title = "Brood bakken"
        return row.version

    commit_in_own_context(app, edit)
    assert ids_for_text("brood") == [place.id]
    assert ids_for_text("fietsen") == []
    assert index_versions()[place.id] == db_session.get(Place, place.id).version == 2


@pytest.mark.parametrize(
    "change",
    [
        {"status": PlaceStatus.PAUSED},
        {"status": PlaceStatus.CLOSED, "closed_at": utcnow()},
        {"end_date": date.today() - timedelta(days=1)},
        "delete",
    ],
    ids=["paused", "closed", "ended", "deleted"],
)
def test_a_place_that_stops_being_public_leaves_the_index(app, index_dir, change):
    place = commit_in_own_context(app, _publish)
    assert ids_with_id(place.id) == [place.id]

    def apply_change(session):
        row = session.get(Place, place.id)
        if change == "delete":
            session.delete(row)
        else:
            for name, value in change.items():
                setattr(row, name, value)

    commit_in_own_context(app, apply_change)
    assert ids_with_id(place.id) == []


def test_a_rollback_leaves_no_document(app, db_session, index_dir):
    """R43: a change that never committed never reaches the index (no phantom results)."""
    with app.app_context():
        place = _publish(db.session, title="Spookplek")
        place_id = place.id
        db.session.rollback()
    assert ids_with_id(place_id) == []
    apply(db_session)
    assert ids_with_id(place_id) == [] and ids_for_text("spookplek") == []


def test_a_web_request_updates_the_index_before_its_response(
    app, db_session, client, auth, index_dir
):
    employer = signed_in(auth, Role.EMPLOYER)
    place = make_place(employer.organisation)
    db_session.commit()
    apply(db_session)
    assert ids_with_id(place.id) == [place.id]
    started = time.perf_counter()
    response = client.post(f"/places/{place.id}/status", data={"target": "paused"})
    answered = time.perf_counter() - started
    assert response.status_code == 302
    assert ids_with_id(place.id) == []  # applied before the response went out
    assert answered < 2.0


@pytest.mark.parametrize("held", ["whoosh writer", "apply lock"])
def test_a_busy_index_never_fails_or_stalls_a_request(
    app, db_session, client, auth, index_dir, monkeypatch, held
):
    monkeypatch.setitem(app.config, "SEARCH_APPLY_TIMEOUT", 0.2)
    employer = signed_in(auth, Role.EMPLOYER)
    place = make_place(employer.organisation)
    db_session.commit()
    apply(db_session)
    handle = get_index()
    with contextlib.ExitStack() as holding:
        if held == "whoosh writer":
            holding.callback(handle.index().writer().cancel)
        else:
            assert holding.enter_context(file_lock(handle.root / APPLY_LOCK))
        started = time.perf_counter()
        response = client.post(f"/places/{place.id}/status", data={"target": "paused"})
        assert response.status_code == 302
        assert time.perf_counter() - started < 1.5
        assert ids_with_id(place.id) == [place.id]  # left in the outbox for the next run
        assert apply(db_session, timeout=0.05).busy
    assert apply(db_session).entries >= 1
    assert ids_with_id(place.id) == []


def test_the_first_request_of_a_process_applies_what_was_left(app, db_session, client, index_dir):
    place = make_place(make_organisation())
    db_session.commit()
    app.extensions["search_sync"].clear()  # as in a freshly started worker
    assert client.get("/").status_code == 200
    assert ids_with_id(place.id) == [place.id]


def test_applying_twice_changes_nothing(app, db_session, index_dir):
    places = [commit_in_own_context(app, _publish) for _ in range(3)]
    before = index_versions()
    assert set(before) == {p.id for p in places}
    cursor.set_position(db_session, HOST, 0)  # as after a crash before the cursor moved
    assert apply(db_session).entries == 3
    assert index_versions() == before
    assert index_agrees(db_session)


def test_renaming_an_organisation_reaches_its_places(app, db_session, index_dir):
    place = commit_in_own_context(app, _publish)

    def rename(session):
        session.get(Place, place.id).organisation.name = "Stichting Zonnebloemveld"

    commit_in_own_context(app, rename)
    searcher = get_index().searcher()
    assert [h["id"] for h in searcher.search(Term("organisation", "zonnebloemveld"))] == [
        str(place.id)
    ]


def test_the_cursor_waits_at_a_young_gap_and_passes_an_old_one(app):
    now = utcnow()
    young, old = now, now - timedelta(hours=1)

    def entry(i, at):
        return SimpleNamespace(id=i, created_at=at)

    assert cursor.advance(0, [entry(1, young), entry(2, young)]) == 2
    # id 3 may belong to a transaction still open: wait there (4 is applied anyway)
    assert cursor.advance(2, [entry(4, young)]) == 2
    assert cursor.advance(2, [entry(4, old), entry(5, young)]) == 5


def test_rebuild_swaps_in_a_new_generation(app, db_session, index_dir):
    places = [commit_in_own_context(app, _publish) for _ in range(2)]
    app.config["SEARCH_APPLY_AFTER_REQUEST"] = False
    try:
        missed = commit_in_own_context(app, _publish)  # its entry is not applied
    finally:
        app.config["SEARCH_APPLY_AFTER_REQUEST"] = True
    first = get_index().generation
    report = status(db_session)
    assert (report.missing, report.pending, report.agrees) == ([missed.id], 1, False)
    searcher = get_index().searcher()
    result = rebuild(db_session, date.today())
    assert result.documents == 3 and result.generation != first
    assert (index_dir / POINTER).read_text().strip() == result.generation
    assert searcher.doc_count() == 2  # a searcher keeps its view until refreshed
    assert get_index().searcher().doc_count() == 3
    assert {p.id for p in places} | {missed.id} == set(index_versions())
    rebuild(db_session, date.today())
    generations = sorted(p.name for p in index_dir.glob("gen-*"))
    assert first not in generations and len(generations) == 2  # current and previous
    report = status(db_session)
    assert report.agrees and report.documents == 3


def test_an_entry_past_a_gap_is_applied_but_the_cursor_waits_for_the_gap(db_session, index_dir):
    """PostgreSQL hands out ids before commit: id 2 may still become visible after id 3."""
    make_place(make_organisation())
    db_session.commit()
    position = apply(db_session).position
    late = make_place(make_organisation())  # its entry is position + 1: pretend it is not there
    db_session.execute(sa.delete(OutboxEntry).where(OutboxEntry.id == position + 1))
    db_session.add(OutboxEntry(id=position + 2, entity="place", entity_id=late.id))
    db_session.commit()
    result = apply(db_session)
    assert ids_with_id(late.id) == [late.id] and result.position == position
    db_session.execute(
        sa.update(OutboxEntry).values(created_at=utcnow() - timedelta(hours=1))
    )  # the gap is old now: its transaction rolled back long ago
    db_session.commit()
    assert apply(db_session).position == position + 2
    assert status(db_session).pending == 0
