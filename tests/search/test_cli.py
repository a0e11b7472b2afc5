"""`flask search status`, `sync` and `rebuild`."""

from __future__ import annotations

import re

import pytest

from marketplace.places.models import PlaceStatus
from marketplace.search.index import APPLY_LOCK, REBUILD_LOCK, file_lock, forget_index, get_index
from tests.factories import make_organisation, make_place
from tests.search.indexing import ids_with_id, use_fresh_index


@pytest.fixture
def index_dir(app, monkeypatch, tmp_path):
    directory = use_fresh_index(app, monkeypatch, tmp_path)
    yield directory
    forget_index(directory)


def search(runner, *args):
    return runner.invoke(args=["search", *args])


def test_status_shows_what_is_pending_and_what_differs(db_session, runner, index_dir):
    place = make_place(make_organisation())
    db_session.commit()  # committed, not yet applied
    result = search(runner, "status")
    assert result.exit_code == 1
    assert "Documents: 0" in result.output
    assert "Pending outbox entries: 1" in result.output
    assert "Index agrees with the database: no" in result.output
    assert f"public places missing from the index (1): {place.id}" in result.output

    result = search(runner, "sync")
    assert result.exit_code == 0, result.output
    assert "Applied 1 outbox entries: 1 documents written, 0 removed" in result.output
    result = search(runner, "status")
    assert result.exit_code == 0, result.output
    assert "Documents: 1" in result.output and "Pending outbox entries: 0" in result.output
    assert "Index agrees with the database: yes" in result.output


def test_status_names_stale_and_extra_documents(db_session, runner, index_dir):
    edited, paused = make_place(make_organisation()), make_place(make_organisation())
    db_session.commit()
    search(runner, "sync")
    edited.title = "Fietsen repareren"
    paused.status = PlaceStatus.PAUSED
    db_session.commit()
    result = search(runner, "status")
    assert result.exit_code == 1
    assert "Pending outbox entries: 2" in result.output
    assert f"documents of places that are not public (1): {paused.id}" in result.output
    assert f"documents of an older version of the place (1): {edited.id}" in result.output


def test_rebuild_prints_counts_and_seconds(db_session, runner, index_dir):
    places = [make_place(make_organisation()) for _ in range(3)]
    make_place(make_organisation(), PlaceStatus.PAUSED)
    db_session.commit()
    first = get_index().generation
    result = search(runner, "rebuild")
    assert result.exit_code == 0, result.output
    assert re.search(r"Indexed 3 public places \(of 3 published\) in \d+\.\d\d s", result.output)
    assert get_index().generation != first
    assert all(ids_with_id(p.id) == [p.id] for p in places)
    result = search(runner, "status")
    assert result.exit_code == 0 and "agrees with the database: yes" in result.output


def test_rebuild_in_two_processes_gives_the_same_index(db_session, runner, index_dir):
    places = [make_place(make_organisation()) for _ in range(4)]
    db_session.commit()
    result = search(runner, "rebuild", "--procs", "2")
    assert result.exit_code == 0, result.output
    assert "Indexed 4 public places" in result.output
    assert all(ids_with_id(p.id) == [p.id] for p in places)
    assert search(runner, "status").exit_code == 0


def test_sync_says_when_the_index_stays_busy(db_session, runner, index_dir):
    make_place(make_organisation())
    db_session.commit()
    get_index().index()  # creates the directory
    with file_lock(get_index().root / APPLY_LOCK) as held:
        assert held
        result = search(runner, "sync", "--timeout", "0.1")
    assert result.exit_code == 1 and "stayed busy" in result.output
    assert search(runner, "sync").exit_code == 0


def test_one_rebuild_at_a_time(runner, index_dir):
    get_index().index()
    with file_lock(index_dir / REBUILD_LOCK) as held:
        assert held
        result = search(runner, "rebuild")
    assert result.exit_code == 1 and "another rebuild" in result.output


def test_rebuild_if_outdated_rebuilds_only_an_index_of_another_build(db_session, runner, index_dir):
    make_place(make_organisation())
    db_session.commit()
    handle = get_index()
    handle.index()
    (handle.root / handle.generation / "ANALYSIS").write_text("older analysis\n")
    first = search(runner, "rebuild", "--if-outdated")
    assert first.exit_code == 0 and "Indexed 1 public places" in first.output
    second = search(runner, "rebuild", "--if-outdated")
    assert second.exit_code == 0 and "nothing to do" in second.output
