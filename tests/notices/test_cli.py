"""`flask reminders send`: the daily job, with a date to pretend it is."""

from __future__ import annotations

from tests.notices.records import activity, keys, newcomer, plan


def test_send_with_today(app, db_session, runner):
    user, profile = newcomer()
    knm = activity(plan(profile))
    result = runner.invoke(args=["reminders", "send", "--today", "2026-12-09"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1 reminder(s) sent."
    assert keys(user) == [f"activity:{knm.id}:3"]
    (message,) = app.extensions["sent_mail"]
    assert message["To"] == user.email
    again = runner.invoke(args=["reminders", "send", "--today", "2026-12-09"])
    assert again.output.strip() == "0 reminder(s) sent."


def test_send_without_today_uses_the_apps_date(app, db_session, runner, monkeypatch):
    monkeypatch.setitem(app.config, "FIXED_TODAY", "2026-11-28")
    user, profile = newcomer()
    activity(plan(profile))
    result = runner.invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1 reminder(s) sent."
    assert [key.rsplit(":", 1)[1] for key in keys(user)] == ["14"]


def test_a_date_that_is_not_a_date_is_refused(db_session, runner):
    user, profile = newcomer()
    activity(plan(profile))
    result = runner.invoke(args=["reminders", "send", "--today", "12-09-2026"])
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output or "%Y-%m-%d" in result.output
    assert keys(user) == []
