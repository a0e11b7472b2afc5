"""Whether this host's index agrees with the database (`flask search status`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session
from whoosh.searching import Searcher

from marketplace import clock
from marketplace.places.models import Place, PlaceStatus
from marketplace.places.services import is_public
from marketplace.search import cursor
from marketplace.search.index import get_index


@dataclass
class IndexStatus:
    documents: int
    pending: int
    host: str
    generation: str
    schema_current: bool
    missing: list[int] = field(default_factory=list)  # public places not in the index
    extra: list[int] = field(default_factory=list)  # documents of places that are not public
    stale: list[int] = field(default_factory=list)  # documents of an older version

    @property
    def agrees(self) -> bool:
        return self.schema_current and not (self.missing or self.extra or self.stale)


def indexed_versions(searcher: Searcher) -> dict[int, int]:
    """Place id -> version of every document in the index."""
    return {int(f["id"]): f.get("version", 0) for f in searcher.all_stored_fields()}


def database_versions(session: Session, today: date) -> dict[int, int]:
    """Place id -> version of every place that belongs in the index."""
    rows = session.scalars(
        sa.select(Place)
        .where(Place.status == PlaceStatus.PUBLISHED)
        .execution_options(populate_existing=True)
    )
    return {p.id: p.version for p in rows if is_public(p, today)}


def status(session: Session, today: date | None = None) -> IndexStatus:
    """Documents in the index, entries waiting in the outbox, and differences with the DB."""
    handle = get_index()
    host = cursor.host_name()
    searcher = handle.searcher()
    in_index = indexed_versions(searcher)
    in_db = database_versions(session, today or clock.today())
    return IndexStatus(
        documents=searcher.doc_count(),
        pending=cursor.pending_count(session, host),
        host=host,
        generation=handle.generation,
        schema_current=handle.built_as_now(),
        missing=sorted(set(in_db) - set(in_index)),
        extra=sorted(set(in_index) - set(in_db)),
        stale=sorted(i for i in set(in_db) & set(in_index) if in_db[i] != in_index[i]),
    )
