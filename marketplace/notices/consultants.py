"""Notices for consultants: check-ins and follow-ups that are due, and a Monday overview.

Part of the daily ``flask reminders send``. Each notice is sent once per key (the key holds
the date, as the newcomers' reminders do). A notice keeps the newcomer's name and what is
due, and nothing more: no health, no limits, no contact details; its e-mail leaves the name
out too (``messages.render``). Only active newcomers of active consultants count, and a
newcomer's notices go when the newcomer is erased or moves to another consultant.
The overview only counts; it names nobody.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, contains_eager

from marketplace.accounts.models import Role, User
from marketplace.newcomers.caseload import Need, Urgency, attention_for
from marketplace.newcomers.models import NewcomerProfile
from marketplace.notices.models import Notice, NoticeKind
from marketplace.notices.services import nearest_due, notify
from marketplace.placements.checkins import next_check_in_due
from marketplace.placements.models import CheckIn, FollowUp, Outcome, Placement, PlacementStatus
from marketplace.places.models import Place

#: a check-in is announced this many days before its date, and on the day itself
CHECK_IN_DAYS_BEFORE = (3, 0)
#: a follow-up that became due while the job did not run is still announced this many days on
FOLLOW_UP_LATE_DAYS = 7
#: the overview of what is overdue goes out on this weekday (Monday)
OVERVIEW_WEEKDAY = 0
#: how many newcomers the overview looks at in one go
OVERVIEW_BATCH = 500
#: what the overview counts: the overdue items of the caseload, by the overview's word
OVERVIEW_COUNTS = {
    Need.CHECK_IN: "check_ins",
    Need.FOLLOW_UP: "follow_ups",
    Need.DEADLINE_PASSED: "deadlines",
}

Consultant = aliased(User, name="consultant")
Newcomer = aliased(User, name="newcomer")


def send_consultant_reminders(dbs: Session, today: date, no_placement_weeks: int) -> int:
    """Send the consultants' notices that are due today, each once; returns how many."""
    sent = _check_ins_due(dbs, today) + _follow_ups_due(dbs, today)
    if today.weekday() == OVERVIEW_WEEKDAY:
        sent += _overviews(dbs, today, no_placement_weeks)
    return sent


def _of_consultants(query: sa.Select, profile_id) -> sa.Select:
    """The query joined to the newcomer and their consultant, for active accounts only (an
    erased newcomer's account is not active; an invited one is)."""
    return (
        query.join(NewcomerProfile, NewcomerProfile.id == profile_id)
        .join(Newcomer, Newcomer.id == NewcomerProfile.user_id)
        .join(Consultant, Consultant.id == NewcomerProfile.consultant_id)
        .where(Consultant.role == Role.CONSULTANT, Consultant.active.is_(True))
        .where(Newcomer.active.is_(True))
    )


def _check_ins_due(dbs: Session, today: date) -> int:
    """The next check-in of an active placement, the first one too, 3 days before and on
    the day; when it is due is the caseload's rule (``next_check_in_due``)."""
    order = (CheckIn.held_on.desc(), CheckIn.id.desc())
    latest = (
        sa.select(
            CheckIn.id,
            CheckIn.placement_id,
            CheckIn.held_on,
            CheckIn.next_check_in_on,
            sa.func.row_number().over(partition_by=CheckIn.placement_id, order_by=order).label("n"),
        )
        .join(Placement, Placement.id == CheckIn.placement_id)
        .where(Placement.status == PlacementStatus.ACTIVE)
        .subquery()
    )
    columns = (latest.c.id.label("check_in_id"), latest.c.held_on, latest.c.next_check_in_on)
    query = _of_consultants(
        sa.select(Placement.id, Placement.started_on, *columns, Place.title, Newcomer.name)
        .add_columns(Consultant)
        .outerjoin(latest, sa.and_(latest.c.placement_id == Placement.id, latest.c.n == 1))
        .join(Place, Place.id == Placement.place_id),
        Placement.profile_id,
    ).where(Placement.status == PlacementStatus.ACTIVE)
    sent = 0
    for row in dbs.execute(query.order_by(Placement.id)):
        day = next_check_in_due(row.started_on, row if row.check_in_id else None)
        n = nearest_due(day, today, CHECK_IN_DAYS_BEFORE) if day else None
        if n is None:
            continue
        about = f"check_in:{row.check_in_id}" if row.check_in_id else f"first_check_in:{row.id}"
        key = f"{about}:{day.isoformat()}:{n}"
        params, consultant = {"newcomer": row.name, "place": row.title}, row.consultant
        sent += bool(
            notify(dbs, consultant, NoticeKind.CHECK_IN_DUE, key, params, day, today=today)
        )
    return sent


def _follow_ups_due(dbs: Session, today: date) -> int:
    """A follow-up on the day it becomes due (or a few days later, if the job did not run)."""
    query = _of_consultants(
        sa.select(FollowUp, Place.title, Newcomer.name, Consultant)
        .join(Outcome, Outcome.id == FollowUp.outcome_id)
        .join(Placement, Placement.id == Outcome.placement_id)
        .join(Place, Place.id == Placement.place_id),
        Placement.profile_id,
    ).where(
        ~FollowUp.is_recorded,
        FollowUp.due_on.between(today - timedelta(days=FOLLOW_UP_LATE_DAYS), today),
    )
    sent = 0
    for follow_up, title, name, consultant in dbs.execute(query.order_by(FollowUp.id)):
        key = f"follow_up:{follow_up.id}:{follow_up.due_on.isoformat()}"
        params = {"newcomer": name, "place": title, "months": follow_up.months}
        notice = notify(
            dbs, consultant, NoticeKind.FOLLOW_UP_DUE, key, params, follow_up.due_on, today=today
        )
        sent += bool(notice)
    return sent


def _overviews(dbs: Session, today: date, no_placement_weeks: int) -> int:
    """Each consultant with something overdue gets how many check-ins, follow-ups and
    deadlines are overdue in their caseload, by the caseload's own rules."""
    counts: dict[int, Counter] = defaultdict(Counter)
    for batch in _caseload_batches(dbs):
        for row in attention_for(dbs, batch, today, no_placement_weeks):
            for item in row.items:
                if item.urgency is Urgency.OVERDUE and item.need in OVERVIEW_COUNTS:
                    counts[row.profile.consultant_id][OVERVIEW_COUNTS[item.need]] += 1
    sent = 0
    consultants = dbs.scalars(sa.select(User).where(User.id.in_(list(counts)))) if counts else []
    for consultant in sorted(consultants, key=lambda user: user.id):
        params = {word: counts[consultant.id][word] for word in OVERVIEW_COUNTS.values()}
        key = f"overview:{today.isoformat()}"
        sent += bool(notify(dbs, consultant, NoticeKind.OVERDUE_OVERVIEW, key, params, today=today))
    return sent


def _caseload_batches(dbs: Session):
    """The active newcomers of active consultants, a batch at a time (by id, so memory stays
    small)."""
    query = (
        sa.select(NewcomerProfile)
        .join(NewcomerProfile.user)
        .options(contains_eager(NewcomerProfile.user))
        .join(Consultant, Consultant.id == NewcomerProfile.consultant_id)
        .where(Consultant.role == Role.CONSULTANT, Consultant.active.is_(True))
        .where(User.active.is_(True))
        .order_by(NewcomerProfile.id)
        .limit(OVERVIEW_BATCH)
    )
    last = 0
    while batch := list(dbs.scalars(query.where(NewcomerProfile.id > last))):
        yield batch
        last = batch[-1].id


def forget_newcomer(
    dbs: Session, profile: NewcomerProfile, consultant_id: int | None = None
) -> int:
    """Delete the consultants' notices about this newcomer (they hold the name): all of them
    for erasure, or one consultant's when the newcomer moves away from them; returns how
    many. The overview names nobody, so it stays."""
    mine = Placement.profile_id == profile.id
    check_ins = sa.select(CheckIn.id).join(Placement, Placement.id == CheckIn.placement_id)
    follow_ups = (
        sa.select(FollowUp.id)
        .join(Outcome, Outcome.id == FollowUp.outcome_id)
        .join(Placement, Placement.id == Outcome.placement_id)
    )
    prefixes = [f"check_in:{n}:" for n in dbs.scalars(check_ins.where(mine))]
    prefixes += [f"first_check_in:{n}:" for n in dbs.scalars(sa.select(Placement.id).where(mine))]
    prefixes += [f"follow_up:{n}:" for n in dbs.scalars(follow_ups.where(mine))]
    if not prefixes:
        return 0
    about = sa.or_(*(Notice.key.startswith(prefix, autoescape=True) for prefix in prefixes))
    kinds = (NoticeKind.CHECK_IN_DUE, NoticeKind.FOLLOW_UP_DUE)
    query = sa.delete(Notice).where(Notice.kind.in_(kinds), about)
    if consultant_id is not None:
        query = query.where(Notice.user_id == consultant_id)
    return dbs.execute(query.execution_options(synchronize_session=False)).rowcount
