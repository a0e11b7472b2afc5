"""Shared by the intake tests: a consultant with one newcomer in their caseload, on a fixed day."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.newcomers.models import NewcomerProfile
from tests.factories import make_user

TODAY = date(2026, 11, 29)

#: a first conversation as a consultant would write it down
TALK = {
    "held_on": "2026-11-20",
    "what_matters": "Mijn kinderen, en weer in een keuken staan.",
    "motivation": "Ik wil mijn eigen geld verdienen.",
    "capabilities": "Koken voor veel mensen; Arabisch en Engels.",
    "learning_wishes": "Nederlands tot B1, en een diploma voor de horeca.",
    "limits": ["school_hours_only", "no_night_shifts"],
    "hours_available": "12",
    "agreements": "Samen naar het taalcafé; over twee weken maken we het plan.",
    "rung": "2",
    "rung_reason": "Heeft contact met buren, nog geen cursus.",
}


@pytest.fixture(autouse=True)
def fixed_today(app, monkeypatch):
    monkeypatch.setitem(app.config, "FIXED_TODAY", TODAY.isoformat())
    return TODAY


def profile_of(db_session, user) -> NewcomerProfile:
    return db_session.scalars(sa.select(NewcomerProfile).filter_by(user_id=user.id)).one()


@pytest.fixture
def consultant(db_session):
    return make_user(Role.CONSULTANT, language="en")


@pytest.fixture
def newcomer(db_session, consultant):
    """A newcomer of the consultant's caseload: (user, profile, ref)."""
    user = make_user(Role.NEWCOMER, language="en")
    profile = profile_of(db_session, user)
    profile.consultant_id = consultant.id
    db_session.flush()
    return user, profile, f"newcomer-{profile.id}"
