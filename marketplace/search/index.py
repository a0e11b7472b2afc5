"""The index directory of this host: opened once per process, rebuilt beside itself, swapped.

``SEARCH_INDEX_DIR`` holds generations (``gen-*`` directories, each a Whoosh index) and a
``CURRENT`` file naming the one in use. A rebuild writes a new generation with one writer and
then replaces ``CURRENT`` atomically (``os.replace``); every process notices the new name on
its next ``searcher()`` or ``index()`` call. Opening happens lazily after fork, the
``FileIndex`` is reused, and ``open_dir`` is retried when it races a commit (search-engine.md
§1.2 item 3 and §3).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import secrets
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.util import identity_key
from whoosh import index as whoosh_index
from whoosh.index import FileIndex
from whoosh.searching import Searcher

from marketplace.places.models import Place, PlaceStatus
from marketplace.search import cursor
from marketplace.search.analysis import analysis_fingerprint
from marketplace.search.documents import SCHEMA, SCHEMA_VERSION, place_document

log = logging.getLogger(__name__)

POINTER = "CURRENT"
APPLY_LOCK = "APPLY.lock"  # held while the outbox is applied, and while a rebuild swaps
REBUILD_LOCK = "REBUILD.lock"
SETUP_LOCK = "SETUP.lock"
STAMP = "ANALYSIS"  # in each generation: the fingerprint of the analysis it was built with
OPEN_ATTEMPTS = 5
BATCH = 500


class RebuildRunning(RuntimeError):
    """Another process is rebuilding this host's index."""


@contextlib.contextmanager
def file_lock(path: Path, timeout: float = 0.0, delay: float = 0.02) -> Iterator[bool]:
    """Hold an exclusive ``flock`` on ``path`` if it can be had within ``timeout`` seconds.

    Yields whether the lock is held. The operating system drops it when the process dies,
    so a crash never leaves a stale lock behind.
    """
    deadline = time.monotonic() + timeout
    with open(path, "a+b") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(delay)
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class SearchIndex:
    """One process's handle on one index directory (see ``get_index``)."""

    def __init__(self, root: Path):
        self.root = root
        self._lock = threading.RLock()
        self._pointer_id: tuple[int, int] | None = None
        self._generation: str | None = None
        self._ix: FileIndex | None = None
        self._local = threading.local()

    # -- the current generation ------------------------------------------------------------

    def _read_pointer(self) -> tuple[tuple[int, int], str] | None:
        try:
            with open(self.root / POINTER, "rb") as handle:
                info = os.fstat(handle.fileno())
                return (info.st_ino, info.st_mtime_ns), handle.read().decode().strip()
        except FileNotFoundError:
            return None

    def _pointer_changed(self) -> bool:
        try:
            info = os.stat(self.root / POINTER)
        except FileNotFoundError:
            return True
        return (info.st_ino, info.st_mtime_ns) != self._pointer_id

    def index(self) -> FileIndex:
        """The ``FileIndex`` of the current generation, reopened only when it was swapped."""
        with self._lock:
            if self._ix is None or self._pointer_changed():
                self._open()
            assert self._ix is not None
            return self._ix

    @property
    def generation(self) -> str:
        self.index()
        assert self._generation is not None
        return self._generation

    def _open(self) -> None:
        pointer = self._read_pointer()
        if pointer is None:
            self._create()
            pointer = self._read_pointer()
            assert pointer is not None
        self._pointer_id, self._generation = pointer
        path = str(self.root / self._generation)
        self._ix = _retry(lambda: whoosh_index.open_dir(path))  # it may race a commit

    def _create(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        with file_lock(self.root / SETUP_LOCK, timeout=30) as held:
            if not held:
                raise TimeoutError(f"could not set up the search index in {self.root}")
            if self._read_pointer() is None:
                name = new_generation(self.root)
                whoosh_index.create_in(self.root / name, SCHEMA)
                _stamp(self.root / name)
                self.swap(name)
                log.info("search_index_created", extra={"generation": name})

    def swap(self, name: str) -> None:
        """Make generation ``name`` the current one, atomically for every process."""
        temporary = self.root / f"{POINTER}.{os.getpid()}.tmp"
        temporary.write_text(name + "\n")
        os.replace(temporary, self.root / POINTER)
        with self._lock:
            self._ix = None

    # -- reading ---------------------------------------------------------------------------

    def searcher(self) -> Searcher:
        """This thread's long-lived searcher, renewed only when the index has changed.

        Ask for it again for each request (cheap when nothing changed: a stat and a directory
        listing); a searcher handed out before is closed once a newer one replaces it.
        """
        return _retry(self._current_searcher)

    def _current_searcher(self) -> Searcher:
        ix = self.index()
        current = getattr(self._local, "searcher", None)
        if current is not None and getattr(self._local, "ix", None) is ix:
            fresh = refreshed(current, ix)
        else:
            fresh = ix.searcher()
            if current is not None:
                current.close()
        self._local.searcher, self._local.ix = fresh, ix
        return fresh

    def built_as_now(self) -> bool:
        """Whether the current generation has today's schema and analysis (else: rebuild)."""
        ix = self.index()
        try:
            stamp = (self.root / self.generation / STAMP).read_text().strip()
        except FileNotFoundError:
            stamp = ""
        return stamp == build_stamp() and ix.schema.names() == SCHEMA.names()

    def close(self) -> None:
        current = getattr(self._local, "searcher", None)
        if current is not None:
            current.close()
            self._local.searcher = None


def refreshed(searcher: Searcher, ix: FileIndex) -> Searcher:
    """The searcher itself while the index is unchanged, else a new one (the old is closed).

    Not ``Searcher.refresh()``: in Whoosh 2.7.5 it re-uses a segment's reader even when
    documents in that segment were deleted since, so a deleted document stays findable and
    an ``update_document`` shows both versions.
    """
    if searcher.up_to_date():
        return searcher
    fresh = ix.searcher()
    searcher.close()
    return fresh


def _retry(opener):
    for attempt in range(OPEN_ATTEMPTS):
        try:
            return opener()
        except FileNotFoundError:  # a commit in another process replaced the TOC file
            if attempt == OPEN_ATTEMPTS - 1:
                raise
            time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")


def build_stamp() -> str:
    """What a generation was built with: the language analysis and the schema's version."""
    return f"{analysis_fingerprint()} schema-{SCHEMA_VERSION}"


def _stamp(path: Path) -> None:
    (path / STAMP).write_text(build_stamp() + "\n")


def new_generation(root: Path) -> str:
    """A fresh, empty generation directory under root; its name sorts by creation time."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    name = f"gen-{stamp}-{os.getpid()}-{secrets.token_hex(3)}"
    (root / name).mkdir(parents=True)
    return name


_handles: dict[str, SearchIndex] = {}
_handles_pid = os.getpid()
_handles_lock = threading.Lock()


def forget_index(directory: str | Path) -> None:
    """Close this thread's searcher on a directory and drop the handle (tests, shutdown)."""
    with _handles_lock:
        handle = _handles.pop(str(Path(directory).resolve()), None)
    if handle is not None:
        handle.close()


def get_index(directory: str | Path | None = None) -> SearchIndex:
    """This process's handle on an index directory (default: the app's SEARCH_INDEX_DIR).

    Handles are kept per process: a forked worker never reuses its parent's open files.
    """
    global _handles_pid
    root = Path(directory or current_app.config["SEARCH_INDEX_DIR"]).resolve()
    with _handles_lock:
        if _handles_pid != os.getpid():
            _handles.clear()
            _handles_pid = os.getpid()
        handle = _handles.get(str(root))
        if handle is None:
            handle = _handles[str(root)] = SearchIndex(root)
        return handle


# -- rebuilding ------------------------------------------------------------------------------


@dataclass
class RebuildResult:
    documents: int
    places_read: int
    seconds: float
    generation: str


def rebuild(session: Session, today: date, procs: int = 1) -> RebuildResult:
    """Index every public place into a new generation, then swap it in and reset the cursor.

    The outbox position is taken before the places are read, so whatever changes during the
    build is applied again afterwards by ``apply_outbox`` (idempotent). With ``procs`` > 1,
    Whoosh analyses in that many processes and leaves as many segments. Commits the session:
    call it with nothing pending.
    """
    handle = get_index()
    handle.index()  # set up first, so there is always a current generation to replace
    started = time.perf_counter()
    with file_lock(handle.root / REBUILD_LOCK) as held:
        if not held:
            raise RebuildRunning("another rebuild of this index is running")
        position = cursor.safe_position(session)
        name = new_generation(handle.root)
        ix = whoosh_index.create_in(handle.root / name, SCHEMA)
        options = {"procs": procs, "multisegment": True} if procs > 1 else {}
        writer = ix.writer(limitmb=256, **options)
        try:
            documents, read = _write_all(session, writer, today)
        except BaseException:
            writer.cancel()
            shutil.rmtree(handle.root / name, ignore_errors=True)
            raise
        writer.commit()
        _stamp(handle.root / name)
        session.commit()  # end the read transaction before writing the cursor
        with file_lock(handle.root / APPLY_LOCK, timeout=60) as swapping:
            if not swapping:
                raise TimeoutError("the outbox applier held the index for a minute")
            previous = handle.generation
            # Cursor first: a crash between the two steps then only re-applies entries.
            cursor.set_position(session, cursor.host_name(), position)
            handle.swap(name)
        _remove_old_generations(handle.root, keep={name, previous})
    seconds = time.perf_counter() - started
    return RebuildResult(documents, read, seconds, name)


def _write_all(session: Session, writer, today: date) -> tuple[int, int]:
    ids = session.scalars(
        sa.select(Place.id).where(Place.status == PlaceStatus.PUBLISHED).order_by(Place.id)
    ).all()
    documents = 0
    for start in range(0, len(ids), BATCH):
        for place in load_places(session, ids[start : start + BATCH], release=True):
            doc = place_document(session, place, today)
            if doc is not None:
                writer.add_document(**doc)
                documents += 1
    return documents, len(ids)


def load_places(session: Session, ids: list[int], release: bool = False) -> list[Place]:
    """The places with these ids as the database has them now (not as the session cached).

    With ``release``, places the session did not hold before are let go again afterwards,
    so a rebuild of many places does not keep them all in memory.
    """
    if not ids:
        return []
    held = {i for i in ids if identity_key(Place, i) in session.identity_map}
    places = session.scalars(
        sa.select(Place)
        .where(Place.id.in_(ids))
        .options(selectinload(Place.organisation))
        .execution_options(populate_existing=True)
    ).all()
    if release:
        for place in places:
            if place.id not in held:
                session.expunge(place)
    return list(places)


def _remove_old_generations(root: Path, keep: set[str]) -> None:
    """Delete generations other than the current and the previous one (readers may lag)."""
    for path in root.glob("gen-*"):
        if path.name not in keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
