"""An organisation (company, nonprofit, school, municipal department) and its verification."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, UTCDateTime, enum_type, pii, utcnow


class OrganisationKind(StrEnum):
    EMPLOYER = "employer"
    NONPROFIT = "nonprofit"
    EDUCATION = "education"
    MUNICIPALITY = "municipality"


class Organisation(Base):
    __tablename__ = "organisation"
    __table_args__ = (
        sa.CheckConstraint("kvk IS NULL OR length(kvk) = 8", name="kvk_eight_digits"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, info=pii("none"))
    ref: Mapped[str | None] = mapped_column(sa.String(64), unique=True, info=pii("none"))
    name: Mapped[str] = mapped_column(sa.String(200), info=pii("none"))
    kind: Mapped[OrganisationKind] = mapped_column(enum_type(OrganisationKind), info=pii("none"))
    kvk: Mapped[str | None] = mapped_column(sa.String(8), info=pii("none"))
    address: Mapped[str | None] = mapped_column(sa.String(200), info=pii("none"))
    postcode: Mapped[str | None] = mapped_column(sa.String(7), info=pii("none"))
    city: Mapped[str | None] = mapped_column(sa.String(100), info=pii("none"))
    website: Mapped[str | None] = mapped_column(sa.String(300), info=pii("none"))
    description: Mapped[str | None] = mapped_column(sa.Text, info=pii("none"))
    contact_name: Mapped[str | None] = mapped_column(sa.String(120), info=pii("personal"))
    contact_email: Mapped[str | None] = mapped_column(sa.String(254), info=pii("personal"))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(30), info=pii("personal"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=pii("none"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=pii("none"))
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, info=pii("none")
    )

    members = relationship("User", back_populates="organisation")
    places = relationship("Place", back_populates="organisation")

    @property
    def verified(self) -> bool:
        return self.verified_at is not None
