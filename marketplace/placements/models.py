"""A placement (newcomer x place), its history, check-ins, outcome and follow-ups."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, UTCDateTime, enum_type, pii, utcnow


class PlacementStatus(StrEnum):
    INTERESTED = "interested"
    PROPOSED = "proposed"
    INTRODUCED = "introduced"
    ACCEPTED_BY_HOST = "accepted_by_host"
    APPROVED = "approved"
    ACTIVE = "active"
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


#: States in which a placement is still open; at most one open placement per newcomer and place.
OPEN_STATUSES = (
    PlacementStatus.INTERESTED,
    PlacementStatus.PROPOSED,
    PlacementStatus.INTRODUCED,
    PlacementStatus.ACCEPTED_BY_HOST,
    PlacementStatus.APPROVED,
    PlacementStatus.ACTIVE,
)
#: States in which a placement has ended; an outcome is recorded for it.
ENDED_STATUSES = (PlacementStatus.COMPLETED, PlacementStatus.ENDED_EARLY)
_OPEN_SQL = "status IN ({})".format(", ".join(f"'{s.value}'" for s in OPEN_STATUSES))


class Placement(Base):
    __tablename__ = "placement"
    __table_args__ = (
        sa.Index(
            "uq_placement_open_per_newcomer_place",
            "profile_id",
            "place_id",
            unique=True,
            sqlite_where=sa.text(_OPEN_SQL),
            postgresql_where=sa.text(_OPEN_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("newcomer_profile.id", ondelete="CASCADE"), index=True, info=pii("none")
    )
    place_id: Mapped[int] = mapped_column(
        sa.ForeignKey("place.id", ondelete="RESTRICT"), index=True, info=pii("none")
    )
    status: Mapped[PlacementStatus] = mapped_column(
        enum_type(PlacementStatus), index=True, info=pii("personal")
    )
    newcomer_message: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    proposed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), info=pii("none")
    )
    #: when the newcomer said yes to a consultant's proposal (interest is a yes by itself)
    newcomer_agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=pii("none"))
    introduction_on: Mapped[date | None] = mapped_column(info=pii("personal"))
    host_reason: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    #: the consultant's yes/no instead of any health detail (the employer never sees health data)
    suits_physical_demand: Mapped[bool | None] = mapped_column(info=pii("personal"))
    approved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), info=pii("none")
    )
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=pii("none"))
    started_on: Mapped[date | None] = mapped_column(info=pii("personal"))
    ended_on: Mapped[date | None] = mapped_column(info=pii("personal"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, info=pii("none")
    )

    profile = relationship("NewcomerProfile")
    place = relationship("Place")
    events: Mapped[list[PlacementEvent]] = relationship(
        back_populates="placement", cascade="all, delete-orphan", order_by="PlacementEvent.at"
    )
    check_ins: Mapped[list[CheckIn]] = relationship(
        back_populates="placement", cascade="all, delete-orphan", order_by="CheckIn.held_on"
    )
    outcome: Mapped[Outcome | None] = relationship(
        back_populates="placement", cascade="all, delete-orphan"
    )

    @property
    def has_ended(self) -> bool:
        return self.status in ENDED_STATUSES

    @property
    def awaits_newcomer(self) -> bool:
        """A consultant proposed this place and the newcomer has not answered yet."""
        return self.status is PlacementStatus.PROPOSED and self.newcomer_agreed_at is None


class PlacementEvent(Base):
    """One step in a placement's history, shown to the newcomer as a timeline."""

    __tablename__ = "placement_event"

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    placement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("placement.id", ondelete="CASCADE"), index=True, info=pii("none")
    )
    from_status: Mapped[PlacementStatus | None] = mapped_column(
        enum_type(PlacementStatus, "from_status"), info=pii("personal")
    )
    to_status: Mapped[PlacementStatus] = mapped_column(
        enum_type(PlacementStatus), info=pii("personal")
    )
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), info=pii("none")
    )
    note: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))

    placement: Mapped[Placement] = relationship(back_populates="events")
    actor = relationship("User")


class Attendance(StrEnum):
    GOOD = "good"
    SOMETIMES_ABSENT = "sometimes_absent"
    OFTEN_ABSENT = "often_absent"


class CheckIn(Base):
    __tablename__ = "check_in"
    __table_args__ = (
        sa.CheckConstraint("ladder_rung BETWEEN 1 AND 6", name="rung_range"),
        sa.CheckConstraint("hours_worked BETWEEN 0 AND 500", name="hours_worked_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    placement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("placement.id", ondelete="CASCADE"), index=True, info=pii("none")
    )
    held_on: Mapped[date] = mapped_column(info=pii("personal"))
    ladder_rung: Mapped[int] = mapped_column(info=pii("personal"))
    rung_reason: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    #: hours worked since the previous check-in
    hours_worked: Mapped[int] = mapped_column(default=0, server_default="0", info=pii("personal"))
    #: the consultant judged these hours practice for the MAP (labour-market module)
    counts_for_map: Mapped[bool] = mapped_column(
        default=False, server_default=sa.false(), info=pii("none")
    )
    attendance: Mapped[Attendance] = mapped_column(enum_type(Attendance), info=pii("personal"))
    skills_gained: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    dutch_progress: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    newcomer_words: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    host_view: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    next_steps: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    next_check_in_on: Mapped[date | None] = mapped_column(info=pii("personal"))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), info=pii("none")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))

    placement: Mapped[Placement] = relationship(back_populates="check_ins")


class OutcomeResult(StrEnum):
    PAID_JOB_HOST = "paid_job_host"
    PAID_JOB = "paid_job"  # paid work elsewhere
    EDUCATION = "education"
    CONTINUED_PARTICIPATION = "continued_participation"  # a new participation place
    STOPPED = "stopped"


class ContractKind(StrEnum):
    """The kind of contract at a follow-up, for newcomers in paid work."""

    PERMANENT = "permanent"
    TEMPORARY = "temporary"
    ON_CALL = "on_call"
    SELF_EMPLOYED = "self_employed"


class Outcome(Base):
    """How a placement ended; followed up 3, 6 and 12 months later."""

    __tablename__ = "outcome"

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    placement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("placement.id", ondelete="CASCADE"), unique=True, info=pii("none")
    )
    result: Mapped[OutcomeResult] = mapped_column(enum_type(OutcomeResult), info=pii("personal"))
    explanation: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), info=pii("none")
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))

    placement: Mapped[Placement] = relationship(back_populates="outcome")
    follow_ups: Mapped[list[FollowUp]] = relationship(
        back_populates="outcome", cascade="all, delete-orphan", order_by="FollowUp.months"
    )


class FollowUp(Base):
    __tablename__ = "follow_up"
    __table_args__ = (
        sa.UniqueConstraint("outcome_id", "months", name="one_per_moment"),
        sa.CheckConstraint("months IN (3, 6, 12)", name="months_allowed"),
        sa.CheckConstraint("ladder_rung IS NULL OR ladder_rung BETWEEN 1 AND 6", name="rung"),
        sa.CheckConstraint(
            "hours_per_week IS NULL OR hours_per_week BETWEEN 0 AND 80", name="hours_per_week"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    outcome_id: Mapped[int] = mapped_column(
        sa.ForeignKey("outcome.id", ondelete="CASCADE"), index=True, info=pii("none")
    )
    months: Mapped[int] = mapped_column(info=pii("none"))
    due_on: Mapped[date] = mapped_column(info=pii("personal"))
    #: the answers at the moment; all empty until the follow-up is recorded
    in_paid_work: Mapped[bool | None] = mapped_column(info=pii("personal"))
    hours_per_week: Mapped[int | None] = mapped_column(info=pii("personal"))
    contract: Mapped[ContractKind | None] = mapped_column(
        enum_type(ContractKind), info=pii("personal")
    )
    in_education: Mapped[bool | None] = mapped_column(info=pii("personal"))
    ladder_rung: Mapped[int | None] = mapped_column(info=pii("personal"))
    notes: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), info=pii("none")
    )
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=pii("none"))

    outcome: Mapped[Outcome] = relationship(back_populates="follow_ups")

    @hybrid_property
    def is_recorded(self) -> bool:
        """The follow-up is done: its answers are written down (also usable in SQL)."""
        return self.recorded_at is not None

    @is_recorded.inplace.expression
    @classmethod
    def _is_recorded_sql(cls) -> sa.ColumnElement[bool]:
        return cls.recorded_at.is_not(None)

    @hybrid_property
    def in_work(self) -> bool:
        """The newcomer was in paid work at this follow-up (also usable in SQL)."""
        return self.in_paid_work is True

    @in_work.inplace.expression
    @classmethod
    def _in_work_sql(cls) -> sa.ColumnElement[bool]:
        return cls.in_paid_work.is_(True)
