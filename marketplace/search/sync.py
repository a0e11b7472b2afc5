"""Keeping the search index in step with the database through an outbox.

Every flush that adds, changes or deletes a searchable record writes an ``OutboxEntry`` in the
same transaction, so a change can never reach the database without reaching the outbox.
After the commit, ``apply_outbox`` brings this host's index up to date from its cursor: it
re-reads each changed place, writes or deletes its document, commits the Whoosh writer, and
only then moves the cursor. A crash anywhere in between leaves the entries after the cursor,
and the next run applies them again (idempotent). Request handlers never wait long for the
Whoosh lock: when another process holds it, they leave their entries to the holder (which
looks again before it lets go), to the next write, or to ``flask search sync``.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session
from whoosh.index import LockError

from marketplace import clock
from marketplace.db import DEFERRED_BEGIN, get_database, utcnow
from marketplace.organisations.models import Organisation
from marketplace.places.models import Place
from marketplace.search import cursor
from marketplace.search.documents import place_document
from marketplace.search.index import APPLY_LOCK, SearchIndex, file_lock, get_index, load_places
from marketplace.search.models import OutboxEntry

log = logging.getLogger(__name__)

#: the models whose rows have a document in the index, with the entity name used there
SEARCHABLE: dict[type, str] = {Place: "place"}
#: session.info key: this transaction wrote outbox rows
WROTE_OUTBOX = "search_outbox_written"


def _changed_entities(dbs: Session) -> set[tuple[str, int]]:
    changed: set[tuple[str, int]] = set()
    for obj in (*dbs.new, *dbs.dirty, *dbs.deleted):
        entity = SEARCHABLE.get(type(obj))
        if entity and obj.id is not None and (obj not in dbs.dirty or dbs.is_modified(obj)):
            changed.add((entity, obj.id))
    renamed = [
        o.id
        for o in dbs.dirty
        if isinstance(o, Organisation) and sa.inspect(o).attrs.name.history.has_changes()
    ]
    if renamed:  # a place's document carries its organisation's name
        stmt = sa.select(Place.id).where(Place.organisation_id.in_(renamed))
        changed.update(("place", i) for i in dbs.connection().scalars(stmt))
    return changed


def _write_outbox(dbs: Session, _flush_context: Any) -> None:
    changed = _changed_entities(dbs)
    if changed:
        _queue(dbs, sorted(changed))


def note_changed(dbs: Session, entity: str, entity_id: int) -> None:
    """Queue a document for the index after a change the ORM did not see (a bulk UPDATE)."""
    _queue(dbs, [(entity, entity_id)])


def _queue(dbs: Session, changed: list[tuple[str, int]]) -> None:
    """Write outbox rows in the change's own transaction; they reach the index after commit."""
    now = utcnow()
    dbs.connection().execute(
        sa.insert(OutboxEntry),
        [{"entity": e, "entity_id": i, "created_at": now} for e, i in changed],
    )
    dbs.info[WROTE_OUTBOX] = True


def _after_commit(dbs: Session) -> None:
    if dbs.info.pop(WROTE_OUTBOX, False) and has_app_context():
        g.search_outbox_dirty = True


def _after_rollback(dbs: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint within it
        dbs.info.pop(WROTE_OUTBOX, None)


# -- applying the outbox ---------------------------------------------------------------------


@dataclass
class ApplyResult:
    entries: int = 0  # outbox entries applied (an entry applied twice counts twice)
    updated: int = 0  # documents written
    deleted: int = 0  # documents removed (the place is no longer public, or gone)
    position: int = 0  # this host's cursor afterwards
    busy: bool = False  # another process held the index; the entries wait for the next run


def apply_outbox(
    session: Session,
    today: date,
    host: str | None = None,
    timeout: float = 5.0,
    delay: float = 0.02,
    budget: float | None = None,
    batch: int = 500,
) -> ApplyResult:
    """Apply the outbox entries after this host's cursor to its index; never raises LockError.

    Waits at most ``timeout`` seconds for the index; gives up quietly when it is busy. Keeps
    going while new entries arrive, for at most ``budget`` seconds (None: until drained).
    Commits the session: call it with nothing pending.
    """
    run = _Run(session, get_index(), today, host or cursor.host_name(), timeout, delay, batch)
    run.index.index()  # created here when missing
    deadline = time.monotonic() + budget if budget is not None else float("inf")
    for attempt in range(3):
        with file_lock(run.index.root / APPLY_LOCK, timeout if attempt == 0 else 0, delay) as held:
            if not held:
                # Later attempts: whoever holds the lock now reads the outbox after us.
                run.result.busy = attempt == 0
                return run.result
            while run.next_batch() and time.monotonic() < deadline:
                pass
        # An entry committed by a process that found the lock taken just before we let go
        # would wait for the next write: look once more, now that the lock is free.
        if run.result.busy or time.monotonic() >= deadline or not run.more_waiting():
            break
    return run.result


@dataclass
class _Run:
    """One ``apply_outbox`` call, holding this host's apply lock."""

    session: Session
    index: SearchIndex
    today: date
    host: str
    timeout: float
    delay: float
    batch: int
    result: ApplyResult = field(default_factory=ApplyResult)
    last_seen: int = 0  # the newest entry read (past the cursor when it waits at a gap)

    def next_batch(self) -> bool:
        """Apply one batch of entries; True when the cursor moved and more may be waiting."""
        position = self.result.position = cursor.get_position(self.session, self.host)
        entries = cursor.pending_entries(self.session, position, self.batch)
        self.last_seen = entries[-1].id if entries else position
        documents = self._documents(entries)
        self.session.commit()  # end the read transaction: the cursor is written in a new one
        if not entries or not self._write(documents):
            return False
        _fault("after_index_commit")
        self.result.entries += len(entries)
        moved = cursor.advance(position, entries)
        if moved == position or not cursor.set_position(self.session, self.host, moved, position):
            return False
        self.result.position = moved
        return True

    def more_waiting(self) -> bool:
        """Whether entries newer than any read so far have arrived."""
        waiting = cursor.pending_entries(self.session, self.last_seen, 1)
        self.session.commit()
        return bool(waiting)

    def _documents(self, entries: Sequence[OutboxEntry]) -> dict[int, dict | None]:
        """Each changed place's document as the database has it now (None: remove it)."""
        ids = list(dict.fromkeys(e.entity_id for e in entries if e.entity == "place"))
        places = {p.id: p for p in load_places(self.session, ids)}
        return {
            i: place_document(self.session, places[i], self.today) if i in places else None
            for i in ids
        }

    def _write(self, documents: dict[int, dict | None]) -> bool:
        """Write and commit the documents with one writer; False when the index is locked."""
        try:
            writer = self.index.index().writer(timeout=self.timeout, delay=self.delay)
        except LockError:
            self.result.busy = True
            return False
        try:
            for place_id, doc in documents.items():
                if doc is None:
                    writer.delete_by_term("id", str(place_id))
                    self.result.deleted += 1
                else:
                    writer.update_document(**doc)
                    self.result.updated += 1
            _fault("before_index_commit")
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return True


def _fault(point: str) -> None:
    """Crash injection for the tests (security.md R43): SIGKILL this process at ``point``."""
    config = current_app.config
    if config.get("TESTING") and config.get("SEARCH_CRASH_AT") == point:
        os.kill(os.getpid(), signal.SIGKILL)


_last_catch_up = {"pid": 0, "at": 0.0}


def catch_up(wait: float = 0.2) -> None:
    """Before reading the index: apply what waits in the outbox (a crash, a busy index,
    a change made through another host), waiting at most ``wait`` seconds for the index.

    Looks at most every ``SEARCH_CATCH_UP_SECONDS`` per process (changes made here are
    applied right after their own request anyway); costs one indexed query when nothing
    waits. Logs, never raises: a search on an index a moment behind beats no search.
    """
    now = time.monotonic()
    every = current_app.config["SEARCH_CATCH_UP_SECONDS"]
    if _last_catch_up["pid"] == os.getpid() and now - _last_catch_up["at"] < every:
        return
    _last_catch_up.update(pid=os.getpid(), at=now)
    session = get_database().session_factory()
    try:
        # this request's own session may hold SQLite's write lock already: read without it
        session.connection(execution_options={DEFERRED_BEGIN: True})
        host = cursor.host_name()
        if cursor.pending_entries(session, cursor.get_position(session, host), 1):
            session.commit()
            apply_outbox(session, clock.today(), host, timeout=wait, budget=max(1.0, 2 * wait))
    except Exception:
        log.exception("search_catch_up_failed")
    finally:
        session.close()


# -- wiring ----------------------------------------------------------------------------------


def _apply_after_commit(_exc: BaseException | None) -> None:
    """After a commit that wrote outbox rows, update the index now; log, never raise."""
    config = current_app.config
    if not g.pop("search_outbox_dirty", False) or not config["SEARCH_APPLY_AFTER_REQUEST"]:
        return
    session = get_database().session_factory()
    try:
        result = apply_outbox(
            session,
            clock.today(),
            timeout=config["SEARCH_APPLY_TIMEOUT"],
            budget=max(1.0, 2 * config["SEARCH_APPLY_TIMEOUT"]),
        )
        if result.busy:
            log.info("search_outbox_busy", extra={"position": result.position})
    except Exception:
        log.exception("search_outbox_apply_failed")
    finally:
        session.close()


def _catch_up_once_per_process() -> None:
    """The first request of a process applies what a crash or a busy index left behind."""
    state = current_app.extensions["search_sync"]
    if state.get("pid") != os.getpid():
        state["pid"] = os.getpid()
        g.search_outbox_dirty = True


def init_app(app: Flask) -> None:
    """Write outbox rows after every flush; apply them to the index after each commit."""
    for name, listener in (
        ("after_flush", _write_outbox),
        ("after_commit", _after_commit),
        ("after_soft_rollback", _after_rollback),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
    app.extensions["search_sync"] = {}
    app.before_request(_catch_up_once_per_process)
    app.teardown_appcontext(_apply_after_commit)
