"""Two people adding the same practical limit at the same moment store it once.

The kind is encrypted (security.md R39), so no unique constraint can catch a second row; the
save holds the profile's row instead. Each save runs as a write request does: its own thread,
session and transaction, released together by a barrier, on a SQLite file and on PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from marketplace import db
from marketplace.accounts.models import Role, User
from marketplace.newcomers.models import NewcomerLimit, NewcomerProfile, PracticalLimit
from marketplace.newcomers.profile_services import update_part
from marketplace.vocab import DutchLevel
from tests.concurrency import at_once

EDITORS = 6


def _newcomer(app) -> int:
    with app.app_context(), Session(app.extensions["db"].engine) as setup:
        user = User(email="n@example.nl", name="N", role=Role.NEWCOMER, language="nl")
        profile = NewcomerProfile(
            user=user, postcode="3511 AB", dutch_level=DutchLevel.A2, hours_available=16,
            max_travel_km=10,
        )  # fmt: skip
        setup.add_all([user, profile])
        setup.commit()
        return profile.id


def test_the_same_limit_saved_at_once_is_stored_once(race_app):
    profile_id = _newcomer(race_app)
    failures: list[BaseException] = []

    def save(ready) -> None:
        with race_app.test_request_context(method="POST"):
            session = db.session
            ready()  # all at once; each transaction starts after it
            try:
                profile = session.get(NewcomerProfile, profile_id)
                _ = list(profile.limits)  # as the editor's form saw them
                limits = {"limits": [PracticalLimit.NO_NIGHT_SHIFTS]}
                update_part(session, profile.user, profile, "limits", limits)
                session.commit()
            except BaseException as error:  # noqa: BLE001 (reported below)
                session.rollback()
                failures.append(error)

    at_once(save, [()] * EDITORS)

    assert failures == []
    with race_app.app_context(), Session(race_app.extensions["db"].engine) as check:
        kinds = check.scalars(sa.select(NewcomerLimit).filter_by(profile_id=profile_id)).all()
        assert [limit.kind for limit in kinds] == [PracticalLimit.NO_NIGHT_SHIFTS]
