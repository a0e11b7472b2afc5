"""Where the PostgreSQL tests find their server: TEST_POSTGRES_URL, started by .ci/run in CI."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


def postgres_url() -> str:
    """The URL of an empty PostgreSQL database; under CI a missing server fails, never skips."""
    url = os.environ.get("TEST_POSTGRES_URL")
    if url:
        return url
    if os.environ.get("CI") == "true":
        pytest.fail("CI must start PostgreSQL and set TEST_POSTGRES_URL (see .ci/run).")
    pytest.skip("No PostgreSQL server: set TEST_POSTGRES_URL to run this test.")


def empty_postgres_url() -> str:
    """``postgres_url()`` with its schema emptied first, for a test that migrates from nothing."""
    import sqlalchemy as sa

    url = postgres_url()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return url


@contextmanager
def migrated_postgres_app(tmp_path) -> Iterator:
    """The app on an emptied PostgreSQL database migrated with Alembic; closed afterwards."""
    from marketplace import migrate
    from tests.conftest import make_test_app

    app = make_test_app(empty_postgres_url(), tmp_path)
    try:
        with app.app_context():
            migrate.upgrade()
        yield app
    finally:
        app.extensions["db"].engine.dispose()
