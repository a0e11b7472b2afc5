"""Notices for consultants: check-ins and follow-ups due, the Monday overview, the CLI, the page."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from marketplace.newcomers.models import NewcomerLimit, PracticalLimit
from marketplace.newcomers.services import create_newcomer
from marketplace.notices.consultants import forget_newcomer, send_consultant_reminders
from marketplace.notices.messages import render
from marketplace.notices.models import Notice, NoticeKind
from marketplace.placements.models import PlacementStatus as S
from marketplace.vocab import DutchLevel
from tests.caseload.records import (
    MONDAY,
    TODAY,
    WEEKS,
    activity,
    check_in,
    consultant,
    days,
    follow_up,
    needs,
    newcomer_of,
    placement,
    plan,
)


def notices_of(dbs, user) -> list[Notice]:
    dbs.expire_all()
    return list(dbs.scalars(sa.select(Notice).where(Notice.user_id == user.id).order_by(Notice.id)))


def on_the_page(notice: Notice) -> tuple[str, str]:
    """The notice as the signed-in consultant reads it (with the name), in English."""
    with force_locale("en"):
        return render(notice, TODAY, named=True)


def send(dbs, today=TODAY) -> int:
    """One run of the consultants' part of the daily job, committed (mail goes after it)."""
    sent = send_consultant_reminders(dbs, today, WEEKS)
    dbs.commit()
    return sent


@pytest.fixture
def guided(db_session):
    """A consultant and a newcomer with an active placement whose next check-in is on TODAY."""
    me = consultant()
    profile = newcomer_of(me, "Samira Haddad")
    active = placement(profile, S.ACTIVE, started_on=days(-60), title="Fietsenmaker")
    talk = check_in(active, days(-20), next_on=TODAY)
    return me, profile, talk


# --- check-ins ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_before", "expected"), [(4, None), (3, 3), (2, None), (1, None), (0, 0), (-1, None)]
)
def test_a_check_in_is_announced_3_days_before_and_on_the_day(
    db_session, guided, days_before, expected
):
    me, _profile, talk = guided
    seen: set[str] = set()
    for before in (4, 3, 2, 1, 0, -1):  # a daily run
        send(db_session, days(-before))
        new = {n.key for n in notices_of(db_session, me)} - seen
        if before == days_before:
            wanted = (
                {f"check_in:{talk.id}:{TODAY.isoformat()}:{expected}"}
                if expected is not None
                else set()
            )
            assert new == wanted
        seen |= new


def test_twice_on_the_same_day_sends_once(app, db_session, guided):
    me, _profile, _talk = guided
    assert send(db_session) == 1
    assert send(db_session) == 0
    assert len(notices_of(db_session, me)) == 1
    assert len(app.extensions["sent_mail"]) == 1


def test_the_notice_keeps_the_name_and_what_is_due_and_the_mail_leaves_the_name_out(
    app, db_session, guided
):
    me, profile, _talk = guided
    profile.limits.append(NewcomerLimit(kind=PracticalLimit.LIGHT_WORK_ONLY))
    profile.postcode = "9999 ZZ"
    db_session.flush()
    send(db_session)
    (notice,) = notices_of(db_session, me)
    assert notice.kind is NoticeKind.CHECK_IN_DUE and notice.due_on == TODAY
    assert notice.params == {"newcomer": "Samira Haddad", "place": "Fietsenmaker"}
    (mail,) = app.extensions["sent_mail"]
    assert mail["To"] == me.email
    assert mail["Subject"] == "A check-in is due"
    body = mail.get_body().get_content()
    assert "Check-in: Fietsenmaker" in body and "That is today." in body
    assert "this e-mail does not say who it is about" in body
    assert "http://" in body or "https://" in body  # the link to the messages on the site
    assert "Samira" not in body and "Haddad" not in body
    assert "light" not in body.lower() and "9999" not in body and profile.user.email not in body
    title, text = on_the_page(notice)
    assert title == "Check-in due: Samira Haddad"
    assert "A check-in with Samira Haddad about Fietsenmaker is due on" in text
    assert "Samira" not in "".join(render(notice, TODAY))  # the e-mail's form is the default


def test_only_the_newcomers_own_active_consultant_hears_of_it(db_session, guided):
    me, profile, _talk = guided
    other = consultant()
    me.active = False
    db_session.flush()
    assert send(db_session) == 0
    assert notices_of(db_session, me) == [] and notices_of(db_session, other) == []
    me.active = True
    profile.consultant_id = None
    db_session.flush()
    assert send(db_session) == 0


def test_the_first_check_in_is_announced_28_days_after_the_start_as_the_caseload_says(
    db_session,
):
    me = consultant()
    profile = newcomer_of(me, "Samira Haddad")
    plan(profile)
    started = placement(profile, S.ACTIVE, started_on=days(-28), title="Fietsenmaker")
    assert send(db_session, days(-4)) == 0
    assert send(db_session, days(-3)) == 1
    assert send(db_session) == 1
    keys = [n.key for n in notices_of(db_session, me)]
    assert keys == [
        f"first_check_in:{started.id}:{TODAY}:3",
        f"first_check_in:{started.id}:{TODAY}:0",
    ]
    assert {n.due_on for n in notices_of(db_session, me)} == {TODAY}
    # the caseload names the same day: late from the next day on (due today is not late yet)
    assert "check_in" not in {need for need, *_ in needs(profile)}
    assert ("check_in", "OVERDUE", TODAY) in needs(profile, today=days(1))


def test_a_check_in_without_a_next_date_is_announced_28_days_later(db_session):
    me = consultant()
    talk = check_in(placement(newcomer_of(me), S.ACTIVE, started_on=days(-90)), days(-28), None)
    assert send(db_session) == 1
    assert [n.key for n in notices_of(db_session, me)] == [f"check_in:{talk.id}:{TODAY}:0"]


def test_a_newer_check_in_moves_the_date(db_session, guided):
    me, _profile, talk = guided
    newer = check_in(talk.placement, days(-1), next_on=days(20))
    assert send(db_session) == 0
    send(db_session, days(17))
    assert [n.key for n in notices_of(db_session, me)] == [f"check_in:{newer.id}:{days(20)}:3"]


def test_no_check_in_notice_for_a_finished_placement(db_session, guided):
    _me, _profile, talk = guided
    talk.placement.status = S.COMPLETED
    db_session.flush()
    assert send(db_session) == 0


@pytest.mark.parametrize("how", ["erased", "deactivated"])
def test_no_notices_about_a_newcomer_whose_account_is_closed(db_session, guided, how):
    from marketplace.privacy import erasure

    me, profile, _talk = guided
    follow_up(profile, TODAY)
    if how == "erased":
        request = erasure.request_erasure(db_session, profile.user, None)
        erasure.carry_out_erasure(db_session, me, request)
    else:
        profile.user.active = False
    db_session.flush()
    assert send(db_session) == 0
    assert send(db_session, MONDAY + timedelta(days=7)) == 0  # nor in the overview
    assert notices_of(db_session, me) == []


def test_an_invited_newcomer_without_a_password_yet_still_counts(db_session):
    me = consultant()
    profile, _link = create_newcomer(
        db_session,
        me,
        name="Yonas Tesfay",
        email="yonas@example.nl",
        language="en",
        postcode="3511 AB",
        dutch_level=DutchLevel.A2,
        learning_route=None,
    )
    assert profile.user.password_hash is None
    follow_up(profile, TODAY)
    assert send(db_session) == 1
    follow_up(profile, days(-20))
    send(db_session, MONDAY + timedelta(days=7))  # the next Monday: both follow-ups are late
    (overview,) = [n for n in notices_of(db_session, me) if n.kind is NoticeKind.OVERDUE_OVERVIEW]
    assert overview.params["follow_ups"] == 2


# --- follow-ups ------------------------------------------------------------------------------


def test_a_follow_up_is_announced_when_it_becomes_due_once(app, db_session):
    me = consultant()
    profile = newcomer_of(me, "Yonas Tesfay")
    due = follow_up(profile, TODAY, months=6)
    assert send(db_session, days(-1)) == 0
    assert send(db_session) == 1
    assert send(db_session, days(1)) == 0  # the same follow-up, the next day: once
    (notice,) = notices_of(db_session, me)
    assert (notice.kind, notice.key) == (NoticeKind.FOLLOW_UP_DUE, f"follow_up:{due.id}:{TODAY}")
    (mail,) = app.extensions["sent_mail"]
    body = mail.get_body().get_content()
    assert mail["Subject"] == "A follow-up is due" and "Yonas" not in body
    assert "Follow-up after 6 months: Kok in de buurtkeuken" in body
    title, _text = on_the_page(notice)
    assert title == "Follow-up due: Yonas Tesfay"


def test_a_follow_up_missed_by_a_few_days_still_comes_but_not_an_old_or_recorded_one(db_session):
    me = consultant()
    profile = newcomer_of(me)
    late = follow_up(profile, days(-7))
    follow_up(profile, days(-8))  # too old for a notice; the caseload and overview show it
    follow_up(profile, days(-1), recorded=True)
    assert send(db_session) == 1
    assert [n.key for n in notices_of(db_session, me)] == [f"follow_up:{late.id}:{days(-7)}"]


# --- the Monday overview ----------------------------------------------------------------------


@pytest.fixture
def overdue(db_session):
    """A consultant with two overdue check-ins, one overdue follow-up and one passed deadline."""
    me = consultant()
    first = newcomer_of(me)
    check_in(placement(first, S.ACTIVE, started_on=days(-90)), days(-40), next_on=days(-10))
    activity(plan(first), days(-3))
    second = newcomer_of(me)
    placement(second, S.ACTIVE, started_on=days(-60))  # no check-in at all after 28 days
    follow_up(second, days(-20))
    return me


def test_on_monday_the_consultant_hears_how_much_is_overdue(app, db_session, overdue):
    send(db_session, MONDAY)
    overviews = [
        n for n in notices_of(db_session, overdue) if n.kind is NoticeKind.OVERDUE_OVERVIEW
    ]
    (notice,) = overviews
    assert notice.key == f"overview:{MONDAY.isoformat()}"
    assert notice.params == {"check_ins": 2, "follow_ups": 1, "deadlines": 1}
    mail = next(m for m in app.extensions["sent_mail"] if m["Subject"].startswith("Your week"))
    body = mail.get_body().get_content()
    assert "2 check-ins" in body and "1 follow-up" in body and "1 deadline in a plan" in body


def test_the_overview_comes_only_on_monday_and_once(db_session, overdue):
    kinds = lambda: [n.kind for n in notices_of(db_session, overdue)]  # noqa: E731
    for day in range(1, 7):  # Tuesday to Sunday
        send(db_session, MONDAY + timedelta(days=day))
    assert NoticeKind.OVERDUE_OVERVIEW not in kinds()
    send(db_session, MONDAY)
    send(db_session, MONDAY)
    assert kinds().count(NoticeKind.OVERDUE_OVERVIEW) == 1


def test_no_overview_when_nothing_is_overdue(db_session):
    me = consultant()
    profile = newcomer_of(me)
    activity(plan(profile), days(10))  # soon, not overdue
    placement(profile, S.INTERESTED)  # waiting, not overdue
    send(db_session, MONDAY)
    assert notices_of(db_session, me) == []


def test_each_consultant_counts_only_their_own_caseload(db_session, overdue):
    other = consultant()
    activity(plan(newcomer_of(other)), days(-5))
    send(db_session, MONDAY)
    (theirs,) = notices_of(db_session, other)
    assert theirs.params == {"check_ins": 0, "follow_ups": 0, "deadlines": 1}


def test_the_overview_reads_a_big_caseload_in_batches(db_session, overdue, monkeypatch):
    from marketplace.notices import consultants

    monkeypatch.setattr(consultants, "OVERVIEW_BATCH", 1)
    send(db_session, MONDAY)
    (notice,) = [
        n for n in notices_of(db_session, overdue) if n.kind is NoticeKind.OVERDUE_OVERVIEW
    ]
    assert notice.params == {"check_ins": 2, "follow_ups": 1, "deadlines": 1}


def test_erasing_a_newcomer_takes_their_name_out_of_the_consultants_notices(db_session, guided):
    from marketplace.privacy import erasure

    me, profile, _talk = guided
    follow_up(profile, TODAY)
    other = newcomer_of(me, "Yonas Tesfay")
    follow_up(other, TODAY)
    send(db_session)
    assert len(notices_of(db_session, me)) == 3
    request = erasure.request_erasure(db_session, profile.user, None)
    erasure.carry_out_erasure(db_session, me, request)
    left = notices_of(db_session, me)
    assert [n.params["newcomer"] for n in left] == ["Yonas Tesfay"]
    assert forget_newcomer(db_session, newcomer_of(me)) == 0


# --- the daily command and the messages page -----------------------------------------------------


def test_the_daily_command_sends_the_consultants_notices_too(db_session, runner, guided):
    me, _profile, talk = guided
    result = runner.invoke(args=["reminders", "send", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1 reminder(s) sent."
    assert [n.key for n in notices_of(db_session, me)] == [f"check_in:{talk.id}:{TODAY}:0"]
    again = runner.invoke(args=["reminders", "send", "--today", TODAY.isoformat()])
    assert again.output.strip() == "0 reminder(s) sent."


def test_a_consultant_reads_their_messages_and_marks_them_read(db_session, client, auth, guided):
    me, _profile, _talk = guided
    send(db_session)
    db_session.flush()
    auth.login(me.email)
    start = client.get("/caseload").get_data(as_text=True)
    assert "Messages (1 new)" in start
    page = client.get("/me/notices").get_data(as_text=True)
    assert "Fietsenmaker" in page
    assert "check-ins and follow-ups that are due" in page
    assert 'href="/caseload"' in page  # back to their own start page
    response = client.post("/me/notices/read")
    assert response.status_code == 302
    assert "Messages (1 new)" not in client.get("/caseload").get_data(as_text=True)
    assert all(n.read_at is not None for n in notices_of(db_session, me))
