"""Two newcomers full of marker strings: A, whose data a test looks at, and B, who must not show."""

from __future__ import annotations

import pytest

from tests.privacy.canary import make_canary


@pytest.fixture
def alpha(db_session):
    return make_canary(db_session, "alpha")


@pytest.fixture
def bravo(db_session):
    return make_canary(db_session, "bravo")
