"""A notice is made once per key and mailed in the reader's own language."""

from __future__ import annotations

from datetime import timedelta

from marketplace.notices import services
from marketplace.notices.models import NoticeKind
from marketplace.notices.services import notify, send_reminders
from tests.notices.records import DAY, activity, newcomer, notices, plan

PROPOSAL = {"place_title": "Cook in the neighbourhood kitchen"}


def test_a_notice_is_made_once_per_key_and_mailed_once(app, db_session):
    user, _profile = newcomer()
    first = notify(db_session, user, NoticeKind.PROPOSAL, "proposal:7", PROPOSAL)
    again = notify(db_session, user, NoticeKind.PROPOSAL, "proposal:7", PROPOSAL)
    db_session.commit()
    assert first is not None and again is None
    (notice,) = notices(user)
    assert notice.kind is NoticeKind.PROPOSAL and notice.emailed_at is not None
    (message,) = app.extensions["sent_mail"]
    assert message["To"] == user.email
    assert message["Subject"] == "Your consultant proposes a place"
    body = message.get_content()
    assert "Your consultant thinks this place suits you: Cook in the neighbourhood kitchen." in body
    assert f"Hello {user.name}," in body
    assert "http://127.0.0.1:5000/me/notices" in body


def test_the_same_notice_at_the_same_moment_is_made_once(app, db_session, monkeypatch):
    """Two runs at once both see no notice yet; the database lets one of them through."""
    user, _profile = newcomer()
    notify(db_session, user, NoticeKind.PROPOSAL, "proposal:7", PROPOSAL)
    monkeypatch.setattr(services, "_exists", lambda *_args: False)
    assert notify(db_session, user, NoticeKind.PROPOSAL, "proposal:7", PROPOSAL) is None
    db_session.commit()  # the session is still usable after the refused insert
    assert len(notices(user)) == 1
    assert len(app.extensions["sent_mail"]) == 1


def test_an_inactive_user_keeps_the_notice_but_gets_no_mail(app, db_session):
    user, _profile = newcomer(active=False)
    notice = notify(db_session, user, NoticeKind.PLAN_TO_AGREE, "plan:3", {})
    db_session.commit()
    assert notice is not None and notice.emailed_at is None
    assert app.extensions["sent_mail"] == []


def test_the_mail_is_in_the_users_language_with_the_date_written_their_way(app, db_session):
    dutch, dutch_profile = newcomer(language="nl")
    english, english_profile = newcomer(language="en")
    activity(plan(dutch_profile))
    activity(plan(english_profile))
    send_reminders(db_session, DAY - timedelta(days=3))
    db_session.commit()
    mail = {message["To"]: message for message in app.extensions["sent_mail"]}
    assert mail[dutch.email]["Content-Language"] == "nl"
    assert "12 december 2026" in mail[dutch.email]["Subject"]
    assert "12 december 2026" in mail[dutch.email].get_content()
    assert mail[english.email]["Content-Language"] == "en"
    assert mail[english.email]["Subject"] == "Reminder: a deadline on December 12, 2026"
    body = mail[english.email].get_content()
    assert "Your KNM course must be finished by December 12, 2026." in body
    assert "That is in 3 days." in body


def test_nothing_is_mailed_when_the_transaction_is_rolled_back(app, db_session):
    user, profile = newcomer()
    activity(plan(profile))
    send_reminders(db_session, DAY - timedelta(days=3))
    db_session.rollback()
    db_session.commit()
    assert app.extensions["sent_mail"] == []
