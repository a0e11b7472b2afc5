"""Fixtures shared by the security tests."""

from __future__ import annotations

import pytest

from config import ProductionConfig
from marketplace import create_app
from tests.conftest import IsolatedClient, production_settings
from tests.security.test_csrf import rolled_back


@pytest.fixture
def production_app(migrated_app, tmp_path):
    """The app under ProductionConfig on the test database, every change rolled back."""
    app = create_app(
        ProductionConfig,
        **production_settings(
            DATABASE_URL=migrated_app.config["DATABASE_URL"],
            MAIL_OUTBOX_DIR=str(tmp_path / "mail"),
            SEARCH_INDEX_DIR=str(tmp_path / "index"),
        ),
    )
    # the rows the test's factories write are encrypted with the testing app's key
    app.extensions["data_keys"] = migrated_app.extensions["data_keys"]
    app.test_client_class = IsolatedClient
    with rolled_back(app):
        yield app
