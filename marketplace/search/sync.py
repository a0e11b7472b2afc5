"""Keeping the search index in step with the database through an outbox.

Every flush that adds, changes or deletes a searchable record writes an ``OutboxEntry`` in the
same transaction, so a change can never reach the database without reaching the outbox. The
index is updated from the outbox after the commit; nothing here opens an index writer.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from marketplace.db import utcnow
from marketplace.places.models import Place
from marketplace.search.models import OutboxEntry

#: the models whose rows have a document in the index, with the entity name used there
SEARCHABLE: dict[type, str] = {Place: "place"}


def _changed_entities(dbs: Session) -> set[tuple[str, int]]:
    changed: set[tuple[str, int]] = set()
    for obj in (*dbs.new, *dbs.dirty, *dbs.deleted):
        entity = SEARCHABLE.get(type(obj))
        if entity and obj.id is not None and (obj not in dbs.dirty or dbs.is_modified(obj)):
            changed.add((entity, obj.id))
    return changed


def _write_outbox(dbs: Session, _flush_context: Any) -> None:
    changed = _changed_entities(dbs)
    if changed:
        now = utcnow()
        dbs.connection().execute(
            sa.insert(OutboxEntry),
            [{"entity": e, "entity_id": i, "created_at": now} for e, i in sorted(changed)],
        )


def init_app(app: Flask) -> None:
    """Write outbox rows after every flush that touches a searchable record."""
    if not event.contains(Session, "after_flush", _write_outbox):
        event.listen(Session, "after_flush", _write_outbox)
