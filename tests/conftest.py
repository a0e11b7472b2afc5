"""Fixtures: one migrated SQLite database per test session; every test rolled back.

The ``app`` fixture keeps an app context open for the test's own code (services, factories).
The test client hides that context from the requests it makes, so that every request gets a
fresh app context, session and signed-in user, as in production.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from flask.globals import _cv_app
from flask.testing import FlaskClient

from config import TestingConfig
from marketplace import create_app, db, migrate
from marketplace.accounts.models import User
from marketplace.search.index import forget_index
from tests.factories import PASSWORD, totp_code

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

#: the session-wide canary leak scan (security.md R36)
pytest_plugins = ["tests.security.canary_scan"]


class IsolatedClient(FlaskClient):
    """A test client whose requests never reuse the test's own app context."""

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


#: the secret key of production-configured test apps: random, as production demands
PRODUCTION_SECRET_KEY = secrets.token_urlsafe(48)
#: the data key of production-configured test apps (production refuses the published one)
PRODUCTION_DATA_KEY = Fernet.generate_key().decode()


def production_settings(**settings):
    """What a ProductionConfig app needs to start in a test, with the given settings over it."""
    return {
        "SECRET_KEY": PRODUCTION_SECRET_KEY,
        "TRUSTED_HOSTS": ["localhost"],
        "DATA_ENCRYPTION_KEYS": PRODUCTION_DATA_KEY,
        **settings,
    }


def make_test_app(database_url: str, tmp: Path, **overrides):
    """A testing app on the given database, with mail and index files under tmp."""
    settings = {
        "DATABASE_URL": database_url,
        "MAIL_OUTBOX_DIR": str(tmp / "mail"),
        "SEARCH_INDEX_DIR": str(tmp / "index"),
        **overrides,
    }
    app = create_app(TestingConfig, **settings)
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture(autouse=True)
def _logging_as_it_was():
    """A production app installs JSON logging on the root logger (once per process); put the
    handlers and levels back, so that one test's app does not change what later tests log."""
    root, app_logger = logging.getLogger(), logging.getLogger("marketplace")
    handlers, level = list(root.handlers), app_logger.level
    app_handlers = list(app_logger.handlers)
    yield
    root.handlers[:] = handlers
    app_logger.handlers[:] = app_handlers
    app_logger.setLevel(level)


@pytest.fixture(scope="session")
def session_tmp(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("marketplace")


@pytest.fixture(scope="session")
def migrated_app(session_tmp):
    """The app on a SQLite file migrated once with Alembic (the only schema path)."""
    app = make_test_app(f"sqlite:///{session_tmp / 'test.sqlite3'}", session_tmp)
    with app.app_context():
        migrate.upgrade()
    return app


@pytest.fixture
def app(migrated_app, tmp_path, monkeypatch):
    """The app with every database change of the test inside one transaction, rolled back.

    Each test gets an empty search index of its own (made when first used): the database
    rolls back, so documents from other tests must not linger in the index.
    """
    index_dir = tmp_path / "index"
    monkeypatch.setitem(migrated_app.config, "SEARCH_INDEX_DIR", str(index_dir))
    migrated_app.extensions["sent_mail"].clear()
    try:
        with rolled_back(migrated_app), migrated_app.app_context():
            yield migrated_app
    finally:
        forget_index(index_dir)


@contextmanager
def rolled_back(app) -> Iterator[None]:
    """Every session of ``app`` joins one transaction (through SAVEPOINTs), rolled back at
    the end, so a test leaves the database as it found it."""
    database = app.extensions["db"]
    connection = database.engine.connect()
    transaction = connection.begin()
    original_factory = database.session_factory
    database.bind_to(connection)
    try:
        yield
    finally:
        transaction.rollback()
        connection.close()
        database.session_factory = original_factory


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def race_app(request, tmp_path):
    """A migrated app of its own, on a SQLite file and on PostgreSQL, for tests in which
    several writers (threads with their own sessions) meet; nothing is rolled back."""
    from tests.postgres import empty_postgres_url

    sqlite = f"sqlite:///{tmp_path / 'race.sqlite3'}"
    app = make_test_app(sqlite if request.param == "sqlite" else empty_postgres_url(), tmp_path)
    with app.app_context():
        migrate.upgrade()
    yield app
    app.extensions["db"].engine.dispose()


@pytest.fixture
def db_session(app):
    """The test's own database session (the one `marketplace.db.session` gives test code)."""
    return db._get_session()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = PASSWORD, **kwargs):
        """Log in; consultants and administrators also pass the second step with their app."""
        follow = kwargs.pop("follow_redirects", False)
        data = {"email": email, "password": password}
        response = self._client.post("/login", data=data, **kwargs)
        if response.status_code == 302 and urlsplit(response.location).path == "/mfa":
            # an app set up already; a new one (/mfa/setup) is left to the test
            response = self.second_step(email, response.location)
        if follow and response.status_code == 302:
            response = self._client.get(response.location, follow_redirects=True)
        return response

    def second_step(self, email: str, url: str = "/mfa"):
        user = db.session.scalar(sa.select(User).where(User.email == email))
        return self._client.post(url, data={"code": totp_code(user)})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture(scope="session")
def geonames_file() -> Path:
    """The GeoNames postcode file from ../shared/data (or GEONAMES_FILE)."""
    path = Path(os.environ.get("GEONAMES_FILE", SHARED_DATA / "geonames-postal-NL.txt"))
    if not path.exists():
        pytest.fail(f"The GeoNames postcode file is missing: {path}")
    return path
