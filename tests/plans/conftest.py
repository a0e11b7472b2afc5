"""The plan tests' cast: a consultant who is signed in, and a newcomer of their caseload."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.newcomers.models import NewcomerProfile
from marketplace.vocab import LearningRoute
from tests.factories import make_user
from tests.plans.plan_forms import TODAY


@pytest.fixture
def consultant(app, db_session, auth):
    app.config["FIXED_TODAY"] = TODAY.isoformat()
    user = make_user(Role.CONSULTANT, language="en")
    auth.login(user.email)
    yield user
    app.config["FIXED_TODAY"] = None


@pytest.fixture
def newcomer(db_session, consultant):
    """A newcomer of the signed-in consultant's caseload, and the URL of their plan."""
    user = make_user(Role.NEWCOMER, language="en")
    profile = db_session.scalars(sa.select(NewcomerProfile).filter_by(user_id=user.id)).one()
    profile.consultant_id = consultant.id
    profile.learning_route = LearningRoute.Z
    profile.integration_started_on = date(2026, 3, 15)
    db_session.flush()
    return profile, f"/caseload/newcomer-{profile.id}/plan"
