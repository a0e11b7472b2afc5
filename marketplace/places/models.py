"""A participation place, with its displacement-check answers and review decision."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, UTCDateTime, enum_type, pii, utcnow
from marketplace.vocab import DutchLevel, PhysicalDemand


class PlaceKind(StrEnum):
    VOLUNTEER = "volunteer"
    WORK_EXPERIENCE = "work_experience"
    INTERNSHIP = "internship"
    LEARN_WORK = "learn_work"
    TRIAL_PLACEMENT = "trial_placement"
    LANGUAGE_PRACTICE = "language_practice"


class Sector(StrEnum):
    CARE = "care"
    HOSPITALITY = "hospitality"
    RETAIL = "retail"
    LOGISTICS = "logistics"
    TECHNICAL = "technical"
    CONSTRUCTION = "construction"
    GREEN = "green"
    CLEANING = "cleaning"
    FOOD = "food"
    ADMINISTRATION = "administration"
    ICT = "ict"
    EDUCATION = "education"
    CREATIVE = "creative"
    SPORTS = "sports"
    COMMUNITY = "community"
    OTHER = "other"


class PaidWorkProspect(StrEnum):
    YES = "yes"
    POSSIBLE = "possible"
    NO = "no"


class PlaceStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    PAUSED = "paused"
    CLOSED = "closed"
    REJECTED = "rejected"


class WorksCouncil(StrEnum):
    CONSULTED = "consulted"
    NOT_CONSULTED = "not_consulted"
    NONE = "none"  # the organisation has no works council


#: what a place must have before it leaves the draft state (a draft may be saved half done)
REQUIRED_FIELDS = (
    "description",
    "kind",
    "sector",
    "dutch_level",
    "hours_min",
    "hours_max",
    "physical_demand",
    "spots",
    "paid_work_prospect",
)
COMPLETE_UNLESS_DRAFT = "status = 'draft' OR ({})".format(
    " AND ".join(f"{name} IS NOT NULL" for name in REQUIRED_FIELDS)
)


class Place(Base):
    __tablename__ = "place"
    __table_args__ = (
        sa.CheckConstraint(
            "(hours_min IS NULL OR hours_min >= 1) AND (hours_max IS NULL OR hours_max <= 40)"
            " AND (hours_min IS NULL OR hours_max IS NULL OR hours_min <= hours_max)",
            name="hours_range",
        ),
        sa.CheckConstraint("spots IS NULL OR spots >= 1", name="spots_positive"),
        sa.CheckConstraint(
            "spots_taken >= 0 AND (spots IS NULL OR spots_taken <= spots)",
            name="spots_taken_range",
        ),
        sa.CheckConstraint("duration_weeks IS NULL OR duration_weeks >= 1", name="duration"),
        sa.CheckConstraint(
            "status = 'draft' OR remote OR postcode IS NOT NULL", name="located_or_remote"
        ),
        sa.CheckConstraint(COMPLETE_UNLESS_DRAFT, name="complete_unless_draft"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    ref: Mapped[str | None] = mapped_column(sa.String(64), unique=True, info=pii("none"))
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT"), index=True, info=pii("none")
    )
    title: Mapped[str] = mapped_column(sa.String(200), info=pii("none"))
    description: Mapped[str | None] = mapped_column(sa.Text, info=pii("none"))
    kind: Mapped[PlaceKind | None] = mapped_column(enum_type(PlaceKind), info=pii("none"))
    sector: Mapped[Sector | None] = mapped_column(enum_type(Sector), info=pii("none"))
    skills_wanted: Mapped[list[str]] = mapped_column(sa.JSON, default=list, info=pii("none"))
    skills_learned: Mapped[list[str]] = mapped_column(sa.JSON, default=list, info=pii("none"))
    education_offered: Mapped[list[str]] = mapped_column(sa.JSON, default=list, info=pii("none"))
    dutch_level: Mapped[DutchLevel | None] = mapped_column(enum_type(DutchLevel), info=pii("none"))
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list, info=pii("none"))
    hours_min: Mapped[int | None] = mapped_column(info=pii("none"))
    hours_max: Mapped[int | None] = mapped_column(info=pii("none"))
    schedule: Mapped[list[str]] = mapped_column(sa.JSON, default=list, info=pii("none"))
    postcode: Mapped[str | None] = mapped_column(sa.String(7), info=pii("none"))
    city: Mapped[str | None] = mapped_column(sa.String(100), info=pii("none"))
    remote: Mapped[bool] = mapped_column(default=False, info=pii("none"))
    physical_demand: Mapped[PhysicalDemand | None] = mapped_column(
        enum_type(PhysicalDemand), info=pii("none")
    )
    spots: Mapped[int | None] = mapped_column(info=pii("none"))
    spots_taken: Mapped[int] = mapped_column(default=0, info=pii("none"))
    duration_weeks: Mapped[int | None] = mapped_column(info=pii("none"))
    start_date: Mapped[date | None] = mapped_column(info=pii("none"))
    end_date: Mapped[date | None] = mapped_column(info=pii("none"))
    mentor: Mapped[bool] = mapped_column(default=False, info=pii("none"))
    paid_work_prospect: Mapped[PaidWorkProspect | None] = mapped_column(
        enum_type(PaidWorkProspect), info=pii("none")
    )
    accessibility: Mapped[str | None] = mapped_column(sa.Text, info=pii("none"))
    status: Mapped[PlaceStatus] = mapped_column(
        enum_type(PlaceStatus), default=PlaceStatus.DRAFT, index=True, info=pii("none")
    )

    # The displacement check ("verdringingstoets"), answered by the employer on submission.
    would_be_paid_vacancy: Mapped[bool | None] = mapped_column(info=pii("none"))
    replaces_absent_worker: Mapped[bool | None] = mapped_column(info=pii("none"))
    replaces_dismissed_worker: Mapped[bool | None] = mapped_column(info=pii("none"))
    structural_work: Mapped[bool | None] = mapped_column(info=pii("none"))
    supervisor_name: Mapped[str | None] = mapped_column(sa.String(120), info=pii("personal"))
    learning_goals: Mapped[str | None] = mapped_column(sa.Text, info=pii("none"))
    works_council: Mapped[WorksCouncil | None] = mapped_column(
        enum_type(WorksCouncil), info=pii("none")
    )

    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=pii("none"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=pii("none"))
    reviewed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), info=pii("none")
    )
    review_comment: Mapped[str | None] = mapped_column(sa.Text, info=pii("none"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=pii("none"))
    #: an edit to a published place waiting for review; the public sees the approved version
    pending_changes: Mapped[dict | None] = mapped_column(sa.JSON, info=pii("none"))
    changes_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=pii("none"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=pii("none"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, info=pii("none")
    )
    #: optimistic locking: a stale edit raises instead of overwriting someone else's change
    version: Mapped[int] = mapped_column(default=1, info=pii("none"))

    __mapper_args__ = {"version_id_col": version}

    organisation = relationship("Organisation", back_populates="places")

    reviews: Mapped[list[PlaceReview]] = relationship(
        back_populates="place", cascade="all, delete-orphan", order_by="PlaceReview.id"
    )

    @property
    def spots_free(self) -> int:
        return max((self.spots or 0) - self.spots_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.spots is not None and self.spots_taken >= self.spots


class ReviewDecision(StrEnum):
    PUBLISHED = "published"
    REJECTED = "rejected"
    CHANGES_REQUESTED = "changes_requested"
    CHANGE_APPROVED = "change_approved"
    CHANGE_REJECTED = "change_rejected"


class PlaceReview(Base):
    """A consultant's decision on a submitted place or on a change to a published one."""

    __tablename__ = "place_review"

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    place_id: Mapped[int] = mapped_column(
        sa.ForeignKey("place.id", ondelete="CASCADE"), index=True, info=pii("none")
    )
    decision: Mapped[ReviewDecision] = mapped_column(enum_type(ReviewDecision), info=pii("none"))
    comment: Mapped[str | None] = mapped_column(sa.Text, info=pii("none"))
    #: the warning flags the reviewer saw, kept with the decision
    flags: Mapped[list[str]] = mapped_column(sa.JSON, default=list, info=pii("none"))
    reviewer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), info=pii("none")
    )
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))

    place: Mapped[Place] = relationship(back_populates="reviews")
    reviewer = relationship("User")
