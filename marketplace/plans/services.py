"""Plan rules: which version of a newcomer's plan counts now."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from marketplace.newcomers.models import NewcomerProfile
from marketplace.plans.models import Plan

#: which version counts: an agreed version before any version still to agree, and of those
#: the newest. A newer version waiting for the newcomer's yes does not replace the agreed one;
#: when no version is agreed yet, the newest one counts (its dates are shown and reminded),
#: and the consultant's plan page says it is not agreed yet (``editing.versions_of``).
IN_FORCE_ORDER = (Plan.agreed_at.is_(None), Plan.version.desc())


def plan_in_force(dbs: Session, profile: NewcomerProfile) -> Plan | None:
    """The newcomer's plan that counts now (see ``IN_FORCE_ORDER``), or None without a plan."""
    return dbs.scalar(
        sa.select(Plan).where(Plan.profile_id == profile.id).order_by(*IN_FORCE_ORDER).limit(1)
    )


def plans_in_force() -> sa.Select:
    """The ids of every newcomer's plan in force, for jobs over all newcomers at once."""
    ranked = sa.select(
        Plan.id,
        sa.func.row_number()
        .over(partition_by=Plan.profile_id, order_by=IN_FORCE_ORDER)
        .label("rank"),
    ).subquery()
    return sa.select(ranked.c.id).where(ranked.c.rank == 1)
