"""The consultant's caseload: which newcomers need attention first, and why.

``attention_for`` gives, with a few queries for a whole caseload (never one per newcomer),
what waits for the consultant per newcomer, how urgent it is and where they act. The caseload
page and the consultants' Monday overview both read these rules.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum, IntEnum, StrEnum

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from marketplace.clock import add_months
from marketplace.labels import label
from marketplace.newcomers.models import Intake, LadderStep, NewcomerProfile
from marketplace.placements.checkins import next_check_in_due
from marketplace.placements.models import CheckIn, FollowUp, Outcome, Placement
from marketplace.placements.models import PlacementStatus as S
from marketplace.places.models import Place
from marketplace.plans.editing import DAYS_TO_ANSWER
from marketplace.plans.models import ActivityStatus, Plan, PlanActivity
from marketplace.plans.services import IN_FORCE_ORDER
from marketplace.search.output import newcomer_ref

#: a proposal the newcomer has not answered for this many days needs the consultant
PROPOSAL_ANSWER_DAYS = 14
#: the plan in force is renewed when it is older than this many years (12 months)
PLAN_YEARS = 1
#: deadlines this many days ahead are shown (passed ones always)
DEADLINE_DAYS = 30

#: placements in these states have a spot: the newcomer is in a placement
PLACED = (S.APPROVED, S.ACTIVE)
#: a placement that reached one of these states was approved once
EVER_APPROVED = (S.APPROVED, S.ACTIVE, S.COMPLETED, S.ENDED_EARLY)


class Urgency(IntEnum):
    """Lower comes first: a date that has passed, then a step that waits, then a date soon."""

    OVERDUE = 0
    TO_DO = 1
    SOON = 2


class Need(StrEnum):
    CHECK_IN = "check_in"
    INTEREST = "interest"
    AGREED = "agreed"
    HOST_ACCEPTED = "host_accepted"
    UNANSWERED = "unanswered"
    NO_PLAN = "no_plan"
    PLAN_NOT_AGREED = "plan_not_agreed"
    PLAN_OLD = "plan_old"
    NO_PLACEMENT = "no_placement"
    DEADLINE = "deadline"
    DEADLINE_PASSED = "deadline_passed"
    TERM_END = "term_end"
    FOLLOW_UP = "follow_up"


#: placement states in which the next step is the consultant's (a proposal: once it has a yes)
CONSULTANTS_STEP = {
    S.INTERESTED: Need.INTEREST,
    S.PROPOSED: Need.AGREED,
    S.ACCEPTED_BY_HOST: Need.HOST_ACCEPTED,
}

WORDS = {
    Need.CHECK_IN: _l("Check-in at %(place)s was due on %(date)s"),
    Need.INTEREST: _l("Interested in %(place)s: plan the introduction"),
    Need.AGREED: _l("Said yes to %(place)s: plan the introduction"),
    Need.HOST_ACCEPTED: _l("%(place)s said yes: approve the placement"),
    Need.UNANSWERED: _l("No answer to your proposal of %(place)s since %(date)s"),
    Need.NO_PLAN: _l("No plan yet: write the plan"),
    Need.PLAN_NOT_AGREED: _l("Plan version %(version)d is not agreed to since %(date)s"),
    Need.PLAN_OLD: _l("The plan is from %(date)s: renew it"),
    Need.NO_PLACEMENT: _l("No placement yet, %(weeks)d weeks after the start on %(date)s"),
    Need.DEADLINE: _l("%(what)s: deadline %(date)s"),
    Need.DEADLINE_PASSED: _l("%(what)s: deadline %(date)s has passed"),
    Need.TERM_END: _l("The integration term ends on %(date)s"),
    Need.FOLLOW_UP: _l("Follow-up %(months)d months after %(place)s: due on %(date)s"),
}

#: where the consultant acts on each need (the URL values are in the item)
PLACEMENTS_PAGE = "placing.of_newcomer"
PLAN_PAGE = "plans.of_newcomer"
FOLLOW_UP_PAGE = "outcomes.follow_up"


@dataclass(frozen=True, order=True)
class Attention:
    """One thing about a newcomer that waits for the consultant."""

    urgency: Urgency
    day: date  # what the item is about; date.max when it has no date
    need: Need = field(compare=False)
    ref: str = field(compare=False)
    endpoint: str = field(default=PLACEMENTS_PAGE, compare=False)
    values: dict = field(default_factory=dict, compare=False)
    params: dict = field(default_factory=dict, compare=False)

    @property
    def text(self) -> str:
        """The item in the reader's language."""
        words = {k: label(v) if isinstance(v, Enum) else v for k, v in self.params.items()}
        if self.day != date.max:
            words["date"] = format_date(self.day, "long")
        return str(WORDS[self.need]) % words

    @property
    def link(self) -> str:
        """The page where the consultant acts; the placements page while that page is missing."""
        # the plan and follow-up pages are built alongside this one (issue 6)
        if self.endpoint not in current_app.view_functions:
            return url_for(PLACEMENTS_PAGE, ref=self.ref)
        return url_for(self.endpoint, **(self.values or {"ref": self.ref}))


@dataclass
class CaseloadRow:
    """One newcomer of the caseload with what needs attention, most urgent first."""

    profile: NewcomerProfile
    items: list[Attention]
    rung: int | None  # on the participation ladder, the latest recorded
    placed: bool  # in an approved or active placement
    has_plan: bool

    @property
    def urgency(self) -> int:
        return min((item.urgency for item in self.items), default=len(Urgency))


def attention_for(
    dbs: Session, profiles: list[NewcomerProfile], today: date, no_placement_weeks: int
) -> list[CaseloadRow]:
    """Each newcomer with what needs attention; most urgent first, then by name."""
    found = _Found(profiles)
    placed, approved_once = _placements(dbs, found, today)
    in_force = _plans(dbs, found, today)
    _deadlines(dbs, found, in_force, today)
    _follow_ups(dbs, found, today)
    waiting = [profile for profile in profiles if profile.id not in approved_once]
    _no_placement(dbs, found, waiting, today, no_placement_weeks)
    newest_first = (LadderStep.recorded_on.desc(), LadderStep.id.desc())
    latest = _latest(dbs, LadderStep.profile_id, newest_first, found.ids, LadderStep.rung)
    rungs = {who: row.rung for who, row in latest.items()}
    planned = {plan.profile_id for plan in in_force}
    rows = [
        CaseloadRow(p, sorted(found.items[p.id]), rungs.get(p.id), p.id in placed, p.id in planned)
        for p in profiles
    ]
    return sorted(rows, key=lambda r: (r.urgency, r.profile.user.name.casefold(), r.profile.id))


class _Found:
    """The attention items gathered so far, per newcomer."""

    def __init__(self, profiles: list[NewcomerProfile]):
        self.ids = [profile.id for profile in profiles]
        self.refs = {profile.id: newcomer_ref(profile) for profile in profiles}
        self.items: dict[int, list[Attention]] = defaultdict(list)

    def add(self, who, need, urgency, day, endpoint=PLACEMENTS_PAGE, values=None, **params):
        day = day or date.max
        item = Attention(urgency, day, need, self.refs[who], endpoint, values or {}, params)
        self.items[who].append(item)


def _placements(dbs: Session, found: _Found, today: date) -> tuple[set[int], set[int]]:
    """Check-ins due and steps that wait; returns who is placed and who was ever approved."""
    query = sa.select(Placement, Place.title).join(Place, Place.id == Placement.place_id)
    rows = dbs.execute(query.where(Placement.profile_id.in_(found.ids))).all()
    active = [placement.id for placement, _title in rows if placement.status is S.ACTIVE]
    newest_first = (CheckIn.held_on.desc(), CheckIn.id.desc())
    columns = (CheckIn.held_on, CheckIn.next_check_in_on)
    latest = _latest(dbs, CheckIn.placement_id, newest_first, active, *columns)
    for placement, title in rows:
        need = _placement_need(placement, latest.get(placement.id), today)
        if need:
            found.add(placement.profile_id, *need, place=title)
    placed = {p.profile_id for p, _title in rows if p.status in PLACED}
    approved = {p.profile_id for p, _ in rows if p.status in EVER_APPROVED or p.approved_at}
    return placed, approved


def _placement_need(placement: Placement, check_in, today: date) -> tuple | None:
    """What a placement asks of the consultant now: (need, urgency, day[, link]), or None."""
    if placement.status is S.ACTIVE:
        due = next_check_in_due(placement.started_on, check_in)
        link = ("placing.check_in", {"placement_id": placement.id})
        return (Need.CHECK_IN, Urgency.OVERDUE, due, *link) if due and due < today else None
    if placement.awaits_newcomer:
        proposed_on = placement.created_at.date()
        late = (today - proposed_on).days >= PROPOSAL_ANSWER_DAYS
        return (Need.UNANSWERED, Urgency.OVERDUE, proposed_on) if late else None
    need = CONSULTANTS_STEP.get(placement.status)
    return (need, Urgency.TO_DO, None) if need else None


def _latest(dbs: Session, group, newest_first: tuple, keys: list[int], *columns) -> dict:
    """The first row by ``newest_first`` for each ``group`` value in ``keys``."""
    if not keys:
        return {}
    number = sa.func.row_number().over(partition_by=group, order_by=newest_first).label("n")
    ranked = sa.select(group.label("key"), *columns, number).where(group.in_(keys)).subquery()
    return {row.key: row for row in dbs.execute(sa.select(ranked).where(ranked.c.n == 1))}


def _plans(dbs: Session, found: _Found, today: date) -> list[Plan]:
    """No plan, a new version not agreed to, an old plan; returns the plans in force."""
    query = sa.select(Plan).where(Plan.profile_id.in_(found.ids))
    by_profile: dict[int, list[Plan]] = defaultdict(list)
    for plan in dbs.scalars(query.order_by(Plan.profile_id, *IN_FORCE_ORDER)):
        by_profile[plan.profile_id].append(plan)  # the first of each is the one in force
    year_ago = add_months(today, -12 * PLAN_YEARS)
    for who in found.ids:
        plans = by_profile.get(who)
        if not plans:
            found.add(who, Need.NO_PLAN, Urgency.TO_DO, None, PLAN_PAGE)
            continue
        newest = max(plans, key=lambda plan: plan.version)
        made_on, in_force_on = newest.created_at.date(), plans[0].created_at.date()
        if newest.agreed_at is None and (today - made_on).days >= DAYS_TO_ANSWER:
            need = Need.PLAN_NOT_AGREED
            found.add(who, need, Urgency.OVERDUE, made_on, PLAN_PAGE, version=newest.version)
        elif newest.agreed_at is not None and in_force_on < year_ago:
            found.add(who, Need.PLAN_OLD, Urgency.OVERDUE, in_force_on, PLAN_PAGE)
    return [plans[0] for plans in by_profile.values()]


def _deadlines(dbs: Session, found: _Found, in_force: list[Plan], today: date) -> None:
    """Activities of the plan in force not done by a date that is near or passed; the term."""
    soon = today + timedelta(days=DEADLINE_DAYS)
    for plan in in_force:
        end = plan.integration_deadline
        if end is not None and today <= end <= soon:
            found.add(plan.profile_id, Need.TERM_END, Urgency.SOON, end, PLAN_PAGE)
    owner = {plan.id: plan.profile_id for plan in in_force}
    if not owner:
        return
    query = sa.select(PlanActivity).where(PlanActivity.plan_id.in_(list(owner)))
    query = query.where(PlanActivity.status != ActivityStatus.DONE, PlanActivity.due_on <= soon)
    for activity in dbs.scalars(query.order_by(PlanActivity.due_on, PlanActivity.id)):
        passed = activity.due_on < today
        need = Need.DEADLINE_PASSED if passed else Need.DEADLINE
        urgency = Urgency.OVERDUE if passed else Urgency.SOON
        who = owner[activity.plan_id]
        found.add(who, need, urgency, activity.due_on, PLAN_PAGE, what=activity.kind)


def _follow_ups(dbs: Session, found: _Found, today: date) -> None:
    """Follow-ups that are due and not recorded yet."""
    query = (
        sa.select(FollowUp, Placement.profile_id, Place.title)
        .join(Outcome, Outcome.id == FollowUp.outcome_id)
        .join(Placement, Placement.id == Outcome.placement_id)
        .join(Place, Place.id == Placement.place_id)
        .where(Placement.profile_id.in_(found.ids), FollowUp.due_on <= today)
        .where(~FollowUp.is_recorded)
    )
    for follow_up, who, title in dbs.execute(query):
        due, months, values = follow_up.due_on, follow_up.months, {"follow_up_id": follow_up.id}
        urgency = Urgency.OVERDUE if due < today else Urgency.TO_DO
        params = {"months": months, "place": title}
        found.add(who, Need.FOLLOW_UP, urgency, due, FOLLOW_UP_PAGE, values, **params)


def route_started_on() -> sa.ColumnElement[date]:
    """The day a newcomer's route started (SQL, for "no placement after N weeks" and the
    dashboards): the intake, else the start of their integration, else the day their profile
    was made. Select from ``NewcomerProfile`` outer-joined to ``Intake`` on its profile_id."""
    made_on = sa.func.date(NewcomerProfile.created_at)  # stored as UTC without a zone
    integration = NewcomerProfile.integration_started_on
    return sa.func.coalesce(Intake.held_on, integration, made_on, type_=sa.Date)


def _no_placement(dbs: Session, found: _Found, waiting: list, today: date, weeks: int) -> None:
    """Newcomers never approved for a placement ``weeks`` after their route started."""
    query = (
        sa.select(NewcomerProfile.id, route_started_on())
        .outerjoin(Intake, Intake.profile_id == NewcomerProfile.id)
        .where(NewcomerProfile.id.in_([p.id for p in waiting]))
    )
    started = dict(dbs.execute(query).all())
    for profile in waiting:
        start = started[profile.id]
        if today >= start + timedelta(weeks=weeks):
            since = (today - start).days // 7
            found.add(profile.id, Need.NO_PLACEMENT, Urgency.OVERDUE, start, weeks=since)
