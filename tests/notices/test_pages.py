"""The newcomer's messages page, marking messages read, and the count in the header."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace import db
from marketplace.accounts.models import Role
from marketplace.notices.models import NoticeKind
from marketplace.notices.services import ALL, mark_read, notify, send_reminders
from tests.factories import make_user
from tests.notices.records import DAY, activity, newcomer, notices, plan


def propose(user, title: str, key: str):
    return notify(db.session, user, NoticeKind.PROPOSAL, key, {"place_title": title})


@pytest.fixture
def signed_in(auth):
    user, profile = newcomer()
    auth.login(user.email)
    return user, profile


def page(client, path: str = "/me/notices") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_page_shows_only_ones_own_messages_newest_first(db_session, client, signed_in):
    user, _profile = signed_in
    other, _ = newcomer()
    propose(user, "Cook in the kitchen", "proposal:1")
    propose(user, "Gardener in the park", "proposal:2")
    propose(other, "Baker for someone else", "proposal:3")
    html = page(client)
    assert "Cook in the kitchen" in html and "Gardener in the park" in html
    assert "Baker for someone else" not in html
    assert html.index("Gardener in the park") < html.index("Cook in the kitchen")


def test_a_reminder_on_the_page_counts_the_days_from_today(
    app, db_session, client, signed_in, monkeypatch
):
    _user, profile = signed_in
    activity(plan(profile))
    send_reminders(db_session, DAY - timedelta(days=3))
    monkeypatch.setitem(app.config, "FIXED_TODAY", DAY - timedelta(days=1))
    html = page(client)
    assert "Your KNM course must be finished by December 12, 2026." in html
    assert "That is tomorrow." in html


def test_new_messages_are_marked_in_words_and_reading_the_page_changes_nothing(
    db_session, client, signed_in
):
    user, _profile = signed_in
    propose(user, "Cook in the kitchen", "proposal:1")
    html = page(client)
    assert 'class="notice__badge">New</span>' in html
    assert "You have 1 new message." in html
    assert "Mark all as read" in html
    assert [notice.read_at for notice in notices(user)] == [None]


def test_marking_all_read(db_session, client, signed_in):
    user, _profile = signed_in
    other, _ = newcomer()
    propose(user, "Cook in the kitchen", "proposal:1")
    propose(user, "Gardener in the park", "proposal:2")
    propose(other, "Baker for someone else", "proposal:3")
    response = client.post("/me/notices/read")
    assert response.status_code == 302 and response.headers["Location"] == "/me/notices"
    assert all(notice.read_at is not None for notice in notices(user))
    assert [notice.read_at for notice in notices(other)] == [None]
    html = page(client)
    assert "All your messages are marked as read." in html
    assert "notice__badge" not in html and "Mark all as read" not in html
    assert "Cook in the kitchen" in html  # read messages stay on the page


def test_marking_read_never_touches_someone_elses_messages(db_session):
    user, _ = newcomer()
    other, _ = newcomer()
    theirs = propose(other, "Baker", "proposal:3")
    assert mark_read(db_session, user, [theirs.id]) == 0
    assert mark_read(db_session, user, ALL) == 0
    assert [notice.read_at for notice in notices(other)] == [None]
    assert mark_read(db_session, other, [theirs.id]) == 1


def test_reading_the_page_is_a_get_and_marking_is_a_post(db_session, client, signed_in):
    assert client.get("/me/notices/read").status_code == 405


def test_the_header_counts_new_messages(db_session, client, signed_in):
    user, _profile = signed_in
    assert ">Messages</a>" in page(client, "/me")
    propose(user, "Cook in the kitchen", "proposal:1")
    propose(user, "Gardener in the park", "proposal:2")
    assert "Messages (2 new)" in page(client, "/me")
    client.post("/me/notices/read")
    html = page(client, "/me")
    assert ">Messages</a>" in html and "new)" not in html


def test_the_header_has_no_messages_for_other_roles(db_session, client, auth):
    auth.login(make_user(Role.EMPLOYER).email)
    assert "/me/notices" not in page(client, "/organisation")


def test_an_empty_page_says_so(db_session, client, signed_in):
    assert "You have no messages yet." in page(client)
