"""The personal plan (PIP), one row per version, and its agreed activities with deadlines."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, UTCDateTime, enum_type, pii, utcnow
from marketplace.vocab import LearningRoute


class Plan(Base):
    __tablename__ = "plan"
    __table_args__ = (
        sa.UniqueConstraint("profile_id", "version", name="one_row_per_version"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("newcomer_profile.id", ondelete="CASCADE"), index=True, info=pii("none")
    )
    version: Mapped[int] = mapped_column(info=pii("none"))
    learning_route: Mapped[LearningRoute] = mapped_column(
        enum_type(LearningRoute), info=pii("personal")
    )
    integration_deadline: Mapped[date | None] = mapped_column(info=pii("personal"))
    #: conditions that must be in place first, such as childcare (practical, not medical)
    preconditions: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    support: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    progress_followup: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), info=pii("none")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=pii("personal"))

    activities: Mapped[list[PlanActivity]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanActivity.due_on"
    )


class ActivityKind(StrEnum):
    MAP = "map"  # module arbeidsmarkt en participatie, 40 practice hours
    PVT = "pvt"  # participatieverklaringstraject
    KNM = "knm"  # kennis van de Nederlandse maatschappij
    LANGUAGE = "language"
    PARTICIPATION = "participation"
    EDUCATION = "education"
    OTHER = "other"


class ActivityStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class PlanActivity(Base):
    __tablename__ = "plan_activity"
    __table_args__ = (
        sa.CheckConstraint(
            "hours_done >= 0 AND (hours_required IS NULL OR hours_required >= 0)", name="hours"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("plan.id", ondelete="CASCADE"), index=True, info=pii("none")
    )
    kind: Mapped[ActivityKind] = mapped_column(enum_type(ActivityKind), info=pii("personal"))
    description: Mapped[str] = mapped_column(sa.Text, info=pii("personal"))
    hours_required: Mapped[int | None] = mapped_column(info=pii("personal"))
    hours_done: Mapped[int] = mapped_column(default=0, info=pii("personal"))
    due_on: Mapped[date | None] = mapped_column(info=pii("personal"))
    status: Mapped[ActivityStatus] = mapped_column(
        enum_type(ActivityStatus), default=ActivityStatus.PLANNED, info=pii("personal")
    )

    plan: Mapped[Plan] = relationship(back_populates="activities")


class Appointment(Base):
    """A meeting the newcomer is expected at (with the consultant, a school, a host)."""

    __tablename__ = "appointment"

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("newcomer_profile.id", ondelete="CASCADE"), index=True, info=pii("none")
    )
    day: Mapped[date] = mapped_column(index=True, info=pii("personal"))
    at_time: Mapped[time | None] = mapped_column(info=pii("personal"))
    what: Mapped[str] = mapped_column(sa.String(200), info=pii("personal"))
    location: Mapped[str | None] = mapped_column(sa.String(200), info=pii("personal"))
    with_whom: Mapped[str | None] = mapped_column(sa.String(200), info=pii("personal"))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), info=pii("none")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))
