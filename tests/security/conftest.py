"""Fixtures shared by the security tests."""

from __future__ import annotations

import pytest

from config import ProductionConfig
from marketplace import create_app
from tests.conftest import IsolatedClient
from tests.security.test_csrf import rolled_back


@pytest.fixture
def production_app(migrated_app, tmp_path):
    """The app under ProductionConfig on the test database, every change rolled back."""
    app = create_app(
        ProductionConfig,
        SECRET_KEY="p" * 40,
        DATABASE_URL=migrated_app.config["DATABASE_URL"],
        TRUSTED_HOSTS=["localhost"],
        MAIL_OUTBOX_DIR=str(tmp_path / "mail"),
        SEARCH_INDEX_DIR=str(tmp_path / "index"),
    )
    app.test_client_class = IsolatedClient
    with rolled_back(app):
        yield app
