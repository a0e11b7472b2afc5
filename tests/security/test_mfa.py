"""The second login step for consultants and administrators (security.md R14, R15, R19)."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pyotp
import pytest
import sqlalchemy as sa
import time_machine
from flask_babel import force_locale

from marketplace.accounts import mfa
from marketplace.accounts.models import RecoveryCode, Role, User, UserSession
from marketplace.audit.models import AuditEvent
from marketplace.db import utcnow
from tests.factories import PASSWORD, make_user, totp_code
from tests.security.authz_matrix import MATRIX
from tests.security.test_csrf import snapshot
from tests.security.test_routes import cell_url

CODE_SHAPE = re.compile(r"\b[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}\b")


def _password_step(client, user: User, next_url: str | None = None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": user.email, "password": PASSWORD})


def _actions(db_session, user: User) -> list[str]:
    return list(
        db_session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.subject_user_id == user.id)
            .order_by(AuditEvent.id)
        )
    )


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.ADMIN])
def test_the_password_alone_leads_to_the_second_step_and_nowhere_else(
    app, db_session, client, role
):
    """Every page and every action of the role, with real ids (their own newcomers, plans,
    placements), redirects to /mfa (the API: 401) and a POST changes nothing."""
    user = make_user(role)
    response = _password_step(client, user, next_url="/caseload?status=active")
    assert response.status_code == 302
    assert response.location == "/mfa?next=/caseload?status%3Dactive"

    cells = sorted(
        key
        for key, access in MATRIX.items()
        if not access.public and access.allows(role) and key[0] != "static"
    )
    checked = {"GET": 0, "POST": 0}
    for endpoint, method in cells:
        if getattr(app.view_functions[endpoint], "_open_before_second_step", False):
            continue
        url = cell_url(app, db_session, endpoint, method, MATRIX[endpoint, method], user)
        before = snapshot(db_session)
        response = client.open(url, method=method, data={})
        if url.startswith("/api/"):
            assert response.status_code == 401, url
        else:
            assert response.status_code == 302, f"{method} {url}: {response.status_code}"
            assert urlsplit(response.location).path == "/mfa", url
        assert snapshot(db_session) == before, f"{method} {url} changed the database"
        checked[method] += 1
    assert checked["GET"] > 10 and checked["POST"] > 5, checked


def test_newcomers_and_employers_have_no_second_step(client):
    for role, start in ((Role.NEWCOMER, "/me"), (Role.EMPLOYER, "/organisation")):
        user = make_user(role)
        response = _password_step(client, user)
        assert response.status_code == 302
        assert response.location.startswith(start), response.location
        client.post("/logout")


def test_the_right_code_opens_the_page_asked_for_with_a_new_session(db_session, client):
    consultant = make_user(Role.CONSULTANT)
    _password_step(client, consultant, next_url="/caseload")
    before = client.get_cookie("session").value
    response = client.post("/mfa?next=/caseload", data={"code": totp_code(consultant)})
    assert response.status_code == 302
    assert response.location == "/caseload"
    assert client.get_cookie("session").value != before
    assert client.get("/caseload").status_code == 200
    live = db_session.scalars(
        sa.select(UserSession).where(
            UserSession.user_id == consultant.id, UserSession.revoked_at.is_(None)
        )
    ).all()
    assert [row.mfa_at is not None for row in live] == [True]  # the password-only one ended
    assert _actions(db_session, consultant)[-2:] == ["authn_login_success", "authn_mfa_success"]


def test_a_code_works_only_once(db_session, client, app):
    consultant = make_user(Role.CONSULTANT, language="en")
    with time_machine.travel(utcnow(), tick=False):
        code = pyotp.TOTP(consultant.totp_secret).now()
        _password_step(client, consultant)
        assert client.post("/mfa", data={"code": code}).status_code == 302
        client.post("/logout")

        other = app.test_client()
        _password_step(other, consultant)
        response = other.post("/mfa", data={"code": code})
    assert response.status_code == 400
    with force_locale("en"):
        assert str(mfa.WRONG_CODE) in response.get_data(as_text=True)
    assert other.get("/caseload").status_code == 302
    assert _actions(db_session, consultant)[-1] == "authn_mfa_fail"


def test_an_earlier_code_is_refused_after_a_later_one_was_used(db_session, client):
    consultant = make_user(Role.CONSULTANT, language="en")
    totp = pyotp.TOTP(consultant.totp_secret)
    now = utcnow()
    with time_machine.travel(now, tick=False):
        previous_step_code = totp.at(now - timedelta(seconds=30))
        current_code = totp.now()
        _password_step(client, consultant)
        assert client.post("/mfa", data={"code": current_code}).status_code == 302
        client.post("/logout")
        _password_step(client, consultant)
        response = client.post("/mfa", data={"code": previous_step_code})
    assert response.status_code == 400
    assert "was used already" in response.get_data(as_text=True)


def test_the_sixth_wrong_code_gets_429_and_the_window_passes(db_session, client):
    consultant = make_user(Role.CONSULTANT, language="en")
    start = utcnow()
    with time_machine.travel(start, tick=False):
        _password_step(client, consultant)
        wrong = _wrong(pyotp.TOTP(consultant.totp_secret).now())
        for _ in range(5):
            assert client.post("/mfa", data={"code": wrong}).status_code == 400
        right = totp_code(consultant)
        response = client.post("/mfa", data={"code": right})
        assert response.status_code == 429
        assert int(response.headers["Retry-After"]) > 0
        assert client.post("/mfa/recovery", data={"code": "abcd-efgh-jkmn"}).status_code == 429
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        _password_step(client, consultant)
        response = client.post("/mfa", data={"code": totp_code(consultant)})
    assert response.status_code == 302
    assert "authn_mfa_throttled" in _actions(db_session, consultant)


def test_setting_up_the_app_shows_the_key_then_recovery_codes_once(db_session, client, app):
    consultant = make_user(Role.CONSULTANT, language="en", mfa=False)
    elsewhere = app.test_client()
    _password_step(elsewhere, consultant)  # a second browser, which must set up again later

    response = _password_step(client, consultant, next_url="/caseload")
    assert response.location == "/mfa/setup?next=/caseload"
    assert client.get("/caseload").location.startswith("/mfa/setup")
    page = client.get("/mfa/setup").get_data(as_text=True)
    db_session.refresh(consultant)
    secret = consultant.totp_secret
    assert mfa.readable_secret(secret) in page
    assert client.get("/mfa/setup").get_data(as_text=True).count(mfa.readable_secret(secret)) == 1
    qr = client.get("/mfa/setup/qr.svg")
    assert qr.status_code == 200
    assert qr.mimetype == "image/svg+xml"
    assert "<svg" in qr.get_data(as_text=True)

    wrong = client.post("/mfa/setup", data={"code": "12345"})
    assert wrong.status_code == 400
    db_session.refresh(consultant)
    assert consultant.mfa_enabled_at is None

    response = client.post("/mfa/setup?next=/caseload", data={"code": totp_code(consultant)})
    assert response.status_code == 200
    codes = CODE_SHAPE.findall(response.get_data(as_text=True))
    assert len(set(codes)) == 10
    assert 'href="/caseload"' in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    db_session.refresh(consultant)
    assert consultant.mfa_enabled_at is not None
    stored = set(db_session.scalars(sa.select(RecoveryCode.code_hash)))
    assert not stored & set(codes)  # only hashes are kept
    assert client.get("/caseload").status_code == 200
    assert client.get("/mfa/setup").location.startswith("/mfa")  # set up already
    assert client.get("/mfa/setup/qr.svg").status_code == 302  # the key is never shown again
    assert elsewhere.get("/caseload").location.startswith("/login")
    assert "authn_mfa_enrolled" in _actions(db_session, consultant)


def _enrol(client, user: User) -> list[str]:
    _password_step(client, user)
    client.get("/mfa/setup")
    response = client.post("/mfa/setup", data={"code": totp_code(user)})
    return CODE_SHAPE.findall(response.get_data(as_text=True))


def test_a_recovery_code_works_once_instead_of_the_app(db_session, client):
    admin = make_user(Role.ADMIN, language="en", mfa=False)
    codes = _enrol(client, admin)
    client.post("/logout")

    _password_step(client, admin)
    response = client.post("/mfa/recovery", data={"code": codes[0].upper().replace("-", " ")})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert "9 recovery codes left" in client.get("/account/two-step").get_data(as_text=True)
    client.post("/logout")

    _password_step(client, admin)
    response = client.post("/mfa/recovery", data={"code": codes[0]})
    assert response.status_code == 400
    assert "used already" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302
    assert "authn_mfa_recovery_used" in _actions(db_session, admin)


def test_new_recovery_codes_need_the_password_and_replace_the_old(db_session, client):
    consultant = make_user(Role.CONSULTANT, language="en", mfa=False)
    old = _enrol(client, consultant)

    refused = client.post("/account/two-step/recovery-codes", data={"password": "not it at all"})
    assert refused.status_code == 400
    assert "Your password is not right." in refused.get_data(as_text=True)
    response = client.post("/account/two-step/recovery-codes", data={"password": PASSWORD})
    new = CODE_SHAPE.findall(response.get_data(as_text=True))
    assert len(new) == 10
    assert not set(new) & set(old)
    client.post("/logout")
    _password_step(client, consultant)
    assert client.post("/mfa/recovery", data={"code": old[1]}).status_code == 400
    assert client.post("/mfa/recovery", data={"code": new[1]}).status_code == 302


def test_a_new_phone_needs_the_password_and_ends_other_sessions(db_session, client, app):
    consultant = make_user(Role.CONSULTANT, language="en")
    other = app.test_client()
    for browser in (client, other):
        _password_step(browser, consultant)
        browser.post("/mfa", data={"code": totp_code(consultant)})
    old_secret = consultant.totp_secret

    assert client.post("/account/two-step/reset", data={"password": "wrong"}).status_code == 400
    db_session.refresh(consultant)
    assert consultant.totp_secret == old_secret

    response = client.post("/account/two-step/reset", data={"password": PASSWORD})
    assert response.location == "/mfa/setup"
    assert other.get("/caseload").location.startswith("/login")
    assert client.get("/caseload").location.startswith("/mfa/setup")
    client.get("/mfa/setup")
    db_session.refresh(consultant)
    assert consultant.totp_secret not in (None, old_secret)


def test_an_administrator_switches_off_someone_elses_app(db_session, client, app):
    admin = make_user(Role.ADMIN, language="en")
    consultant = make_user(Role.CONSULTANT)
    newcomer = make_user(Role.NEWCOMER)
    theirs = app.test_client()
    _password_step(theirs, consultant)
    theirs.post("/mfa", data={"code": totp_code(consultant)})

    _password_step(client, admin)
    client.post("/mfa", data={"code": totp_code(admin)})
    assert "Switch off the authenticator app of" in client.get("/admin/users").get_data(
        as_text=True
    )
    response = client.post(f"/admin/users/{consultant.id}/two-step")
    assert response.status_code == 302
    assert theirs.get("/caseload").location.startswith("/login")
    _password_step(theirs, consultant)
    assert theirs.get("/caseload").location.startswith("/mfa/setup")

    response = client.post(f"/admin/users/{newcomer.id}/two-step", follow_redirects=True)
    assert "logs in with a password only" in response.get_data(as_text=True)
    response = client.post(f"/admin/users/{admin.id}/two-step", follow_redirects=True)
    assert "Only another administrator can do this." in response.get_data(as_text=True)
    db_session.refresh(admin)
    assert admin.mfa_enabled_at is not None  # one's own app: the account page, with the password
    resets = db_session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "authn_mfa_reset")
    ).all()
    assert [(e.actor_id, e.subject_user_id) for e in resets] == [(admin.id, consultant.id)]


def test_the_command_line_switches_off_an_app(db_session, runner):
    admin = make_user(Role.ADMIN)
    result = runner.invoke(args=["users", "reset-mfa", "--email", admin.email])
    assert result.exit_code == 0, result.output
    db_session.refresh(admin)
    assert admin.mfa_enabled_at is None and admin.totp_secret is None
    result = runner.invoke(args=["users", "reset-mfa", "--email", "nobody@example.nl"])
    assert result.exit_code != 0
    assert "No account" in result.output


def test_a_data_download_needs_a_recent_login(db_session, client, auth):
    """R19/R37: a borrowed session cannot download someone's data without the password."""
    newcomer = make_user(Role.NEWCOMER, language="en")
    start = utcnow()
    with time_machine.travel(start, tick=False):
        auth.login(newcomer.email)
        assert client.get("/me/data.json").status_code == 200
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        response = client.get("/me/data.json")
        assert response.status_code == 302
        assert response.location == "/account/confirm?next=/me/data.json"
        wrong = client.post(response.location, data={"password": "not my password at all"})
        assert wrong.status_code == 400
        assert "Your password is not right." in wrong.get_data(as_text=True)
        assert client.get("/me/data.json").status_code == 302
        before = client.get_cookie("session").value
        right = client.post(response.location, data={"password": PASSWORD})
        assert right.location == "/me/data.json"
        assert client.get_cookie("session").value != before
        download = client.get(right.location)
    assert download.status_code == 200
    assert download.json["account"]["email"] == newcomer.email
    assert _actions(db_session, newcomer)[-2:] == ["authn_reauth_fail", "newcomer_data_export"]
