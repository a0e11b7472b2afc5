"""Shared by the index tests: a fresh index per test, and questions to ask the index."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from whoosh.qparser import MultifieldParser
from whoosh.query import Term

from marketplace.search.documents import SCHEMA
from marketplace.search.index import database_versions, get_index, indexed_versions
from marketplace.search.sync import apply_outbox

HOST = "test-host"


def use_fresh_index(app, monkeypatch, folder: Path) -> Path:
    """Point the app at an empty index directory of its own (the suite's one is shared)."""
    directory = folder / "index"
    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(directory))
    monkeypatch.setitem(app.config, "SEARCH_HOST_NAME", HOST)
    return directory


def apply(session, today: date | None = None, **kwargs):
    """Apply the outbox now, as the end of a request does."""
    return apply_outbox(session, today or date.today(), **kwargs)


def ids_with_id(place_id: int) -> list[int]:
    """The ids a Term query on the unique id field finds (an empty list or the one id)."""
    searcher = get_index().searcher()
    return [int(hit["id"]) for hit in searcher.search(Term("id", str(place_id)))]


def ids_for_text(text: str) -> list[int]:
    """The ids a free-text query over title and description finds."""
    searcher = get_index().searcher()
    query = MultifieldParser(["title", "description"], SCHEMA).parse(text)
    return sorted(int(hit["id"]) for hit in searcher.search(query, limit=None))


def index_versions() -> dict[int, int]:
    return indexed_versions(get_index().searcher())


def index_agrees(session, today: date | None = None) -> bool:
    return index_versions() == database_versions(session, today or date.today())
