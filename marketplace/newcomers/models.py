"""A newcomer's profile: what matching needs, their practical limits, and what they share."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from marketplace.db import Base, UTCDateTime, enum_type, pii, utcnow
from marketplace.encryption import Encrypted
from marketplace.vocab import DutchLevel, LearningRoute, PhysicalDemand


class EducationLevel(StrEnum):
    NONE = "none"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    VOCATIONAL = "vocational"
    BACHELOR = "bachelor"
    MASTER = "master"


class TravelMode(StrEnum):
    WALK = "walk"
    BIKE = "bike"
    PUBLIC_TRANSPORT = "public_transport"
    CAR = "car"


class PracticalLimit(StrEnum):
    """Health and family situation, only as their practical consequence; never a diagnosis."""

    LIGHT_WORK_ONLY = "light_work_only"
    NO_NIGHT_SHIFTS = "no_night_shifts"
    REDUCED_HOURS = "reduced_hours"
    SCHOOL_HOURS_ONLY = "school_hours_only"
    NO_LONG_STANDING = "no_long_standing"
    DISCUSS_WITH_CONSULTANT = "discuss_with_consultant"


class NewcomerProfile(Base):
    __tablename__ = "newcomer_profile"
    __table_args__ = (
        sa.CheckConstraint("hours_available >= 0 AND hours_available <= 40", name="hours"),
        sa.CheckConstraint("max_travel_km >= 0", name="travel_km"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), unique=True, info=pii("none")
    )
    ref: Mapped[str | None] = mapped_column(sa.String(64), unique=True, info=pii("none"))
    consultant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True, info=pii("none")
    )
    postcode: Mapped[str] = mapped_column(sa.String(7), info=pii("personal"))
    city: Mapped[str | None] = mapped_column(sa.String(100), info=pii("personal"))
    municipality: Mapped[str | None] = mapped_column(sa.String(100), info=pii("personal"))
    dutch_level: Mapped[DutchLevel] = mapped_column(enum_type(DutchLevel), info=pii("personal"))
    dutch_reading: Mapped[DutchLevel | None] = mapped_column(
        enum_type(DutchLevel, "dutch_reading"), info=pii("personal")
    )
    dutch_listening: Mapped[DutchLevel | None] = mapped_column(
        enum_type(DutchLevel, "dutch_listening"), info=pii("personal")
    )
    dutch_speaking: Mapped[DutchLevel | None] = mapped_column(
        enum_type(DutchLevel, "dutch_speaking"), info=pii("personal")
    )
    dutch_writing: Mapped[DutchLevel | None] = mapped_column(
        enum_type(DutchLevel, "dutch_writing"), info=pii("personal")
    )
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list, info=pii("personal"))
    learning_route: Mapped[LearningRoute | None] = mapped_column(
        enum_type(LearningRoute), info=pii("personal")
    )
    education_level: Mapped[EducationLevel | None] = mapped_column(
        enum_type(EducationLevel), info=pii("personal")
    )
    education_field: Mapped[str | None] = mapped_column(sa.String(200), info=pii("personal"))
    diploma_recognised: Mapped[bool | None] = mapped_column(info=pii("personal"))
    experience: Mapped[list[dict]] = mapped_column(sa.JSON, default=list, info=pii("personal"))
    skills: Mapped[list[str]] = mapped_column(sa.JSON, default=list, info=pii("personal"))
    interests: Mapped[list[str]] = mapped_column(sa.JSON, default=list, info=pii("personal"))
    education_goals: Mapped[list[str]] = mapped_column(sa.JSON, default=list, info=pii("personal"))
    work_goals: Mapped[list[str]] = mapped_column(sa.JSON, default=list, info=pii("personal"))
    motivation: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    hours_available: Mapped[int] = mapped_column(info=pii("personal"))
    schedule: Mapped[list[str]] = mapped_column(
        Encrypted(sa.JSON), default=list, info=pii("special")
    )
    max_travel_km: Mapped[float] = mapped_column(info=pii("personal"))
    travel_mode: Mapped[TravelMode | None] = mapped_column(
        enum_type(TravelMode), info=pii("personal")
    )
    physical_capacity: Mapped[PhysicalDemand] = mapped_column(
        Encrypted(PhysicalDemand), default=PhysicalDemand.HEAVY, info=pii("special")
    )
    #: what the newcomer agrees an employer may see when they show interest
    shares_with_employers: Mapped[list[str]] = mapped_column(
        sa.JSON, default=list, info=pii("none")
    )
    allows_matching: Mapped[bool] = mapped_column(default=True, info=pii("none"))
    integration_started_on: Mapped[date | None] = mapped_column(info=pii("personal"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, info=pii("none")
    )

    user = relationship("User", foreign_keys=[user_id])
    consultant = relationship("User", foreign_keys=[consultant_id])
    limits: Mapped[list[NewcomerLimit]] = relationship(
        back_populates="profile", cascade="all, delete-orphan"
    )


class NewcomerLimit(Base):
    """A practical limit from the closed list; only the newcomer and their consultant see it."""

    __tablename__ = "newcomer_limit"

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("newcomer_profile.id", ondelete="CASCADE"), index=True, info=pii("none")
    )
    kind: Mapped[PracticalLimit] = mapped_column(Encrypted(PracticalLimit), info=pii("special"))

    profile: Mapped[NewcomerProfile] = relationship(back_populates="limits")


class DuplicateLimit(ValueError):
    """A profile would hold the same practical limit twice."""


@sa.event.listens_for(Session, "before_flush")
def _one_limit_per_kind(session: Session, _context: object, _instances: object) -> None:
    """A profile holds each practical limit once. The kind is encrypted, so the database
    cannot keep it unique (each token differs); every flush that adds or changes one does."""
    with session.no_autoflush:
        for limit in [*session.new, *session.dirty]:
            if isinstance(limit, NewcomerLimit) and limit.profile is not None:
                kinds = [held.kind for held in limit.profile.limits]
                if len(kinds) != len(set(kinds)):
                    raise DuplicateLimit(f"the practical limit {limit.kind} is held twice")


class LadderContext(StrEnum):
    INTAKE = "intake"
    CHECK_IN = "check_in"
    FOLLOW_UP = "follow_up"


class LadderStep(Base):
    """A rung of the participation ladder (1 isolated ... 6 paid work), with a date and a reason."""

    __tablename__ = "ladder_step"
    __table_args__ = (sa.CheckConstraint("rung BETWEEN 1 AND 6", name="rung_range"),)

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("newcomer_profile.id", ondelete="CASCADE"), index=True, info=pii("none")
    )
    rung: Mapped[int] = mapped_column(info=pii("personal"))
    recorded_on: Mapped[date] = mapped_column(info=pii("personal"))
    reason: Mapped[str] = mapped_column(sa.Text, info=pii("personal"))
    context: Mapped[LadderContext] = mapped_column(enum_type(LadderContext), info=pii("none"))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), info=pii("none")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))


class Intake(Base):
    """The first conversation with the newcomer, as the consultant wrote it down.

    Health and family appear here only as practical limits (on the profile), never as a story.
    """

    __tablename__ = "intake"

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("newcomer_profile.id", ondelete="CASCADE"), unique=True, info=pii("none")
    )
    held_on: Mapped[date] = mapped_column(info=pii("personal"))
    what_matters: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    motivation: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    capabilities: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    learning_wishes: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    #: what the newcomer and the consultant agreed to do next
    agreements: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), info=pii("none")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, info=pii("none")
    )


class ProfileChange(Base):
    """One changed part of a profile: what it was, what it became, who changed it and when.

    The newcomer sees every row, so a consultant's edit is never hidden from them.
    """

    __tablename__ = "profile_change"

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("newcomer_profile.id", ondelete="CASCADE"), index=True, info=pii("none")
    )
    field: Mapped[str] = mapped_column(sa.String(50), info=pii("none"))
    old_value: Mapped[object | None] = mapped_column(Encrypted(sa.JSON), info=pii("special"))
    new_value: Mapped[object | None] = mapped_column(Encrypted(sa.JSON), info=pii("special"))
    changed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), info=pii("none")
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))

    changed_by = relationship("User")
