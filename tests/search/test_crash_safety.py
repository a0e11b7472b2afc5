"""Crashes, concurrent writers and rebuilds never cost the index an update (R43).

Each test runs the applier, writers or readers in separate processes on a SQLite file and a
shared index directory, as gunicorn workers and a cron job would. The processes run
``worker()`` below (``python -c``), with their task as a JSON argument.
"""

from __future__ import annotations

import json
import logging
import os
import random
import select
import signal
import subprocess
import sys
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from whoosh.query import Term

from marketplace import db, migrate
from marketplace.organisations.models import Organisation
from marketplace.places.models import Place, PlaceStatus
from marketplace.search.agreement import status
from marketplace.search.index import forget_index, get_index, rebuild
from marketplace.search.sync import apply_outbox
from tests.conftest import make_test_app
from tests.factories import make_organisation, make_place
from tests.search.indexing import HOST, index_agrees, index_versions

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60  # seconds a worker may take at most; they normally take about one


def worker() -> None:
    """A separate process: apply the outbox, edit places, or search while others write."""
    task = json.loads(sys.argv[1])
    app = make_test_app(
        task["url"],
        Path(task["tmp"]),
        SEARCH_HOST_NAME=HOST,
        SEARCH_CRASH_AT=task.get("crash_at"),
        SEARCH_APPLY_TIMEOUT=task.get("apply_timeout", 0.3),
    )
    problems = _ProblemLog()
    logging.getLogger("marketplace").addHandler(problems)
    logging.getLogger("marketplace").setLevel(logging.INFO)
    with app.app_context():
        report = {"apply": _apply, "edit": _edit, "search": _search}[task["do"]](app, task)
    report["logged_errors"], report["busy"] = problems.errors, problems.busy
    print(json.dumps(report), flush=True)


class _ProblemLog(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.errors: list[str] = []
        self.busy = 0

    def emit(self, record):
        if record.levelno >= logging.ERROR:
            self.errors.append(record.getMessage())
        self.busy += record.getMessage() == "search_outbox_busy"


def _apply(app, task) -> dict:
    print("go", flush=True)
    result = apply_outbox(db.session, date.today(), timeout=1.0, batch=task.get("batch", 500))
    return asdict(result)


def _edit(app, task) -> dict:
    """Edit places in one request-like context per commit; each end applies the outbox."""
    _wait_for(Path(task["start"]))
    retries = 0
    for round_ in range(task["rounds"]):
        for _attempt in range(50):
            with app.app_context():
                try:
                    for place_id in task["places"]:
                        db.session.get(Place, place_id).title = f"Ronde {task['name']}{round_}"
                    db.session.commit()
                    break
                except OperationalError:
                    # SQLite refuses to turn a read transaction into a write one when another
                    # process wrote meanwhile ("database is locked"): the user submits again.
                    db.session.rollback()
                    retries += 1
        else:
            raise AssertionError("the database stayed locked")
    return {"retries": retries}


def _search(app, task) -> dict:
    """Search in a loop until told to stop, as a web worker keeps its searcher."""
    errors, generations, searches, found_late = [], set(), 0, False
    stop = Path(task["stop"])
    print("go", flush=True)
    deadline = time.monotonic() + TIMEOUT / 2
    while not stop.exists() and time.monotonic() < deadline:
        try:
            searcher = get_index().searcher()
            generations.add(get_index().generation)
            found_late |= bool(len(searcher.search(Term("id", str(task["late"])))))
            searches += 1
        except Exception as error:  # the test fails on any
            errors.append(repr(error))
    return {
        "errors": errors,
        "generations": len(generations),
        "searches": searches,
        "found": found_late,
    }


def _wait_for(path: Path) -> None:
    for _ in range(TIMEOUT * 100):
        if path.exists():
            return
        time.sleep(0.01)


class World:
    """A SQLite file and an index directory shared by this test and its worker processes."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.url = f"sqlite:///{tmp / 'marketplace.sqlite3'}"
        # This process only changes data; the workers apply the outbox.
        self.app = make_test_app(
            self.url, tmp, SEARCH_HOST_NAME=HOST, SEARCH_APPLY_AFTER_REQUEST=False
        )
        with self.app.app_context():
            migrate.upgrade()
            self.organisation_id = make_organisation().id
            db.session.commit()

    def change(self, action):
        with self.app.app_context():
            result = action(db.session)
            db.session.commit()
            return result

    def publish(self, count: int) -> list[int]:
        def add(session):
            organisation = session.get(Organisation, self.organisation_id)
            return [make_place(organisation).id for _ in range(count)]

        return self.change(add)

    def edit_and_close(self, edit: int, close: int) -> None:
        def act(session):
            session.get(Place, edit).title = "Fietsen repareren"
            session.get(Place, close).status = PlaceStatus.PAUSED

        self.change(act)

    def task(self, do: str, **fields) -> str:
        return json.dumps({"do": do, "url": self.url, "tmp": str(self.tmp), **fields})

    def start(self, do: str, **fields) -> subprocess.Popen:
        code = "from tests.search.test_crash_safety import worker; worker()"
        return subprocess.Popen(
            [sys.executable, "-c", code, self.task(do, **fields)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, do: str, **fields) -> tuple[int, dict]:
        process = self.start(do, **fields)
        out, err = process.communicate(timeout=TIMEOUT)
        lines = [line for line in out.splitlines() if line.startswith("{")]
        if process.returncode == 0:
            assert lines, err
        return process.returncode, json.loads(lines[-1]) if lines else {}

    def report(self):
        with self.app.app_context():
            return status(db.session), index_versions(), index_agrees(db.session)

    def close(self) -> None:
        forget_index(self.tmp / "index")
        self.app.extensions["db"].engine.dispose()


@pytest.fixture
def world(tmp_path):
    world = World(tmp_path)
    yield world
    world.close()


def _wait_for_go(process: subprocess.Popen) -> None:
    ready, _, _ = select.select([process.stdout], [], [], TIMEOUT)
    assert ready and process.stdout.readline().strip() == "go"


def _assert_converged(world: World) -> None:
    """A normal run after the crash: not blocked by a stale lock, and the index agrees."""
    code, result = world.run("apply")
    assert code == 0 and not result["busy"] and not result["logged_errors"], result
    report, _versions, agrees = world.report()
    assert agrees and report.agrees and report.pending == 0, report


def test_crashes_between_the_steps_lose_nothing(world):
    """SIGKILL (a) after writing documents, before the Whoosh commit, then (b) after the
    Whoosh commit, before the cursor moves; then a normal run."""
    ids = world.publish(3)
    world.edit_and_close(ids[0], ids[1])
    code, _ = world.run("apply", crash_at="before_index_commit")
    assert code == -signal.SIGKILL
    report, versions, agrees = world.report()
    assert versions == {} and not agrees and report.pending == 5  # nothing was written
    # The next run is not blocked by the dead writer's lock (an flock dies with its process).
    code, _ = world.run("apply", crash_at="after_index_commit")
    assert code == -signal.SIGKILL
    report, versions, agrees = world.report()
    assert agrees and report.pending == 5  # written, but the cursor did not move
    assert set(versions) == {ids[0], ids[2]}
    _assert_converged(world)


def test_kills_at_random_moments_never_lose_an_update(world):
    chance = random.Random(43)
    for _ in range(3):
        ids = world.publish(3)
        world.edit_and_close(ids[0], ids[1])
        process = world.start("apply", batch=1)  # a commit per entry: many moments to hit
        _wait_for_go(process)
        time.sleep(chance.uniform(0, 0.5))  # a batch-of-one run takes about 0.6 s
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=TIMEOUT)
    _assert_converged(world)


def test_two_processes_writing_at_once_lose_no_update(world):
    ids = world.publish(6)
    start = world.tmp / "start"
    # No waiting for the lock at all: whoever finds it taken leaves its entries to the holder.
    edits = {"rounds": 8, "start": str(start), "apply_timeout": 0.0}
    first = world.start("edit", name="a", places=ids[:3], **edits)
    second = world.start("edit", name="b", places=ids[3:], **edits)
    start.touch()
    for process in (first, second):
        out, err = process.communicate(timeout=TIMEOUT)
        assert process.returncode == 0, err  # no LockError (nor anything else) reached them
        assert json.loads(out.splitlines()[-1])["logged_errors"] == []
    report, versions, agrees = world.report()
    # No `flask search sync` after them: their own after-commit steps brought it all in.
    assert agrees and report.pending == 0, report
    assert all(version == 9 for version in versions.values())  # 1 + 8 edits each


def test_rebuild_while_another_process_searches(world):
    ids = world.publish(3)
    with world.app.app_context():
        apply_outbox(db.session, date.today())
    late = world.publish(1)[0]  # only a rebuild will bring it in
    stop = world.tmp / "stop"
    reader = world.start("search", late=late, stop=str(stop))
    _wait_for_go(reader)
    time.sleep(0.2)
    with world.app.app_context():
        for _ in range(3):
            assert rebuild(db.session, date.today()).documents == 4
            time.sleep(0.1)
    time.sleep(0.3)
    stop.touch()
    out, err = reader.communicate(timeout=TIMEOUT)
    assert reader.returncode == 0, err
    result = json.loads(out.splitlines()[-1])
    assert result["errors"] == [] and result["found"], result
    assert result["generations"] >= 2 and result["searches"] > 10
    assert set(world.report()[1]) == {*ids, late}
    generations = list((world.tmp / "index").glob("gen-*"))
    assert len(generations) == 2 and get_index(world.tmp / "index").root.exists()
