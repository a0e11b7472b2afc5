"""A four-digit postcode area with its coordinates (GeoNames, CC BY 4.0)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base, pii


class PostcodeArea(Base):
    __tablename__ = "postcode_area"

    pc4: Mapped[str] = mapped_column(sa.String(4), primary_key=True, info=pii("none"))
    place_name: Mapped[str] = mapped_column(sa.String(100), info=pii("none"))
    municipality: Mapped[str | None] = mapped_column(sa.String(100), index=True, info=pii("none"))
    province: Mapped[str | None] = mapped_column(sa.String(100), info=pii("none"))
    latitude: Mapped[float] = mapped_column(info=pii("none"))
    longitude: Mapped[float] = mapped_column(info=pii("none"))
