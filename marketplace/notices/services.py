"""Notices: telling a user something once, on their messages page and by e-mail.

``send_reminders`` is the daily job: before each deadline and appointment of a newcomer it
sends the reminder that is due (``REMINDER_DAYS`` before the day), each one only once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import sqlalchemy as sa
from flask import current_app, url_for
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from marketplace import clock
from marketplace.accounts.models import Role, User
from marketplace.db import utcnow
from marketplace.mail import queue_mail
from marketplace.newcomers.models import NewcomerProfile
from marketplace.notices.messages import render
from marketplace.notices.models import Notice, NoticeKind
from marketplace.plans.models import ActivityStatus, Appointment, Plan, PlanActivity
from marketplace.plans.services import plans_in_force

ALL: Literal["all"] = "all"
#: how many notices the messages page shows, newest first
SHOWN = 100


def notify(
    dbs: Session,
    user: User,
    kind: NoticeKind,
    key: str,
    params: dict,
    due_on: date | None = None,
    *,
    today: date | None = None,
) -> Notice | None:
    """Tell a user something once per key; the notice, or None when it was already there.

    Active users also get it by e-mail, in their own language, after the commit.
    """
    if _exists(dbs, user, key):
        return None
    notice = Notice(user_id=user.id, kind=kind, key=key, params=dict(params), due_on=due_on)
    try:
        with dbs.begin_nested():
            dbs.add(notice)
    except IntegrityError:  # the same notice at the same moment elsewhere: one of them wins
        return None
    if user.active:
        queue_mail(
            dbs,
            user.email,
            user.language,
            "notice",
            user=user,
            notice=notice,
            notice_text=render,
            today=today or clock.today(),
            link=_messages_link(),
        )
        notice.emailed_at = utcnow()  # handed to the mail queue, which sends after the commit
    return notice


def _exists(dbs: Session, user: User, key: str) -> bool:
    query = sa.select(Notice.id).where(Notice.user_id == user.id, Notice.key == key)
    return dbs.scalar(query) is not None


def _messages_link() -> str:
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for("notices.index", _external=True)


@dataclass(frozen=True)
class Dated:
    """Something with a date that a newcomer is reminded of."""

    user: User
    kind: NoticeKind
    key: str  # without the date and the number of days before
    day: date
    params: dict


def send_reminders(dbs: Session, today: date) -> int:
    """Send every reminder that is due today, at most one per thing; returns how many."""
    days_before = sorted(current_app.config["REMINDER_DAYS"])
    sent = 0
    for thing in dated_things(dbs, today, today + timedelta(days=days_before[-1])):
        n = nearest_due(thing.day, today, days_before)
        if n is None:
            continue
        # the date is in the key: a date moved after a reminder gets its own reminders
        key = f"{thing.key}:{thing.day.isoformat()}:{n}"
        if notify(dbs, thing.user, thing.kind, key, thing.params, thing.day, today=today):
            sent += 1
    return sent


def nearest_due(day: date, today: date, days_before: Iterable[int]) -> int | None:
    """Of the reminders due for ``day`` (today is n days before it or later), the latest one.

    After days without a run only this one is sent, not every reminder that was missed.
    """
    left = (day - today).days
    due = [n for n in days_before if 0 <= left <= n]
    return min(due) if due else None


def dated_things(dbs: Session, first: date, last: date) -> Iterator[Dated]:
    """The deadlines and appointments of active newcomers from ``first`` to ``last``.

    Deadlines come from each newcomer's plan in force: its activities that are not done,
    and the end of the integration term.
    """
    activities = _of_active_newcomers(
        sa.select(PlanActivity, User).join(Plan, Plan.id == PlanActivity.plan_id), Plan.profile_id
    ).where(
        Plan.id.in_(plans_in_force()),
        PlanActivity.status != ActivityStatus.DONE,
        PlanActivity.due_on.between(first, last),
    )
    for activity, user in dbs.execute(activities.order_by(PlanActivity.due_on, PlanActivity.id)):
        params = {"activity_kind": activity.kind.value, "description": activity.description}
        yield Dated(user, NoticeKind.DEADLINE, f"activity:{activity.id}", activity.due_on, params)
    terms = _of_active_newcomers(sa.select(Plan, User), Plan.profile_id).where(
        Plan.id.in_(plans_in_force()), Plan.integration_deadline.between(first, last)
    )
    for plan, user in dbs.execute(terms.order_by(Plan.integration_deadline, Plan.id)):
        day = plan.integration_deadline
        yield Dated(user, NoticeKind.DEADLINE, f"term:{plan.id}", day, {"term": True})
    appointments = _of_active_newcomers(sa.select(Appointment, User), Appointment.profile_id).where(
        Appointment.day.between(first, last)
    )
    for appointment, user in dbs.execute(appointments.order_by(Appointment.day, Appointment.id)):
        params = {
            "what": appointment.what,
            "time": appointment.at_time.isoformat("minutes") if appointment.at_time else None,
            "location": appointment.location,
            "with_whom": appointment.with_whom,
        }
        key = f"appointment:{appointment.id}"
        yield Dated(user, NoticeKind.APPOINTMENT, key, appointment.day, params)


def _of_active_newcomers(query: sa.Select, profile_id: sa.ColumnElement) -> sa.Select:
    """The query joined to the newcomer's account, for active newcomers only."""
    return (
        query.join(NewcomerProfile, NewcomerProfile.id == profile_id)
        .join(User, User.id == NewcomerProfile.user_id)
        .where(User.role == Role.NEWCOMER, User.active.is_(True))
    )


def unread_count(dbs: Session, user: User) -> int:
    """How many of the user's notices they have not read yet."""
    query = sa.select(sa.func.count(Notice.id)).where(
        Notice.user_id == user.id, Notice.read_at.is_(None)
    )
    return dbs.scalar(query) or 0


def notices_of(dbs: Session, user: User, limit: int = SHOWN) -> list[Notice]:
    """The user's own notices, newest first."""
    query = (
        sa.select(Notice)
        .where(Notice.user_id == user.id)
        .order_by(Notice.created_at.desc(), Notice.id.desc())
        .limit(limit)
    )
    return list(dbs.scalars(query))


def mark_read(dbs: Session, user: User, ids: Iterable[int] | Literal["all"]) -> int:
    """Mark the user's own unread notices (these ids, or ``ALL``) as read; returns how many.

    Only the user's own notices are touched, whatever ids are given.
    """
    query = (
        sa.update(Notice)
        .where(Notice.user_id == user.id, Notice.read_at.is_(None))
        .values(read_at=utcnow())
    )
    if ids != ALL:
        query = query.where(Notice.id.in_(list(ids)))
    return dbs.execute(query).rowcount
