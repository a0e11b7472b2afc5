"""No open redirects through `next` (security.md R24): after login, and after a language switch.

The query strings are sent as a browser would send them; `%2F%2Fevil.example` arrives at the
app decoded as `//evil.example`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask import url_for

from marketplace.accounts.models import Role
from marketplace.accounts.urls import DASHBOARDS
from marketplace.permissions import needs_second_step
from tests.factories import PASSWORD, make_user, totp_code

#: raw `next` values as they appear in the query string or form body
HOSTILE_NEXT = [
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "%2F%2Fevil.example",
    "https%3A%2F%2Fevil.example",
    "%2F%5Cevil.example",
    "/%5Cevil.example",
    "%09//evil.example",
    "/%09/evil.example",
    "///evil.example",
    "http:evil.example",
    "data:text/html,<script>alert(1)</script>",
]

DASHBOARD_PATHS = {
    Role.NEWCOMER: "/me",
    Role.EMPLOYER: "/organisation",
    Role.CONSULTANT: "/caseload",
    Role.ADMIN: "/admin/",
}


def stays_on_site(location: str) -> bool:
    parts = urlsplit(location)
    return parts.scheme in ("", "http") and parts.netloc in ("", "localhost")


def test_dashboard_paths_match_the_app(app):
    with app.test_request_context():
        assert {role: url_for(DASHBOARDS[role]) for role in Role} == DASHBOARD_PATHS


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("raw_next", HOSTILE_NEXT)
def test_login_ignores_a_hostile_next(client, db_session, role, raw_next):
    user = make_user(role)

    response = client.post(
        "/login",
        query_string=f"next={raw_next}",
        data={"email": user.email, "password": PASSWORD},
    )

    assert response.status_code == 302
    if needs_second_step(user):
        assert response.location == "/mfa"  # the hostile address is not carried along
        response = client.post("/mfa", data={"code": totp_code(user)})
        assert response.status_code == 302
    assert stays_on_site(response.location), response.location
    assert urlsplit(response.location).path == DASHBOARD_PATHS[role]


@pytest.mark.parametrize("raw_next", HOSTILE_NEXT)
def test_the_second_step_ignores_a_hostile_next(client, db_session, raw_next):
    user = make_user(Role.CONSULTANT)
    client.post("/login", data={"email": user.email, "password": PASSWORD})

    response = client.post("/mfa", query_string=f"next={raw_next}", data={"code": totp_code(user)})

    assert response.status_code == 302
    assert response.location == DASHBOARD_PATHS[Role.CONSULTANT]


def test_login_follows_a_same_site_next(client, db_session):
    user = make_user(Role.NEWCOMER)
    response = client.post(
        "/login", query_string="next=/account", data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.location == "/account"


def test_the_login_redirect_brings_the_user_back(client, db_session):
    """The whole round trip a user makes: a protected page, the login, and back again."""
    user = make_user(Role.CONSULTANT)
    bounced = client.get("/caseload/new")
    assert urlsplit(bounced.location).path == "/login"

    login_page = client.get(bounced.location)
    assert login_page.status_code == 200
    response = client.post(bounced.location, data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.location == "/mfa?next=/caseload/new"
    response = client.post(response.location, data={"code": totp_code(user)})
    assert response.location == "/caseload/new"


@pytest.mark.parametrize("raw_next", HOSTILE_NEXT)
def test_language_switch_ignores_a_hostile_next(client, raw_next):
    response = client.post(
        "/language",
        data=f"language=en&next={raw_next}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    assert stays_on_site(response.location), response.location
    assert response.location == "/"


def test_language_switch_returns_to_the_page(client):
    response = client.post("/language", data={"language": "en", "next": "/about?x=1"})
    assert response.status_code == 302
    assert response.location == "/about?x=1"
    assert 'lang="en"' in client.get("/about").get_data(as_text=True)


def test_language_switch_from_the_menu_returns_to_the_page(client):
    """The menu sends the page's own path as `next` (`/privacy?`): the user stays there."""
    page = client.get("/privacy").get_data(as_text=True)
    assert 'name="next" value="/privacy?"' in page
    response = client.post("/language", data={"language": "en", "next": "/privacy?"})
    assert urlsplit(response.location).path == "/privacy"


@pytest.mark.parametrize("raw_next", ["https://evil.example", "//evil.example"])
def test_language_switch_signed_in_ignores_a_hostile_next(client, auth, db_session, raw_next):
    auth.login(make_user(Role.EMPLOYER).email)
    response = client.post("/language", data={"language": "en", "next": raw_next})
    assert response.status_code == 302
    assert response.location == "/"
