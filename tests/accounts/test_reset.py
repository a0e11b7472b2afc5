"""Password reset by e-mail: one answer for all addresses, single-use links (R13, R15)."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine

from marketplace.accounts.models import AccountToken, Role
from marketplace.db import utcnow
from tests.conftest import AuthActions
from tests.factories import PASSWORD, make_user


def _link(message) -> str:
    return re.search(r"https?://\S+/password/reset/\S+", message.get_content()).group(0)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def _without_token(response) -> str:
    """The page without its CSRF token, which carries the second it was made."""
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]*', r"\1", response.get_data(as_text=True))


def test_the_answer_is_the_same_for_known_and_unknown_addresses(app, client):
    make_user(Role.EMPLOYER, email="known@example.nl")
    known = client.post("/password/forgot", data={"email": "known@example.nl"})
    unknown = client.post("/password/forgot", data={"email": "unknown@example.nl"})
    assert known.status_code == unknown.status_code == 200
    assert _without_token(known) == _without_token(unknown)
    sent = app.extensions["sent_mail"]
    assert [m["To"] for m in sent] == ["known@example.nl"]


def test_the_link_sets_a_new_password_once(app, db_session, client, auth):
    user = make_user(Role.EMPLOYER)
    client.post("/password/forgot", data={"email": user.email})
    path = _path(_link(app.extensions["sent_mail"][-1]))
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": "de zon schijnt op het dak"})
    assert response.status_code == 302
    assert auth.login(user.email, "de zon schijnt op het dak").status_code == 302
    auth.logout()
    assert auth.login(user.email, PASSWORD).status_code == 200
    again = client.post(path, data={"password": "nog een ander wachtwoord hier"})
    assert again.status_code == 404


def test_the_link_expires_after_sixty_minutes(app, client):
    user = make_user(Role.NEWCOMER)
    start = utcnow()
    with time_machine.travel(start, tick=False):
        client.post("/password/forgot", data={"email": user.email})
    path = _path(_link(app.extensions["sent_mail"][-1]))
    with time_machine.travel(start + timedelta(minutes=59), tick=False):
        assert client.get(path).status_code == 200
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        assert client.get(path).status_code == 404


def test_only_a_hash_of_the_token_is_stored(app, db_session, client):
    user = make_user(Role.NEWCOMER)
    client.post("/password/forgot", data={"email": user.email})
    token = _link(app.extensions["sent_mail"][-1]).rsplit("/", 1)[1]
    assert len(token) >= 43  # 256 bits, URL-safe base64
    db_session.expire_all()
    stored = db_session.query(AccountToken).filter_by(user_id=user.id).one()
    assert token not in stored.token_hash
    assert stored.expires_at - stored.created_at == timedelta(minutes=60)


def test_a_new_link_replaces_the_old_one(app, client):
    user = make_user(Role.NEWCOMER)
    client.post("/password/forgot", data={"email": user.email})
    first = _path(_link(app.extensions["sent_mail"][-1]))
    client.post("/password/forgot", data={"email": user.email})
    assert client.get(first).status_code == 404


def test_a_reset_ends_every_session(app, client, auth):
    user = make_user(Role.EMPLOYER)
    signed_in = app.test_client()
    AuthActions(signed_in).login(user.email, PASSWORD)
    client.post("/password/forgot", data={"email": user.email})
    client.post(
        _path(_link(app.extensions["sent_mail"][-1])),
        data={"password": "de zon schijnt op het dak"},
    )
    assert signed_in.get("/organisation").status_code == 302


def test_a_weak_new_password_is_refused_and_the_link_still_works(app, client):
    user = make_user(Role.EMPLOYER)
    client.post("/password/forgot", data={"email": user.email})
    path = _path(_link(app.extensions["sent_mail"][-1]))
    response = client.post(path, data={"password": "kort"})
    assert response.status_code == 200
    assert client.get(path).status_code == 200


def test_the_mail_is_in_the_users_language(app, client):
    make_user(Role.EMPLOYER, email="en@example.nl", language="en")
    make_user(Role.EMPLOYER, email="nl@example.nl", language="nl")
    client.post("/password/forgot", data={"email": "en@example.nl"})
    client.post("/password/forgot", data={"email": "nl@example.nl"})
    english, dutch = app.extensions["sent_mail"][-2:]
    assert english["Subject"] == "Choose a new password"
    assert dutch["Subject"] != english["Subject"]
    assert english["Content-Language"] == "en" and dutch["Content-Language"] == "nl"
