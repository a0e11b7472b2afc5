"""Security headers on every response, errors included; host, method and size limits.

security.md R21 (headers), R25 (no caching of personal pages, Clear-Site-Data), R26 (limits).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from config import ProductionConfig
from marketplace import create_app
from marketplace.accounts.models import Role
from tests.conftest import IsolatedClient, make_test_app, production_settings
from tests.factories import make_user
from tests.security.authz_matrix import IDENTITIES, MATRIX, cell_id
from tests.security.test_csrf import VALID_POSTS
from tests.security.test_errors import failing_app
from tests.security.test_routes import cell_url, sign_in

EXPECTED_CSP = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
REFERRER_POLICIES = {"strict-origin-when-cross-origin", "no-referrer"}


def parse_csp(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as {directive: [source, ...]}."""
    policy: dict[str, list[str]] = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            name = tokens[0].lower()
            assert name not in policy, f"directive {name} given twice"
            policy[name] = tokens[1:]
    return policy


def assert_security_headers(response) -> None:
    headers = response.headers
    assert "Content-Security-Policy" in headers, f"{response.status_code} has no CSP"
    policy = parse_csp(headers["Content-Security-Policy"])
    for directive, sources in EXPECTED_CSP.items():
        assert policy.get(directive) == sources, f"{directive}: {policy.get(directive)}"
    for directive, sources in policy.items():
        for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*"):
            assert unsafe not in sources, f"{directive} allows {unsafe}"
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("Referrer-Policy") in REFERRER_POLICIES
    assert headers.get("Cross-Origin-Opener-Policy") == "same-origin"


def production_app(tmp: Path, database_url: str, **overrides):
    app = create_app(
        ProductionConfig,
        **production_settings(
            DATABASE_URL=database_url,
            MAIL_OUTBOX_DIR=str(tmp / "mail"),
            SEARCH_INDEX_DIR=str(tmp / "index"),
            **overrides,
        ),
    )
    app.test_client_class = IsolatedClient
    return app


# --- the policy itself ---------------------------------------------------------------------


def test_parse_csp_reads_directives():
    assert parse_csp("default-src 'none'; img-src 'self' data:") == {
        "default-src": ["'none'"],
        "img-src": ["'self'", "data:"],
    }


def test_header_check_catches_unsafe_inline():
    """The checker has teeth: a policy with 'unsafe-inline' fails it."""

    class Fake:
        status_code = 200
        headers = {
            "Content-Security-Policy": "default-src 'none'; script-src 'self' 'unsafe-inline'; "
            "style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
            "form-action 'self'",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Cross-Origin-Opener-Policy": "same-origin",
        }

    with pytest.raises(AssertionError):
        assert_security_headers(Fake())


# --- headers on every kind of response -----------------------------------------------------


def _ok(request):
    return request.getfixturevalue("client").get("/")


def _redirect(request):
    return request.getfixturevalue("client").get("/account")


def _csrf_failure(request):
    migrated_app = request.getfixturevalue("migrated_app")
    tmp = request.getfixturevalue("tmp_path")
    app = make_test_app(migrated_app.config["DATABASE_URL"], tmp, WTF_CSRF_ENABLED=True)
    return app.test_client().post("/login", data={"email": "a@example.nl", "password": "x"})


def _forbidden(request):
    request.getfixturevalue("db_session")
    sign_in(request.getfixturevalue("auth"), Role.NEWCOMER)
    return request.getfixturevalue("client").get("/admin/")


def _not_found(request):
    return request.getfixturevalue("client").get("/no-such-page")


def _method_not_allowed(request):
    return request.getfixturevalue("client").get("/logout")


def _throttled(request):
    request.getfixturevalue("db_session")
    user = make_user(Role.EMPLOYER)
    auth = request.getfixturevalue("auth")
    for _ in range(5):
        assert auth.login(user.email, "wrong password, wrong password").status_code == 200
    return auth.login(user.email, "wrong password, wrong password")


def _failing(request):
    return failing_app(
        request.getfixturevalue("migrated_app").config["DATABASE_URL"],
        request.getfixturevalue("tmp_path"),
        request.getfixturevalue("monkeypatch"),
    )


def _server_error(request):
    return _failing(request).test_client().get("/test-only/crash")


def _database_down(request):
    return _failing(request).test_client().get("/test-only/database-down")


def _too_large(request):
    client = request.getfixturevalue("client")
    return client.post("/login", data={"email": "a" * (3 * 1024 * 1024), "password": "x"})


RESPONSES = {
    200: _ok,
    302: _redirect,
    400: _csrf_failure,
    403: _forbidden,
    404: _not_found,
    405: _method_not_allowed,
    413: _too_large,
    429: _throttled,
    500: _server_error,
    503: _database_down,
}


@pytest.mark.parametrize("status", sorted(RESPONSES))
def test_security_headers_on_every_status(request, app, status):
    response = RESPONSES[status](request)
    assert response.status_code == status
    assert_security_headers(response)
    assert response.headers.get("Cache-Control") == "no-store"
    assert "Strict-Transport-Security" not in response.headers  # only in production


def test_throttled_login_says_when_to_retry(request, app):
    response = _throttled(request)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0


def cells(method: str) -> list:
    """The matrix's cells of one method, each with the first identity it allows."""
    return [
        pytest.param(key, next(r for r in IDENTITIES if MATRIX[key].allows(r)), id=cell_id(key))
        for key in sorted(MATRIX)
        if key[1] == method
    ]


GET_CELLS = cells("GET")


@pytest.mark.parametrize(("key", "role"), GET_CELLS)
def test_security_headers_on_every_page(app, db_session, client, auth, key, role):
    """R21 and R25 over the matrix: every page has the headers; pages are never cached."""
    endpoint, method = key
    user = sign_in(auth, role, MATRIX[key])
    response = client.get(cell_url(app, db_session, endpoint, method, MATRIX[key], user))
    response.close()
    assert response.status_code == 200
    assert_security_headers(response)
    if endpoint == "static":
        assert "no-store" not in response.headers.get("Cache-Control", "")
    else:
        assert response.headers.get("Cache-Control") == "no-store"


@pytest.mark.parametrize(("key", "role"), cells("POST"))
def test_security_headers_on_every_answer_to_a_form(app, db_session, client, auth, key, role):
    """The answers to forms too (a new user's link, recovery codes): headers, never cached."""
    endpoint, method = key
    user = sign_in(auth, role, MATRIX[key])
    make_data, status = VALID_POSTS[endpoint]
    url = cell_url(app, db_session, endpoint, method, MATRIX[key], user)
    response = client.post(url, data=make_data())
    response.close()
    assert response.status_code == status
    assert_security_headers(response)
    assert response.headers.get("Cache-Control") == "no-store"


def test_static_files_may_be_cached(client):
    response = client.get("/static/css/app.css")
    response.close()
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert_security_headers(response)


def test_logout_clears_site_data(client, auth, db_session):
    sign_in(auth, Role.CONSULTANT)
    response = client.post("/logout")
    assert response.status_code == 200
    cleared = {v.strip().strip('"') for v in response.headers["Clear-Site-Data"].split(",")}
    assert {"cache", "cookies", "storage"} <= cleared


# --- production: HSTS and trusted hosts ----------------------------------------------------


def test_hsts_in_production(migrated_app, tmp_path):
    app = production_app(tmp_path, migrated_app.config["DATABASE_URL"])
    response = app.test_client().get("/", base_url="https://localhost")
    assert response.status_code == 200
    assert_security_headers(response)
    hsts = response.headers["Strict-Transport-Security"]
    directives = [d.strip().lower() for d in hsts.split(";")]
    max_age = next(int(d.split("=", 1)[1]) for d in directives if d.startswith("max-age="))
    assert max_age >= 31536000
    assert "includesubdomains" in directives


def test_no_hsts_outside_production(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_untrusted_host_is_refused_in_production(migrated_app, tmp_path):
    app = production_app(
        tmp_path, migrated_app.config["DATABASE_URL"], TRUSTED_HOSTS=["example.nl"]
    )
    client = app.test_client()

    assert client.get("/", headers={"Host": "example.nl"}).status_code == 200
    refused = client.get("/", headers={"Host": "evil.example"})
    assert refused.status_code == 400
    assert_security_headers(refused)


# --- methods and sizes (R26) ---------------------------------------------------------------


def test_trace_is_not_allowed(client):
    response = client.open("/", method="TRACE")
    assert response.status_code == 405
    assert "TRACE" not in response.headers.get("Allow", "")


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_undeclared_methods_are_refused(client, method):
    assert client.open("/login", method=method).status_code == 405


def test_body_over_the_limit_is_refused(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit and limit <= 10 * 1024 * 1024
    response = client.post("/login", data={"email": "a" * (limit + 1), "password": "x"})
    assert response.status_code == 413
