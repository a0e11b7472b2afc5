"""Error pages: generic, traceable through a reference code, in Dutch (security.md R31, R46).

Failing routes are added to a fresh app made with ``PROPAGATE_EXCEPTIONS=False``, so that the
error handlers run as they do in production instead of the exception reaching the test.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError, ProgrammingError

from config import ProductionConfig
from marketplace import create_app, permissions
from marketplace.accounts.models import Role
from tests.conftest import make_test_app, production_settings
from tests.factories import make_user

LEAKED_SQL = "SELECT password_hash FROM user_account WHERE email = ?"
LEAKED_DRIVER_MESSAGE = "could not connect to server: Connection refused"
FORBIDDEN_IN_ERROR_PAGES = (
    "Traceback",
    "sqlalchemy",
    "sqlalche.me",
    "SELECT",
    "password_hash",
    "Connection refused",
    "werkzeug",
    'File "',
)
REFERENCE = re.compile(r"code: ([0-9a-f]{12,32})\b")


def failing_app(database_url: str, tmp: Path, monkeypatch, **overrides):
    """An app with two test-only public routes: one crashes, one loses the database."""
    app = make_test_app(database_url, tmp, PROPAGATE_EXCEPTIONS=False, **overrides)

    def crash():
        raise ProgrammingError(LEAKED_SQL, ("a@example.nl",), Exception("no such column"))

    def database_down():
        raise OperationalError("SELECT 1", {}, Exception(LEAKED_DRIVER_MESSAGE))

    app.add_url_rule("/test-only/crash", "test_only_crash", crash)
    app.add_url_rule("/test-only/database-down", "test_only_database_down", database_down)
    monkeypatch.setattr(
        permissions, "PUBLIC", permissions.PUBLIC | {"test_only_crash", "test_only_database_down"}
    )
    return app


@pytest.fixture
def broken_app(migrated_app, tmp_path, monkeypatch):
    return failing_app(migrated_app.config["DATABASE_URL"], tmp_path, monkeypatch)


def assert_generic(body: str) -> None:
    for word in FORBIDDEN_IN_ERROR_PAGES:
        assert word not in body, f"the error page shows {word!r}"


# --- 500 -----------------------------------------------------------------------------------


def test_500_page_is_generic_and_its_reference_is_in_the_log(broken_app, caplog):
    caplog.set_level(logging.ERROR)

    response = broken_app.test_client().get("/test-only/crash")

    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert_generic(body)
    match = REFERENCE.search(body)
    assert match, "the 500 page shows no reference code"
    reference = match.group(1)
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged, "the reference code is not in the log"
    assert any(r.exc_info and isinstance(r.exc_info[1], ProgrammingError) for r in logged), (
        "the log entry with the reference code has no traceback"
    )


def test_each_500_gets_its_own_reference(broken_app):
    client = broken_app.test_client()
    first = REFERENCE.search(client.get("/test-only/crash").get_data(as_text=True))
    second = REFERENCE.search(client.get("/test-only/crash").get_data(as_text=True))
    assert first and second
    assert first.group(1) != second.group(1)


def test_500_page_is_in_dutch_by_default(broken_app):
    response = broken_app.test_client().get("/test-only/crash")
    body = response.get_data(as_text=True)
    assert "Er ging bij ons iets mis" in body
    assert 'lang="nl"' in body


# --- 503 -----------------------------------------------------------------------------------


def test_503_on_database_error_has_retry_after(broken_app):
    response = broken_app.test_client().get("/test-only/database-down")

    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    body = response.get_data(as_text=True)
    assert_generic(body)
    assert "De website werkt op dit moment niet" in body


@pytest.fixture
def outage_app(tmp_path, monkeypatch):
    """An app whose database cannot be opened at all: a real outage, not a raised error."""
    return failing_app(
        f"sqlite:///{tmp_path / 'missing-dir' / 'db.sqlite3'}", tmp_path, monkeypatch
    )


def test_health_check_answers_503_during_an_outage(outage_app):
    response = outage_app.test_client().get("/healthz")
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0


def test_signed_in_user_gets_the_503_page_during_an_outage(client, auth, db_session, outage_app):
    """A signed-in user's next request during an outage gets the 503 page, not a crash."""
    user = make_user(Role.NEWCOMER)
    assert auth.login(user.email).status_code == 302
    cookie = client.get_cookie("session")
    assert cookie is not None
    during_outage = outage_app.test_client()
    during_outage.set_cookie("session", cookie.value)

    response = during_outage.get("/me")

    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert_generic(response.get_data(as_text=True))


# --- 404 and language ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/no-such-page", "/admin/no-such-page", "/caseload/12345", "/.env", "/.git/config"]
)
def test_unknown_url_is_404_for_anonymous_visitors(client, path):
    """No redirect to the login page: that would tell which URLs exist behind it."""
    response = client.get(path)
    assert response.status_code == 404
    assert "Location" not in response.headers


def test_unknown_url_is_404_for_signed_in_users(client, auth, db_session):
    auth.login(make_user(Role.CONSULTANT).email)
    assert client.get("/admin/no-such-page").status_code == 404
    assert client.post("/no-such-page").status_code == 404


def test_error_pages_are_dutch_by_default(client):
    body = client.get("/no-such-page").get_data(as_text=True)
    assert "Pagina niet gevonden" in body
    assert 'lang="nl"' in body


def test_error_pages_follow_the_browser_language(client):
    body = client.get("/no-such-page", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Page not found" in body
    assert "Pagina niet gevonden" not in body


def test_403_page_is_generic_and_dutch(client, auth, db_session):
    auth.login(make_user(Role.NEWCOMER).email)
    response = client.get("/admin/users")
    assert response.status_code == 403
    body = response.get_data(as_text=True)
    assert "Je kunt deze pagina niet openen" in body
    assert_generic(body)


# --- safe configuration (R31) --------------------------------------------------------------


@pytest.mark.parametrize("key", [None, "", "insecure-development-key", "dev", "too-short-key"])
def test_production_refuses_to_start_without_a_real_secret_key(key, tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(
            ProductionConfig, SECRET_KEY=key, DATABASE_URL=f"sqlite:///{tmp_path / 'p.sqlite3'}"
        )


def test_production_runs_without_debug():
    assert ProductionConfig.DEBUG is False
    assert ProductionConfig.TESTING is False


def test_production_refuses_debug(tmp_path):
    with pytest.raises(RuntimeError, match="DEBUG"):
        create_app(
            ProductionConfig,
            **production_settings(DEBUG=True, DATABASE_URL=f"sqlite:///{tmp_path / 'p.sqlite3'}"),
        )


@pytest.mark.parametrize(
    "path",
    [
        "/me/placements/99999999999999999999999",
        "/places/99999999999999999999999",
        "/caseload/newcomer-²/profile",
        "/caseload/newcomer-1234567890123456789012/profile",
    ],
)
def test_numbers_no_database_holds_are_not_found(client, auth, path):
    role = Role.CONSULTANT if path.startswith("/caseload") else Role.NEWCOMER
    auth.login(make_user(role).email)
    assert client.get(path).status_code == 404
