"""A newcomer's rating of a placement's place, or of the service; anonymous to the host."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base, UTCDateTime, enum_type, pii, utcnow


class FeedbackAbout(StrEnum):
    PLACE = "place"
    SERVICE = "service"


_SCORES = ("meaningful", "learned", "dutch_practice", "respect")


class FeedbackStage(StrEnum):
    DURING = "during"
    AFTER = "after"


class Feedback(Base):
    __tablename__ = "feedback"
    __table_args__ = (
        *(
            sa.CheckConstraint(f"{name} IS NULL OR {name} BETWEEN 1 AND 5", name=f"{name}_1_5")
            for name in _SCORES
        ),
        sa.CheckConstraint("about <> 'place' OR place_id IS NOT NULL", name="place_given"),
        # one rating after a placement ended, also when the form is sent twice at once
        sa.Index(
            "uq_feedback_after_per_placement",
            "placement_id",
            unique=True,
            sqlite_where=sa.text("stage = 'after'"),
            postgresql_where=sa.text("stage = 'after'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    about: Mapped[FeedbackAbout] = mapped_column(enum_type(FeedbackAbout), info=pii("none"))
    profile_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("newcomer_profile.id", ondelete="SET NULL"), index=True, info=pii("none")
    )
    placement_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("placement.id", ondelete="SET NULL"), index=True, info=pii("none")
    )
    place_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("place.id", ondelete="CASCADE"), index=True, info=pii("none")
    )
    stage: Mapped[FeedbackStage | None] = mapped_column(enum_type(FeedbackStage), info=pii("none"))
    meaningful: Mapped[int | None] = mapped_column(info=pii("personal"))
    learned: Mapped[int | None] = mapped_column(info=pii("personal"))
    dutch_practice: Mapped[int | None] = mapped_column(info=pii("personal"))
    respect: Mapped[int | None] = mapped_column(info=pii("personal"))
    would_recommend: Mapped[bool | None] = mapped_column(info=pii("personal"))
    comment: Mapped[str | None] = mapped_column(sa.Text, info=pii("personal"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))
