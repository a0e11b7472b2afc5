"""A notice for one user: a reminder before a deadline or an appointment, or news about a step.

The words are not stored: ``kind`` and ``params`` are turned into text when the notice is
shown or mailed, so it reads in the language the user has chosen at that moment.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base, UTCDateTime, enum_type, pii, utcnow


class NoticeKind(StrEnum):
    DEADLINE = "deadline"
    APPOINTMENT = "appointment"
    PLAN_TO_AGREE = "plan_to_agree"
    PROPOSAL = "proposal"
    # for consultants
    CHECK_IN_DUE = "check_in_due"
    FOLLOW_UP_DUE = "follow_up_due"
    OVERDUE_OVERVIEW = "overdue_overview"


class Notice(Base):
    __tablename__ = "notice"
    __table_args__ = (sa.UniqueConstraint("user_id", "key", name="once_per_key"),)

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True, info=pii("none")
    )
    kind: Mapped[NoticeKind] = mapped_column(enum_type(NoticeKind), info=pii("none"))
    #: what the notice is about and when it is sent, e.g. ``activity:12:7``; sent only once
    key: Mapped[str] = mapped_column(sa.String(100), info=pii("none"))
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict, info=pii("personal"))
    #: the day of the deadline or appointment it is about
    due_on: Mapped[date | None] = mapped_column(info=pii("personal"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=pii("none"))
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=pii("none"))
