"""A record of each bulk import (security.md R44): which file, when, and what it changed."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base, UTCDateTime, pii, utcnow


class ImportRun(Base):
    """One successful `flask data import`, written in the import's own transaction."""

    __tablename__ = "import_run"

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    #: the base name only, never the directory (which may name the person who ran it)
    file_name: Mapped[str] = mapped_column(sa.String(255), info=pii("none"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=pii("none"))
    #: {"organisations": {"created": n, "updated": n, "unchanged": n}, "places": ..., ...}
    counts: Mapped[dict] = mapped_column(sa.JSON, default=dict, info=pii("none"))
