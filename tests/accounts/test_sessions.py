"""Sessions live on the server: logout, password change and deactivation end them (R18, R19)."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import Role
from marketplace.db import utcnow
from tests.conftest import AuthActions
from tests.factories import PASSWORD, make_user


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_a_cookie_copied_before_logout_no_longer_works(app, client, auth):
    user = make_user(Role.NEWCOMER)
    auth.login(user.email)
    stolen = _session_cookie(client)
    assert client.get("/me").status_code == 200
    auth.logout()
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    response = replay.get("/me")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_the_cookie_changes_at_login(client, auth):
    user = make_user(Role.NEWCOMER)
    client.get("/login")
    before = _session_cookie(client)
    auth.login(user.email)
    assert _session_cookie(client) != before


def test_changing_the_password_ends_other_sessions_but_keeps_this_one(app, client, auth):
    user = make_user(Role.EMPLOYER)
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": PASSWORD})
    assert other.get("/organisation").status_code == 200
    auth.login(user.email)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "een nieuwe zin om te onthouden"},
    )
    assert response.status_code == 302
    assert client.get("/organisation").status_code == 200
    assert other.get("/organisation").status_code == 302


def test_changing_the_password_needs_the_current_one(db_session, client, auth):
    user = make_user(Role.EMPLOYER)
    auth.login(user.email)
    old_hash = user.password_hash
    response = client.post(
        "/account/password",
        data={
            "current_password": "not my password at all",
            "new_password": "een nieuwe zin om te onthouden",
        },
    )
    assert response.status_code == 200
    with force_locale("nl"):
        assert str(_l("Your password is not right.")) in response.get_data(as_text=True)
    db_session.expire_all()
    assert user.password_hash == old_hash


def test_deactivation_applies_to_the_next_request(app, db_session, client, auth):
    user = make_user(Role.CONSULTANT)
    admin = make_user(Role.ADMIN)
    auth.login(user.email)
    assert client.get("/caseload").status_code == 200
    admin_client = app.test_client()
    AuthActions(admin_client).login(admin.email)
    assert admin_client.post(f"/admin/users/{user.id}/active").status_code == 302
    response = client.get("/caseload")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_idle_timeout_is_thirty_minutes(client, auth):
    user = make_user(Role.NEWCOMER)
    start = utcnow()
    with time_machine.travel(start, tick=False):
        auth.login(user.email)
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/me").status_code == 200
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        assert client.get("/me").status_code == 302


def test_absolute_timeout_is_twelve_hours_even_when_active(client, auth):
    user = make_user(Role.NEWCOMER)
    start = utcnow()
    with time_machine.travel(start, tick=False):
        auth.login(user.email)
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get("/me").status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=1), tick=False):
        assert client.get("/me").status_code == 302
