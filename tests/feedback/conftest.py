"""Fixtures for the feedback tests."""

from __future__ import annotations

import pytest

from tests.feedback.records import newcomer_with_profile


@pytest.fixture
def newcomer(db_session):
    """A newcomer (user, profile) who reads English."""
    return newcomer_with_profile(db_session)
