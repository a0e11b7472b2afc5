"""Signing in: the right landing page, one answer for every failure, throttling (R12, R13)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine

from marketplace.accounts import passwords
from marketplace.accounts.models import LoginAttempt, Role
from marketplace.db import utcnow
from tests.factories import PASSWORD, make_user
from tests.security.test_cookies import parse_set_cookie

LANDING = {
    Role.NEWCOMER: "/me",
    Role.EMPLOYER: "/organisation",
    Role.CONSULTANT: "/caseload",
    Role.ADMIN: "/admin/",
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_its_own_dashboard(client, auth, role):
    user = make_user(role)
    response = auth.login(user.email)
    assert response.status_code == 302
    assert response.headers["Location"] == LANDING[role]
    assert client.get(LANDING[role]).status_code == 200


def test_email_is_matched_without_regard_to_case_and_spaces(auth):
    make_user(Role.NEWCOMER, email="amal@example.nl")
    assert auth.login("  Amal@Example.NL ").status_code == 302


def _normalised(response, email: str) -> tuple[int, str, list]:
    body = response.get_data(as_text=True)
    # the address typed is shown again, and each visitor has their own CSRF token;
    # everything else must be the same
    body = re.sub(r'name="csrf_token" value="[^"]*"', "CSRF", body)
    # cookies: the same names and attributes (values and expiry times differ per visitor)
    cookies = sorted(
        (name, sorted((k, "" if k == "expires" else v) for k, v in attributes.items()))
        for name, attributes in map(parse_set_cookie, response.headers.getlist("Set-Cookie"))
    )
    return response.status_code, body.replace(email, "EMAIL"), cookies


def test_unknown_wrong_and_deactivated_accounts_get_the_same_answer(app, client, monkeypatch):
    make_user(Role.NEWCOMER, email="known@example.nl")
    make_user(Role.NEWCOMER, email="gone@example.nl", active=False)
    calls = []
    real_verify = passwords.PasswordHasher.verify

    def counting_verify(self, *args, **kwargs):
        calls.append(1)
        return real_verify(self, *args, **kwargs)

    monkeypatch.setattr(passwords.PasswordHasher, "verify", counting_verify)
    answers = []
    for email, password in [
        ("nobody@example.nl", PASSWORD),
        ("known@example.nl", "not the right password at all"),
        ("gone@example.nl", PASSWORD),
    ]:
        calls.clear()
        response = app.test_client().post("/login", data={"email": email, "password": password})
        assert len(calls) == 1, "the password hash must be checked exactly once in every case"
        answers.append(_normalised(response, email))
    assert answers[0][0] == 200
    assert answers[0] == answers[1] == answers[2]


def test_sixth_failure_in_a_row_is_throttled_and_lifts_after_the_window(client, auth):
    user = make_user(Role.EMPLOYER)
    for _ in range(5):
        assert auth.login(user.email, "wrong password wrong password").status_code == 200
    throttled = auth.login(user.email)  # even the right password waits
    assert throttled.status_code == 429
    assert 0 < int(throttled.headers["Retry-After"]) <= 15 * 60 + 1
    with time_machine.travel(utcnow() + timedelta(minutes=16), tick=False):
        assert auth.login(user.email).status_code == 302


def test_throttle_is_not_global(app, auth):
    victim = make_user(Role.EMPLOYER)
    other = make_user(Role.EMPLOYER)
    for _ in range(5):
        auth.login(victim.email, "wrong password wrong password")
    assert auth.login(victim.email).status_code == 429
    other_client = app.test_client()
    response = other_client.post("/login", data={"email": other.email, "password": PASSWORD})
    assert response.status_code == 302


def test_many_accounts_from_one_address_are_throttled(app, client):
    for n in range(30):
        client.post("/login", data={"email": f"guess{n}@example.nl", "password": "x" * 20})
    user = make_user(Role.NEWCOMER)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 429


def test_a_spoofed_forwarded_for_header_does_not_reset_the_limit(client):
    user = make_user(Role.NEWCOMER)
    for n in range(5):
        client.post(
            "/login",
            data={"email": user.email, "password": "wrong password wrong password"},
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        )
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )
    assert response.status_code == 429


def test_success_resets_the_account_count(db_session, auth):
    user = make_user(Role.NEWCOMER)
    for _ in range(4):
        auth.login(user.email, "wrong password wrong password")
    assert auth.login(user.email).status_code == 302
    auth.logout()
    for _ in range(4):
        assert auth.login(user.email, "wrong password wrong password").status_code == 200
    assert auth.login(user.email).status_code == 302
    db_session.expire_all()
    assert user.failed_logins == 0


def test_account_locks_after_a_hundred_failures_in_a_row(db_session, auth):
    user = make_user(Role.NEWCOMER)
    user.failed_logins = 100
    db_session.flush()
    assert auth.login(user.email).status_code == 200  # the generic failure, not a way in


def test_failed_attempts_are_stored_in_the_database(db_session, auth):
    auth.login("someone@example.nl", "wrong password wrong password")
    db_session.expire_all()
    attempts = db_session.query(LoginAttempt).all()
    assert len(attempts) == 1 and attempts[0].succeeded is False
    assert "someone" not in attempts[0].account_key  # only a hash of the address is kept


def test_an_old_hash_is_upgraded_at_login(app, db_session, auth):
    user = make_user(Role.NEWCOMER)
    old = passwords.PasswordHasher(time_cost=1, memory_cost=16, parallelism=1)
    user.password_hash = old.hash(PASSWORD)
    db_session.flush()
    assert auth.login(user.email).status_code == 302
    db_session.expire_all()
    assert f"m={app.config['ARGON2_MEMORY_COST']}," in user.password_hash
    assert passwords.verify_password(user.password_hash, PASSWORD)


def test_signed_in_user_opening_login_goes_to_dashboard(client, auth):
    user = make_user(Role.CONSULTANT)
    auth.login(user.email)
    response = client.get("/login")
    assert response.status_code == 302 and response.headers["Location"] == "/caseload"
