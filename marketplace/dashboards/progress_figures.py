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
#: durable work, as ``placements.outcomes.is_durable_work`` says it for one outcome: the
#: 6-month follow-up is recorded and the newcomer is in paid work then (the same hybrids)
DURABLE = sa.and_(FollowUp.months == DURABLE_AFTER_MONTHS, FollowUp.is_recorded, FollowUp.in_work)
#: which groups of ``Situation.groups`` each count of a Situation adds up
PARTS = {
    "recorded": ("paid_only", "education_only", "both", "neither"),
    "paid_work": ("paid_only", "both"),
    "education": ("education_only", "both"),
    "either": ("paid_only", "education_only", "both"),
}


@dataclass(frozen=True)
class Situation:
    """Newcomers with a recorded follow-up at one moment (``recorded`` is the denominator)."""

    months: int
    recorded: int
    paid_work: int
    education: int
    either: int

    @property
    def groups(self) -> dict[str, int]:
        """The newcomers in groups that do not overlap (only paid work, only education, both,
        neither); every count above is a sum of some of them."""
        return {
            "paid_only": self.either - self.education,
            "education_only": self.either - self.paid_work,
            "both": self.paid_work + self.education - self.either,
            "neither": self.recorded - self.either,
        }

    def parts(self, name: str) -> tuple[int, ...]:
        """The groups that the count ``name`` (recorded, paid_work, ...) adds up."""
        groups = self.groups
        return tuple(groups[g] for g in PARTS[name])


@dataclass(frozen=True)
class WorkOrEducation:
    moments: tuple[Situation, ...]
    #: newcomers whose 6-month follow-up (of their latest outcome) found them in paid work
    durable: int


def _counted_follow_ups(scope: Scope) -> sa.Subquery:
    """Per newcomer and moment, the one recorded follow-up that counts: the one of their
    latest outcome (by the placement's end, then the outcome's id) that has it recorded."""
    latest_first = (Placement.ended_on.desc().nulls_last(), Outcome.id.desc())
    return (
        sa.select(
            FollowUp.id,
            sa.func.row_number()
            .over(partition_by=(Placement.profile_id, FollowUp.months), order_by=latest_first)
            .label("rank"),
        )
        .join(Outcome, Outcome.id == FollowUp.outcome_id)
        .join(Placement, Placement.id == Outcome.placement_id)
        .join(NewcomerProfile, NewcomerProfile.id == Placement.profile_id)
        .where(FollowUp.is_recorded, FollowUp.months.in_(MOMENTS), *scope.where())
        .subquery("counted")
    )


def work_or_education(dbs: Session, scope: Scope, today: date) -> WorkOrEducation:
    """Newcomers in paid work, education, or either, at the 6- and 12-month follow-ups that
    are recorded; each newcomer counts once per moment, however many placements they had."""
    paid, learning = FollowUp.in_work, FollowUp.in_education.is_(True)
    counted = _counted_follow_ups(scope)
    query = (
        sa.select(
            FollowUp.months,
            sa.func.count(),
            count_if(paid),
            count_if(learning),
            count_if(sa.or_(paid, learning)),
            count_if(DURABLE),
        )
        .join(counted, sa.and_(counted.c.id == FollowUp.id, counted.c.rank == 1))
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
