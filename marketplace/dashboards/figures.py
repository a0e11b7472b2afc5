"""The dashboards' figures about newcomers: each a few aggregate queries over a scope.

A scope is one consultant's caseload, or the newcomers of one municipality (or of all).
There are 100,000 newcomers: every figure groups in the database and never asks per
newcomer. The functions return plain numbers; hiding small counts is the tables' work.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from marketplace.newcomers.models import Intake, LadderStep, NewcomerProfile
from marketplace.placements.models import Placement, PlacementStatus


@dataclass(frozen=True)
class Scope:
    """Whose figures: a consultant's caseload, or a municipality's newcomers (None: all)."""

    consultant_id: int | None = None
    municipality: str | None = None

    @property
    def is_caseload(self) -> bool:
        return self.consultant_id is not None

    def where(self) -> list[sa.ColumnElement[bool]]:
        """Conditions on ``NewcomerProfile`` that keep the newcomers of this scope."""
        if self.consultant_id is not None:
            return [NewcomerProfile.consultant_id == self.consultant_id]
        if self.municipality is not None:
            return [NewcomerProfile.municipality == self.municipality]
        return []


class day_number(FunctionElement):  # noqa: N801  (used like an SQL function)
    """A date or timestamp as a whole day number, so that days between are a subtraction."""

    type = sa.Integer()
    inherit_cache = True
    name = "day_number"


@compiles(day_number)
def _day_number(element, compiler, **kw) -> str:  # PostgreSQL: date minus date is days
    return f"(CAST({compiler.process(element.clauses, **kw)} AS DATE) - DATE '2000-01-01')"


@compiles(day_number, "sqlite")
def _day_number_sqlite(element, compiler, **kw) -> str:
    return f"CAST(julianday(date({compiler.process(element.clauses, **kw)})) AS INTEGER)"


def count_if(condition) -> sa.ColumnElement[int]:
    """How many rows of a group meet the condition (0, never NULL, for none)."""
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


# --- placements by state --------------------------------------------------------------------


def placements_by_state(dbs: Session, scope: Scope, today: date) -> dict[PlacementStatus, int]:
    """How many placements are in each state (every state, zero included)."""
    query = (
        sa.select(Placement.status, sa.func.count())
        .join(NewcomerProfile, NewcomerProfile.id == Placement.profile_id)
        .where(*scope.where())
        .group_by(Placement.status)
    )
    found = dict(dbs.execute(query).all())
    return {status: found.get(status, 0) for status in PlacementStatus}


# --- time from intake to the first placement -------------------------------------------------

#: upper bounds (days, exclusive) of the buckets: under 1 month, 1-3, 3-6, 6-12, 12 or more
BUCKET_DAYS = (30, 91, 183, 365)


@dataclass(frozen=True)
class TimeToPlacement:
    """Days from the intake (else the start of integration) to the first approved placement.

    ``buckets`` counts newcomers per BUCKET_DAYS bucket (the last one open-ended);
    ``without_start`` have a placement but no intake date and no start of integration, so
    they are left out; ``not_placed`` have had no placement approved or started yet.
    """

    buckets: tuple[int, ...]
    median_days: float | None
    placed: int
    without_start: int
    not_placed: int


def _median(histogram: Counter) -> float | None:
    """The median of the values counted in ``histogram`` (value -> how often)."""
    total = sum(histogram.values())
    if not total:
        return None
    low_at, high_at = (total - 1) // 2, total // 2  # the middle one or two, counted from 0
    low, seen = None, 0
    for value in sorted(histogram):
        seen += histogram[value]
        if low is None and seen > low_at:
            low = value
        if seen > high_at:
            return (low + value) / 2
    raise AssertionError("unreachable: the counts add up to total")


def _bucket(days: int) -> int:
    return next((n for n, bound in enumerate(BUCKET_DAYS) if days < bound), len(BUCKET_DAYS))


def time_to_placement(dbs: Session, scope: Scope, today: date) -> TimeToPlacement:
    """From the start (intake, else integration start) to the first approval (else start)."""
    first = (
        sa.select(
            Placement.profile_id,
            sa.func.min(
                sa.func.coalesce(
                    day_number(Placement.approved_at), day_number(Placement.started_on)
                )
            ).label("day"),
        )
        .where(sa.or_(Placement.approved_at.is_not(None), Placement.started_on.is_not(None)))
        .group_by(Placement.profile_id)
        .subquery()
    )
    start = sa.func.coalesce(
        day_number(Intake.held_on), day_number(NewcomerProfile.integration_started_on)
    )
    kind = sa.case(
        (first.c.day.is_(None), "not_placed"), (start.is_(None), "no_start"), else_="placed"
    )
    days = first.c.day - start
    query = (
        sa.select(kind, days, sa.func.count())
        .select_from(NewcomerProfile)
        .outerjoin(first, first.c.profile_id == NewcomerProfile.id)
        .outerjoin(Intake, Intake.profile_id == NewcomerProfile.id)
        .where(*scope.where())
        .group_by(kind, days)
    )
    histogram: Counter = Counter()
    others: Counter = Counter()
    for found_kind, found_days, count in dbs.execute(query):
        if found_kind == "placed":
            histogram[max(found_days, 0)] += count  # a placement before the intake: day 0
        else:
            others[found_kind] += count
    buckets = [0] * (len(BUCKET_DAYS) + 1)
    for found_days, count in histogram.items():
        buckets[_bucket(found_days)] += count
    return TimeToPlacement(
        tuple(buckets),
        _median(histogram),
        sum(histogram.values()),
        others["no_start"],
        others["not_placed"],
    )


# --- ladder movement ----------------------------------------------------------------------

RUNG_RANGE = range(1, 7)


@dataclass(frozen=True)
class LadderMovement:
    """From which rung (the first recorded) to which (the latest), for newcomers with two or
    more steps; ``moves[(from, to)]`` counts them. ``one_step`` have only their first rung."""

    moves: dict[tuple[int, int], int]
    one_step: int

    def parts(self, direction: int) -> list[int]:
        """The counts of the moves up (1), to the same step (0) or down (-1)."""
        return [
            n
            for (start, end), n in self.moves.items()
            if (end > start) - (end < start) == direction
        ]

    @property
    def up(self) -> int:
        return sum(self.parts(1))

    @property
    def same(self) -> int:
        return sum(self.parts(0))

    @property
    def down(self) -> int:
        return sum(self.parts(-1))


def ladder_movement(dbs: Session, scope: Scope, today: date) -> LadderMovement:
    """Each newcomer's first rung against their latest one (one query, window functions)."""
    order = (LadderStep.recorded_on, LadderStep.id)
    ranked = (
        sa.select(
            LadderStep.profile_id,
            LadderStep.rung,
            sa.func.row_number()
            .over(partition_by=LadderStep.profile_id, order_by=order)
            .label("from_first"),
            sa.func.row_number()
            .over(partition_by=LadderStep.profile_id, order_by=[c.desc() for c in order])
            .label("from_last"),
            sa.case(
                (sa.func.count().over(partition_by=LadderStep.profile_id) > 1, 1), else_=0
            ).label("several"),
        )
        .join(NewcomerProfile, NewcomerProfile.id == LadderStep.profile_id)
        .where(*scope.where())
        .cte("ranked")
    )
    first, last = ranked.alias("first_step"), ranked.alias("last_step")
    query = (
        sa.select(first.c.rung, last.c.rung, first.c.several, sa.func.count())
        .select_from(first)
        .join(last, sa.and_(last.c.profile_id == first.c.profile_id, last.c.from_last == 1))
        .where(first.c.from_first == 1)
        .group_by(first.c.rung, last.c.rung, first.c.several)
    )
    moves = {(start, end): 0 for start in RUNG_RANGE for end in RUNG_RANGE}
    one_step = 0
    for start, end, several, count in dbs.execute(query):
        if several:
            moves[(start, end)] += count
        else:
            one_step += count
    return LadderMovement(moves, one_step)


def municipalities(dbs: Session) -> list[str]:
    """The municipalities newcomers live in, for the filter of the municipality's page."""
    query = (
        sa.select(NewcomerProfile.municipality)
        .where(NewcomerProfile.municipality.is_not(None), NewcomerProfile.municipality != "")
        .distinct()
        .order_by(NewcomerProfile.municipality)
    )
    return list(dbs.scalars(query))
