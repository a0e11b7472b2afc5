"""A newcomer's request to erase their data, which their consultant confirms."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base, UTCDateTime, enum_type, pii, utcnow


class ErasureStatus(StrEnum):
    REQUESTED = "requested"
    CARRIED_OUT = "carried_out"
    CANCELLED = "cancelled"


OPEN_SQL = "status = 'requested'"


class ErasureRequest(Base):
    __tablename__ = "erasure_request"
    __table_args__ = (
        sa.Index(
            "uq_erasure_request_open_per_user",
            "user_id",
            unique=True,
            sqlite_where=sa.text(OPEN_SQL),
            postgresql_where=sa.text(OPEN_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True, info=pii("none")
    )
    #: the consultant who confirms it (the newcomer's consultant when it was asked)
    consultant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True, info=pii("none")
    )
    reason: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    status: Mapped[ErasureStatus] = mapped_column(enum_type(ErasureStatus), info=pii("none"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), info=pii("none")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=pii("none"))
