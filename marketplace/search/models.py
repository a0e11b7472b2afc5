"""The search outbox: changes to searchable records, written in the same transaction."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base, UTCDateTime, pii, utcnow


class OutboxEntry(Base):
    """One change to apply to the index, in id order; each host keeps its own cursor."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    entity: Mapped[str] = mapped_column(sa.String(32), info=pii("none"))
    entity_id: Mapped[int] = mapped_column(info=pii("none"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))


class IndexCursor(Base):
    """How far one host's index copy has applied the outbox."""

    __tablename__ = "search_index_cursor"

    host: Mapped[str] = mapped_column(sa.String(100), primary_key=True, info=pii("none"))
    last_entry_id: Mapped[int] = mapped_column(default=0, info=pii("none"))
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, info=pii("none")
    )
