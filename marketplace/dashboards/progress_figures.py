"""The dashboards' figures about progress: paid work or education at the follow-ups, and
the MAP's practice hours. Aggregate queries over a scope, as in ``figures``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from marketplace.dashboards.figures import Scope, count_if
from marketplace.newcomers.models import NewcomerProfile
from marketplace.placements.models import FollowUp, Outcome, Placement
from marketplace.placements.outcomes import DURABLE_AFTER_MONTHS
from marketplace.plans.models import ActivityKind, Plan, PlanActivity
from marketplace.plans.path import MAP_HOURS
from marketplace.plans.services import plans_in_force

# --- paid work or education at the follow-ups --------------------------------------------

MOMENTS = (6, 12)
RECORDED = FollowUp.recorded_at.is_not(None)
#: durable work, as ``placements.outcomes.is_durable_work`` says it for one outcome: the
#: 6-month follow-up is recorded and the newcomer is in paid work then
DURABLE = sa.and_(
    FollowUp.months == DURABLE_AFTER_MONTHS, RECORDED, FollowUp.in_paid_work.is_(True)
)


@dataclass(frozen=True)
class Situation:
    """The recorded follow-ups at one moment (``recorded`` is the denominator)."""

    months: int
    recorded: int
    paid_work: int
    education: int
    either: int


@dataclass(frozen=True)
class WorkOrEducation:
    moments: tuple[Situation, ...]
    #: outcomes whose 6-month follow-up found the newcomer in paid work
    durable: int


def work_or_education(dbs: Session, scope: Scope, today: date) -> WorkOrEducation:
    """Paid work, education, and either, at the 6- and 12-month follow-ups that are recorded."""
    paid, learning = FollowUp.in_paid_work.is_(True), FollowUp.in_education.is_(True)
    query = (
        sa.select(
            FollowUp.months,
            sa.func.count(),
            count_if(paid),
            count_if(learning),
            count_if(sa.or_(paid, learning)),
            count_if(DURABLE),
        )
        .join(Outcome, Outcome.id == FollowUp.outcome_id)
        .join(Placement, Placement.id == Outcome.placement_id)
        .join(NewcomerProfile, NewcomerProfile.id == Placement.profile_id)
        .where(RECORDED, FollowUp.months.in_(MOMENTS), *scope.where())
        .group_by(FollowUp.months)
    )
    rows = {row[0]: row for row in dbs.execute(query)}
    moments = tuple(
        Situation(months, *(int(n) for n in rows.get(months, (months, 0, 0, 0, 0, 0))[1:5]))
        for months in MOMENTS
    )
    durable = sum(int(row[5]) for row in rows.values())
    return WorkOrEducation(moments, durable)


# --- MAP practice hours -----------------------------------------------------------------

#: how far newcomers are with the MAP's practice hours, in the order the tables show
MAP_BANDS = ("none", "under_half", "half", "reached")


@dataclass(frozen=True)
class MapHours:
    """Newcomers with a MAP activity in their plan in force, by how far they are."""

    newcomers: dict[str, int]
    hours_done: int

    @property
    def with_map(self) -> int:
        return sum(self.newcomers.values())


def map_hours(dbs: Session, scope: Scope, today: date) -> MapHours:
    """Practice hours done for the MAP (plan in force), and who reached the hours needed."""
    needed = sa.func.coalesce(PlanActivity.hours_required, MAP_HOURS)
    done = PlanActivity.hours_done
    band = sa.case(
        (done >= needed, "reached"),
        (done == 0, "none"),
        (done * 2 < needed, "under_half"),
        else_="half",
    )
    query = (
        sa.select(band, sa.func.count(sa.distinct(Plan.profile_id)), sa.func.sum(done))
        .join(Plan, Plan.id == PlanActivity.plan_id)
        .join(NewcomerProfile, NewcomerProfile.id == Plan.profile_id)
        .where(
            PlanActivity.kind == ActivityKind.MAP,
            PlanActivity.plan_id.in_(plans_in_force()),
            *scope.where(),
        )
        .group_by(band)
    )
    newcomers = dict.fromkeys(MAP_BANDS, 0)
    hours = 0
    for found, count, total in dbs.execute(query):
        newcomers[found] += count
        hours += int(total or 0)
    return MapHours(newcomers, hours)
