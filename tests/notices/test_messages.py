"""The words of each notice, as a newcomer reads them on the page and in the e-mail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale

from marketplace.notices.messages import render
from marketplace.notices.models import Notice, NoticeKind
from tests.notices.records import DAY


@pytest.fixture
def english(app):
    with force_locale("en"):
        yield


def text(kind: NoticeKind, params: dict, due_on=DAY, days_before: int = 3) -> tuple[str, str]:
    notice = Notice(kind=kind, params=params, due_on=due_on)
    return render(notice, DAY - timedelta(days=days_before))


def test_an_activity_deadline_says_what_by_when_and_what_to_do(english):
    title, body = text(
        NoticeKind.DEADLINE, {"activity_kind": "knm", "description": "KNM at the Taalschool"}
    )
    assert title == "Reminder: a deadline on December 12, 2026"
    assert body.splitlines() == [
        "Your KNM course must be finished by December 12, 2026.",
        "In your plan: KNM at the Taalschool",
        "That is in 3 days.",
        "Can you not make it? Tell your consultant before that day. "
        "Together you look for a solution.",
    ]


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("map", "Your MAP (the module about work and taking part) must be finished by"),
        ("pvt", "Your PVT (the participation statement) must be finished by"),
        ("language", "Your language course must be finished by"),
        ("other", "This part of your plan must be finished by"),
    ],
)
def test_each_kind_of_activity_is_named(english, kind, words):
    _title, body = text(NoticeKind.DEADLINE, {"activity_kind": kind, "description": ""})
    assert body.startswith(f"{words} December 12, 2026.")
    assert "In your plan" not in body  # no empty line for a missing description


def test_the_end_of_the_term_says_kindly_what_happens_then(english):
    title, body = text(NoticeKind.DEADLINE, {"term": True}, days_before=14)
    assert title == "Reminder: the end of your integration term"
    assert body.splitlines() == [
        "Your integration term ends on December 12, 2026.",
        "That is in 14 days.",
        "On that day the municipality checks if you did what you agreed in your plan.",
        "Is something hard for you? Your consultant can help you. Talk to them soon.",
    ]


def test_an_appointment_says_what_when_where_and_with_whom(english):
    params = {"what": "Talk about your plan", "time": "14:30", "location": "Stadskantoor"}
    title, body = text(NoticeKind.APPOINTMENT, {**params, "with_whom": "Mrs Jansen"}, days_before=1)
    assert title == "Reminder: an appointment on December 12, 2026"
    lines = body.splitlines()
    assert lines[0] == "You have an appointment: Talk about your plan"
    assert lines[1].startswith("When: December 12, 2026 at 2:30") and lines[1].endswith("PM")
    assert lines[2:] == [
        "Where: Stadskantoor",
        "With: Mrs Jansen",
        "That is tomorrow.",
        "Can you not come? Tell your consultant before that day.",
    ]


def test_an_appointment_without_time_place_or_person_leaves_those_lines_out(english):
    _title, body = text(NoticeKind.APPOINTMENT, {"what": "KNM exam"}, days_before=0)
    assert body.splitlines() == [
        "You have an appointment: KNM exam",
        "When: December 12, 2026",
        "That is today.",
        "Can you not come? Tell your consultant before that day.",
    ]


def test_a_reminder_read_after_the_day_does_not_ask_to_tell_before_it(english):
    _title, body = text(NoticeKind.DEADLINE, {"activity_kind": "knm"}, days_before=-2)
    assert "That day has passed." in body
    assert "before that day" not in body


def test_a_plan_to_agree(english):
    title, body = text(NoticeKind.PLAN_TO_AGREE, {}, due_on=None)
    assert title == "Your new plan is waiting for you"
    assert body.splitlines() == [
        "Your consultant wrote a new version of your plan.",
        "Read it and say if you agree. Do you have a question? Ask your consultant.",
    ]


def test_a_proposal_names_the_place(english):
    title, body = text(NoticeKind.PROPOSAL, {"place_title": "Cook in the neighbourhood kitchen"})
    assert title == "Your consultant proposes a place"
    assert body.splitlines() == [
        "Your consultant thinks this place suits you: Cook in the neighbourhood kitchen.",
        "Look at the place and say yes or no. You decide.",
        "Please answer before December 12, 2026.",
    ]


def test_dates_and_times_are_written_the_readers_way(app):
    params = {"what": "Gesprek", "time": "09:05"}
    with force_locale("nl"):
        title, body = text(NoticeKind.APPOINTMENT, params)
    assert "12 december 2026" in title
    assert "12 december 2026" in body and "09:05" in body
