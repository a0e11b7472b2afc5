"""Fixtures for the feedback tests."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from tests.feedback.records import newcomer_with_profile


@pytest.fixture
def newcomer(db_session):
    """A newcomer (user, profile) who reads English."""
    return newcomer_with_profile(db_session)


@pytest.fixture(autouse=True)
def in_english(app):
    """Messages from the services read in English, as the newcomers in these tests do."""
    with app.test_request_context(), force_locale("en"):
        yield
