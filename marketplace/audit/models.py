"""An append-only audit event, chained by hash so that tampering can be detected."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base, UTCDateTime, pii, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True, info=pii("none"))
    #: a name from the OWASP logging vocabulary, e.g. authn_login_fail, profile_read
    action: Mapped[str] = mapped_column(sa.String(64), index=True, info=pii("none"))
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True, info=pii("none")
    )
    actor_role: Mapped[str | None] = mapped_column(sa.String(16), info=pii("none"))
    subject_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True, info=pii("none")
    )
    object_type: Mapped[str | None] = mapped_column(sa.String(32), info=pii("none"))
    object_id: Mapped[int | None] = mapped_column(info=pii("none"))
    result: Mapped[str] = mapped_column(sa.String(16), default="success", info=pii("none"))
    ip: Mapped[str | None] = mapped_column(sa.String(45), info=pii("personal"))
    detail: Mapped[dict] = mapped_column(sa.JSON, default=dict, info=pii("none"))
    prev_hash: Mapped[str | None] = mapped_column(sa.String(64), info=pii("none"))
    hash: Mapped[str] = mapped_column(sa.String(64), info=pii("none"))
