"""Side effects wait for the commit: e-mail after commit, and search changes in the outbox."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.mail import queue_mail
from marketplace.search.models import OutboxEntry
from tests.factories import make_organisation, make_user
from tests.test_models import _place


def test_mail_is_sent_only_after_the_commit(app, db_session):
    from pathlib import Path

    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    files_before = set(folder.glob("*.eml"))
    user = make_user(Role.EMPLOYER, language="en")
    queue_mail(
        db_session,
        user.email,
        "en",
        "password_reset",
        user=user,
        link="https://example.nl/x",
        minutes=60,
    )
    assert app.extensions["sent_mail"] == []
    db_session.commit()
    [message] = app.extensions["sent_mail"]
    assert message["To"] == user.email
    assert "https://example.nl/x" in message.get_content()
    [written] = set(folder.glob("*.eml")) - files_before  # without SMTP: a file per message
    assert user.email in written.read_text()


def test_mail_is_dropped_on_rollback(app, db_session):
    user = make_user(Role.EMPLOYER)
    queue_mail(
        db_session,
        user.email,
        "nl",
        "password_reset",
        user=user,
        link="https://example.nl/x",
        minutes=60,
    )
    db_session.rollback()
    db_session.commit()
    assert app.extensions["sent_mail"] == []


def _outbox(db_session) -> list[tuple[str, int]]:
    return [
        (e.entity, e.entity_id)
        for e in db_session.scalars(sa.select(OutboxEntry).order_by(OutboxEntry.id))
    ]


def test_every_change_to_a_place_reaches_the_outbox(db_session):
    place = _place(make_organisation())
    db_session.add(place)
    db_session.flush()
    assert _outbox(db_session) == [("place", place.id)]
    place.title = "Fietsen repareren"
    db_session.flush()
    db_session.delete(place)
    db_session.flush()
    assert _outbox(db_session) == [("place", place.id)] * 3


def test_a_rolled_back_change_leaves_no_outbox_entry(db_session):
    db_session.commit()
    before = _outbox(db_session)
    db_session.add(_place(make_organisation()))
    db_session.flush()
    db_session.rollback()
    assert _outbox(db_session) == before


def test_other_records_do_not_touch_the_outbox(db_session):
    make_user(Role.ADMIN)
    assert _outbox(db_session) == []
