"""The login limit holds across app instances and behind a proxy (security.md R12 c, d).

Every gunicorn worker is an app instance of its own: the count lives in the database, so
failures spread over instances add up. Behind a reverse proxy the client address is the one
the proxy appends to X-Forwarded-For; whatever the client put there itself is ignored.
"""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from config import ProductionConfig
from marketplace import create_app, db, migrate
from marketplace.accounts.models import LoginAttempt, Role
from tests.conftest import make_test_app, production_settings
from tests.factories import PASSWORD, make_user
from tests.security.test_csrf import bound_app

WRONG = "wrong password wrong password"
PROXY_WARNING = "PROXY_FIX_X_FOR is 0"


def _login(app, email: str, password: str, **kwargs) -> int:
    response = app.test_client().post(
        "/login", data={"email": email, "password": password}, **kwargs
    )
    return response.status_code


def test_two_app_instances_on_one_database_share_the_count(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    first = make_test_app(url, tmp_path / "first")
    second = make_test_app(url, tmp_path / "second")
    with first.app_context():
        migrate.upgrade()
        email = make_user(Role.EMPLOYER).email
        db.session.commit()

    for app in (first, second, first, second, first):
        assert _login(app, email, WRONG) == 200
    # neither instance has seen five failures itself, yet both refuse the sixth attempt
    assert _login(second, email, PASSWORD) == 429
    assert _login(first, email, PASSWORD) == 429
    with second.app_context():
        failures = db.session.scalar(
            sa.select(sa.func.count()).where(LoginAttempt.succeeded.is_(False))
        )
    assert failures == 5
    first.extensions["db"].engine.dispose()
    second.extensions["db"].engine.dispose()


@pytest.fixture
def proxied_app(migrated_app, tmp_path):
    """An app behind one proxy (PROXY_FIX_X_FOR=1), every change rolled back."""
    with bound_app(migrated_app.config["DATABASE_URL"], tmp_path, PROXY_FIX_X_FOR=1) as app:
        yield app


def _through_proxy(client_value: str, real_address: str) -> dict:
    """What the app receives: the client's own header, with the proxy's hop appended."""
    return {
        "headers": {"X-Forwarded-For": f"{client_value}, {real_address}"},
        "environ_base": {"REMOTE_ADDR": "10.0.0.2"},  # the proxy itself
    }


def test_behind_a_proxy_a_rotated_client_header_does_not_reset_the_limit(proxied_app):
    user = make_user(Role.NEWCOMER)
    for n in range(5):
        options = _through_proxy(f"203.0.113.{n}", "198.51.100.20")
        assert _login(proxied_app, user.email, WRONG, **options) == 200
    options = _through_proxy("192.0.2.99", "198.51.100.20")
    assert _login(proxied_app, user.email, PASSWORD, **options) == 429

    # the limit is for this account from this address: the real address is what counts
    ips = set(db.session.scalars(sa.select(LoginAttempt.ip)))
    assert ips == {"198.51.100.20"}
    options = _through_proxy("203.0.113.0", "198.51.100.21")
    assert _login(proxied_app, user.email, PASSWORD, **options) == 302


def _production(tmp_path, **overrides):
    return create_app(
        ProductionConfig,
        **production_settings(DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}", **overrides),
    )


def test_production_warns_at_start_when_no_proxy_hop_is_configured(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        _production(tmp_path)
    assert any(PROXY_WARNING in r.getMessage() for r in caplog.records)

    caplog.clear()
    with caplog.at_level(logging.WARNING):
        _production(tmp_path, PROXY_FIX_X_FOR=1)
    assert not any(PROXY_WARNING in r.getMessage() for r in caplog.records)
