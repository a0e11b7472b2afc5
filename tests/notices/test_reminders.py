"""Reminders before deadlines and appointments: on the right day, once, to the right people."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace.notices.services import send_reminders
from marketplace.plans.models import ActivityStatus
from marketplace.plans.services import plan_in_force
from tests.notices.records import DAY, activity, appointment, keys, newcomer, notices, plan


def on(days_before: int):
    """The date ``days_before`` days before DAY (negative: after it)."""
    return DAY - timedelta(days=days_before)


#: a daily run from 15 days before the deadline to the day after: the reminder each run sends
DAILY = [(15, None), (14, 14), (10, None), (3, 3), (2, None), (1, 1), (0, None), (-1, None)]


def test_each_reminder_comes_on_its_day_and_only_once(db_session):
    user, profile = newcomer()
    knm = activity(plan(profile))
    seen: list[str] = []
    for days_before, expected in DAILY:
        sent = send_reminders(db_session, on(days_before))
        new = [key for key in keys(user) if key not in seen]
        wanted = [f"activity:{knm.id}:{expected}"] if expected else []
        assert (new, sent) == (wanted, len(wanted)), f"{days_before} days before"
        seen += new


#: the first run after days without one: only the nearest reminder that is due
FIRST_RUN = [(15, None), (14, 14), (10, 14), (4, 14), (3, 3), (2, 3), (1, 1), (0, 1), (-1, None)]


@pytest.mark.parametrize(("days_before", "expected"), FIRST_RUN)
def test_a_late_first_run_sends_one_reminder_not_all_it_missed(db_session, days_before, expected):
    user, profile = newcomer()
    knm = activity(plan(profile))
    assert send_reminders(db_session, on(days_before)) == (1 if expected else 0)
    assert keys(user) == ([f"activity:{knm.id}:{expected}"] if expected else [])


def test_running_twice_on_the_same_day_sends_nothing_new(app, db_session):
    user, profile = newcomer()
    activity(plan(profile))
    appointment(profile)
    assert send_reminders(db_session, on(3)) == 2
    db_session.commit()
    assert send_reminders(db_session, on(3)) == 0
    db_session.commit()
    assert len(notices(user)) == 2
    assert len(app.extensions["sent_mail"]) == 2


def test_appointments_and_the_end_of_the_term_are_reminded_too(db_session):
    user, profile = newcomer()
    meeting = appointment(profile, DAY + timedelta(days=1))
    term = plan(profile, integration_deadline=DAY)
    send_reminders(db_session, on(1))
    assert sorted(keys(user)) == [f"appointment:{meeting.id}:3", f"term:{term.id}:1"]
    by_key = dict(zip(keys(user), notices(user), strict=True))
    assert by_key[f"term:{term.id}:1"].due_on == DAY
    assert by_key[f"appointment:{meeting.id}:3"].params["time"] == "14:30"


def test_done_activities_and_past_appointments_give_nothing(db_session):
    user, profile = newcomer()
    in_force = plan(profile)
    activity(in_force, status=ActivityStatus.DONE)
    activity(in_force, due_on=None)
    appointment(profile, DAY - timedelta(days=1))
    assert send_reminders(db_session, DAY) == 0
    assert notices(user) == []


def test_an_activity_in_progress_is_still_reminded(db_session):
    user, profile = newcomer()
    activity(plan(profile), status=ActivityStatus.IN_PROGRESS)
    assert send_reminders(db_session, on(3)) == 1


def test_a_newer_plan_still_to_agree_does_not_replace_the_agreed_one(db_session):
    user, profile = newcomer()
    agreed = plan(profile, version=1, integration_deadline=DAY)
    in_agreed = activity(agreed)
    waiting = plan(profile, version=2, agreed=False, integration_deadline=DAY)
    activity(waiting, description="Only in the new version")
    assert plan_in_force(db_session, profile) == agreed
    send_reminders(db_session, on(3))
    assert sorted(keys(user)) == [f"activity:{in_agreed.id}:3", f"term:{agreed.id}:3"]


def test_the_newest_agreed_version_counts(db_session):
    _user, profile = newcomer()
    plan(profile, version=1)
    newest = plan(profile, version=2)
    plan(profile, version=3, agreed=False)
    assert plan_in_force(db_session, profile) == newest


def test_without_an_agreed_plan_the_newest_version_counts(db_session):
    user, profile = newcomer()
    plan(profile, version=1, agreed=False)
    draft = plan(profile, version=2, agreed=False)
    in_draft = activity(draft)
    assert plan_in_force(db_session, profile) == draft
    send_reminders(db_session, on(3))
    assert keys(user) == [f"activity:{in_draft.id}:3"]


def test_no_plan_no_deadline(db_session):
    _user, profile = newcomer()
    assert plan_in_force(db_session, profile) is None


def test_each_newcomer_gets_only_their_own_reminders(db_session):
    user, profile = newcomer()
    other, other_profile = newcomer()
    mine = activity(plan(profile))
    theirs = appointment(other_profile)
    assert send_reminders(db_session, on(3)) == 2
    assert keys(user) == [f"activity:{mine.id}:3"]
    assert keys(other) == [f"appointment:{theirs.id}:3"]


def test_inactive_newcomers_get_nothing(app, db_session):
    user, profile = newcomer(active=False)
    activity(plan(profile))
    appointment(profile)
    assert send_reminders(db_session, on(3)) == 0
    db_session.commit()
    assert notices(user) == []
    assert app.extensions["sent_mail"] == []


def test_the_days_before_come_from_the_settings(app, db_session, monkeypatch):
    monkeypatch.setitem(app.config, "REMINDER_DAYS", (7,))
    user, profile = newcomer()
    knm = activity(plan(profile))
    assert send_reminders(db_session, on(14)) == 0
    assert send_reminders(db_session, on(5)) == 1
    assert keys(user) == [f"activity:{knm.id}:7"]


def test_a_moved_date_gets_its_own_reminders(db_session):
    user, profile = newcomer()
    knm = activity(plan(profile))
    send_reminders(db_session, on(3))
    knm.due_on = DAY + timedelta(days=49)  # moved by seven weeks after the 3-day reminder
    db_session.flush()
    assert send_reminders(db_session, DAY + timedelta(days=35)) == 1
    assert keys(user) == [f"activity:{knm.id}:3", f"activity:{knm.id}:14"]
    newest = notices(user)[-1]
    assert newest.due_on == DAY + timedelta(days=49) and newest.key.endswith(":14")
