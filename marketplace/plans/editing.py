"""The consultant keeps the plan (PIP): each save is a new version, which the newcomer agrees to.

A version is never changed after it is made; the next one starts from the newest. The form
says which version it was made from (``based_on``): when someone saved a newer one meanwhile,
or two saves happen at once (the unique (profile_id, version) catches that), nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from marketplace.audit.services import record_event
from marketplace.clock import add_months
from marketplace.domain import DomainError, NotAllowed
from marketplace.newcomers.models import NewcomerProfile
from marketplace.notices.models import NoticeKind
from marketplace.notices.services import notify
from marketplace.permissions import is_own_consultant
from marketplace.plans.models import ActivityKind, ActivityStatus, Plan, PlanActivity
from marketplace.plans.path import MAP_HOURS
from marketplace.vocab import LearningRoute

#: the activities every first plan starts with (the consultant can remove them)
FIRST_PLAN_KINDS = (ActivityKind.MAP, ActivityKind.PVT, ActivityKind.KNM)
#: the integration term under the civic integration act (Wi2021) is three years
TERM_YEARS = 3
#: how long the newcomer has to answer a new version (the date in their message)
DAYS_TO_ANSWER = 14
MAX_HOURS = 500


class ChangedMeanwhile(DomainError):
    """Someone saved a newer version after this form was opened; nothing was saved."""


class PlanNotValid(DomainError):
    """The draft breaks a rule; ``problems`` names each field (``activities-2-due_on``)."""

    def __init__(self, problems: list[tuple[str, object]]):
        super().__init__(problems[0][1], problems[0][0])
        self.problems = problems


CHANGED_MEANWHILE = _l(
    "Someone saved a new version of this plan while you were busy. Nothing was saved. "
    "Here is the newest version: make your changes again."
)


@dataclass
class ActivityRow:
    """One agreed activity as the consultant writes it; ``source`` is the activity it keeps."""

    kind: ActivityKind
    description: str = ""
    hours_required: int | None = None
    due_on: date | None = None
    status: ActivityStatus = ActivityStatus.PLANNED
    source: int | None = None


@dataclass
class PlanDraft:
    """What a new version will hold."""

    learning_route: LearningRoute | None
    integration_deadline: date | None
    preconditions: str = ""
    support: str = ""
    progress_followup: str = ""
    activities: list[ActivityRow] = field(default_factory=list)


@dataclass(frozen=True)
class PlanVersions:
    """A newcomer's versions: the one in force, a newer one to agree to, and the older ones."""

    in_force: Plan | None
    to_agree: Plan | None
    earlier: list[Plan]
    #: for each agreed version, the moment a later agreed version replaced it
    replaced_at: dict[int, datetime]

    @property
    def newest(self) -> Plan | None:
        return self.to_agree or self.in_force


def versions_of(dbs: Session, profile: NewcomerProfile) -> PlanVersions:
    """Every version of the plan, sorted into in force, to agree to, and earlier (newest first)."""
    plans = list(
        dbs.scalars(
            sa.select(Plan).where(Plan.profile_id == profile.id).order_by(Plan.version.desc())
        )
    )
    to_agree = plans[0] if plans and plans[0].agreed_at is None else None
    agreed = [plan for plan in plans if plan.agreed_at is not None]
    in_force = agreed[0] if agreed else None
    replaced_at = {agreed[n].id: agreed[n - 1].agreed_at for n in range(1, len(agreed))}
    earlier = [plan for plan in plans if plan is not to_agree and plan is not in_force]
    return PlanVersions(in_force, to_agree, earlier, replaced_at)


def draft_from(plan: Plan | None, profile: NewcomerProfile) -> PlanDraft:
    """The form's starting point: the newest version, or sensible defaults for a first plan."""
    if plan is None:
        return PlanDraft(
            learning_route=profile.learning_route,
            integration_deadline=_term_end(profile.integration_started_on),
            activities=[
                ActivityRow(kind, hours_required=MAP_HOURS if kind is ActivityKind.MAP else None)
                for kind in FIRST_PLAN_KINDS
            ],
        )
    return PlanDraft(
        learning_route=plan.learning_route,
        integration_deadline=plan.integration_deadline,
        preconditions=plan.preconditions or "",
        support=plan.support or "",
        progress_followup=plan.progress_followup or "",
        activities=[
            ActivityRow(
                kind=activity.kind,
                description=activity.description,
                hours_required=activity.hours_required,
                due_on=activity.due_on,
                status=activity.status,
                source=activity.id,
            )
            for activity in plan.activities
        ],
    )


def _term_end(started: date | None) -> date | None:
    return add_months(started, 12 * TERM_YEARS) if started else None


def problems_in(draft: PlanDraft, base: dict[int, PlanActivity], today: date) -> list[tuple]:
    """Every broken rule as (field name, message); an empty list when the draft is fine.

    A new activity, or a kept one whose date changed, cannot be due before today; a kept
    activity keeps its old date even when that has passed (it is part of the history).
    """
    found: list[tuple[str, object]] = []
    if draft.learning_route is None:
        found.append(("learning_route", _l("Choose a learning route.")))
    if draft.integration_deadline is None:
        found.append(("integration_deadline", _l("Fill in the end date of the integration term.")))
    for n, row in enumerate(draft.activities):
        kept = base.get(row.source) if row.source is not None else None
        moved = kept is None or row.due_on != kept.due_on
        if row.due_on is not None and moved and row.due_on < today:
            found.append((f"activities-{n}-due_on", _l("Choose today or a later date.")))
        if row.hours_required is not None and not 0 <= row.hours_required <= MAX_HOURS:
            message = _l("Fill in a number from %(low)d to %(high)d.", low=0, high=MAX_HOURS)
            found.append((f"activities-{n}-hours_required", message))
    return found


def newest_version(dbs: Session, profile: NewcomerProfile) -> int:
    """The number of the newest version, 0 without a plan."""
    query = sa.select(sa.func.max(Plan.version)).where(Plan.profile_id == profile.id)
    return dbs.scalar(query) or 0


def make_version(
    dbs: Session,
    actor: User,
    profile: NewcomerProfile,
    draft: PlanDraft,
    *,
    based_on: int,
    today: date,
) -> Plan:
    """Save the draft as the next version; the newcomer gets a message to read and agree to it.

    ``based_on`` is the version the consultant's form started from; when it is not the newest
    any more, or another save took the same number at the same moment, nothing is saved.
    """
    if not is_own_consultant(actor, profile):
        raise NotAllowed(_l("You cannot change the plan of this person."))
    if based_on != newest_version(dbs, profile):
        raise ChangedMeanwhile(CHANGED_MEANWHILE)
    base_plan = dbs.scalar(sa.select(Plan).filter_by(profile_id=profile.id, version=based_on))
    base = {activity.id: activity for activity in base_plan.activities} if base_plan else {}
    problems = problems_in(draft, base, today)
    if problems:
        raise PlanNotValid(problems)
    plan = Plan(
        profile_id=profile.id,
        version=based_on + 1,
        learning_route=draft.learning_route,
        integration_deadline=draft.integration_deadline,
        preconditions=draft.preconditions or None,
        support=draft.support or None,
        progress_followup=draft.progress_followup or None,
        created_by_id=actor.id,
        activities=_activities(dbs, profile, draft.activities, base),
    )
    try:
        with dbs.begin_nested():
            dbs.add(plan)
            dbs.flush()
    except IntegrityError:  # another save made this version number at the same moment
        raise ChangedMeanwhile(CHANGED_MEANWHILE) from None
    record_event(
        dbs,
        "plan_version_made",
        actor=actor,
        subject_user_id=profile.user_id,
        obj=plan,
        version=plan.version,
    )
    notify(
        dbs,
        profile.user,
        NoticeKind.PLAN_TO_AGREE,
        f"plan:{plan.id}",
        {"version": plan.version},
        due_on=today + timedelta(days=DAYS_TO_ANSWER),
        today=today,
    )
    return plan


def _activities(
    dbs: Session,
    profile: NewcomerProfile,
    rows: list[ActivityRow],
    base: dict[int, PlanActivity],
) -> list[PlanActivity]:
    """The new version's activities; a kept activity keeps the hours already done.

    MAP practice hours count on the plan in force (see placements.checkins); they carry over
    to any MAP activity of the new version, so a new version never loses hours done.
    """
    map_done = max(
        [a.hours_done for a in _in_force_activities(dbs, profile) if a.kind is ActivityKind.MAP]
        + [a.hours_done for a in base.values() if a.kind is ActivityKind.MAP],
        default=0,
    )
    made, used = [], set()
    for row in rows:
        kept = base.get(row.source) if row.source not in used else None
        used.add(row.source)
        hours_done = kept.hours_done if kept is not None else 0
        if row.kind is ActivityKind.MAP:
            hours_done = max(hours_done, map_done)
        made.append(
            PlanActivity(
                kind=row.kind,
                description=row.description,
                hours_required=row.hours_required,
                hours_done=hours_done,
                due_on=row.due_on,
                status=row.status,
            )
        )
    return made


def _in_force_activities(dbs: Session, profile: NewcomerProfile) -> list[PlanActivity]:
    in_force = versions_of(dbs, profile).in_force
    return list(in_force.activities) if in_force else []
