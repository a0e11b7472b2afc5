"""Cookies as a browser receives them in production (security.md R17).

Every ``Set-Cookie`` of a real sign-in over HTTPS under ProductionConfig is parsed: Secure,
HttpOnly, SameSite=Lax, Path=/, no Domain, and the session cookie is ``__Host-session``.
Development and testing settings are refused where the environment says production.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from config import DevelopmentConfig, ProductionConfig, TestingConfig, settings_for
from marketplace import create_app
from marketplace.accounts.models import Role
from tests.factories import PASSWORD, make_user
from tests.security.test_csrf import scrape_token_over

HTTPS = {"base_url": "https://localhost"}


def parse_set_cookie(header: str) -> tuple[str, dict[str, str | bool]]:
    """A Set-Cookie header as (name, {attribute in lower case: value, or True for a flag})."""
    first, *rest = header.split(";")
    name = first.split("=", 1)[0].strip()
    attributes: dict[str, str | bool] = {}
    for part in rest:
        key, sep, value = part.strip().partition("=")
        if key:
            attributes[key.lower()] = value if sep else True
    return name, attributes


def cookie_problems(header: str) -> list[str]:
    """What is wrong with one production cookie; empty when it is right."""
    name, attributes = parse_set_cookie(header)
    problems = [f"{name}: no {flag}" for flag in ("secure", "httponly") if flag not in attributes]
    if str(attributes.get("samesite", "")).lower() != "lax":
        problems.append(f"{name}: SameSite={attributes.get('samesite')}")
    if attributes.get("path") != "/":
        problems.append(f"{name}: Path={attributes.get('path')}")
    if "domain" in attributes:
        problems.append(f"{name}: Domain={attributes['domain']}")
    return problems


def _post(client, path: str, data: dict, page: str):
    headers = {"Referer": f"https://localhost{page}"}
    return client.post(path, data=data, headers=headers, **HTTPS)


@pytest.mark.parametrize("role", [Role.NEWCOMER, Role.EMPLOYER])
def test_every_cookie_of_a_https_sign_in_is_secure_host_only_and_lax(production_app, role):
    user = make_user(role)
    client = production_app.test_client()
    set_cookies: list[str] = []

    def keep(response, status: int):
        assert response.status_code == status
        set_cookies.extend(response.headers.getlist("Set-Cookie"))

    keep(client.get("/login", **HTTPS), 200)
    token = scrape_token_over(client, "/login", **HTTPS)
    form = {"email": user.email, "password": PASSWORD, "csrf_token": token}
    keep(_post(client, "/login", form, "/login"), 302)
    keep(client.get("/account", **HTTPS), 200)
    token = scrape_token_over(client, "/account", action="/language", **HTTPS)
    keep(_post(client, "/language", {"language": "en", "csrf_token": token}, "/account"), 302)
    token = scrape_token_over(client, "/account", action="/logout", **HTTPS)
    keep(_post(client, "/logout", {"csrf_token": token}, "/account"), 200)

    assert set_cookies, "a sign-in sets a session cookie"
    assert {parse_set_cookie(h)[0] for h in set_cookies} == {"__Host-session"}
    assert [p for header in set_cookies for p in cookie_problems(header)] == []


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("__Host-session=x; HttpOnly; Path=/; SameSite=Lax", "no secure"),
        ("__Host-session=x; Secure; Path=/; SameSite=Lax", "no httponly"),
        ("__Host-session=x; Secure; HttpOnly; Path=/; SameSite=None", "SameSite=None"),
        ("__Host-session=x; Secure; HttpOnly; Path=/app; SameSite=Lax", "Path=/app"),
        ("s=x; Domain=example.nl; Secure; HttpOnly; Path=/; SameSite=Lax", "Domain=example.nl"),
    ],
)
def test_the_cookie_check_sees_each_missing_attribute(header, problem):
    assert any(problem in found for found in cookie_problems(header))
    good = "__Host-session=x; Secure; HttpOnly; Path=/; SameSite=Lax"
    assert cookie_problems(good) == []


def test_remember_me_lasts_at_most_thirty_days_and_is_never_set(app, client, auth):
    assert app.config["REMEMBER_COOKIE_DURATION"] <= timedelta(days=30)
    user = make_user(Role.NEWCOMER)
    response = auth.login(user.email)
    assert response.status_code == 302
    names = {parse_set_cookie(h)[0] for h in response.headers.getlist("Set-Cookie")}
    assert "remember_token" not in names


@pytest.mark.parametrize("variable", ["APP_ENV", "FLASK_ENV"])
@pytest.mark.parametrize("config_class", [DevelopmentConfig, TestingConfig])
def test_development_and_testing_settings_are_refused_where_production_is_said(
    monkeypatch, variable, config_class
):
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.delenv("FLASK_ENV", raising=False)
    monkeypatch.setenv(variable, "production")
    with pytest.raises(RuntimeError, match=config_class.__name__):
        create_app(config_class)


def test_production_settings_are_what_production_says():
    environ = {"APP_ENV": "production", "FLASK_ENV": "production"}
    assert settings_for(ProductionConfig, environ)["PRODUCTION"] is True
    assert settings_for(DevelopmentConfig, {"APP_ENV": "development"})["DEBUG"] is True
