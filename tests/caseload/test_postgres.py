"""The caseload's SQL on PostgreSQL: the start of the route (a date made from a timestamp) and
the latest check-in per placement (a window function) must give what they give on SQLite."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from marketplace import db
from marketplace.newcomers.caseload import route_started_on
from marketplace.newcomers.models import Intake, NewcomerProfile
from marketplace.notices.consultants import send_consultant_reminders
from marketplace.notices.models import Notice
from marketplace.placements.models import PlacementStatus as S
from tests.caseload.records import (
    TODAY,
    WEEKS,
    check_in,
    consultant,
    days,
    intake,
    needs,
    newcomer_of,
    placement,
    plan,
)
from tests.conftest import rolled_back
from tests.postgres import migrated_postgres_app


@pytest.mark.postgres
def test_the_caseload_rules_are_the_same_on_postgresql(tmp_path):
    with migrated_postgres_app(tmp_path) as app, rolled_back(app), app.app_context():
        me = consultant()
        by_intake = newcomer_of(me, integration_started_on=days(-300), joined=days(-400))
        intake(by_intake, days(-200))
        by_joining = newcomer_of(me, joined=days(-400))
        query = (
            sa.select(NewcomerProfile.id, route_started_on())
            .outerjoin(Intake, Intake.profile_id == NewcomerProfile.id)
            .where(NewcomerProfile.consultant_id == me.id)
        )
        started = dict(db.session.execute(query).all())
        assert started == {by_intake.id: days(-200), by_joining.id: days(-400)}

        first = newcomer_of(me)
        plan(first)
        new = placement(first, S.ACTIVE, started_on=days(-28))
        talked = newcomer_of(me)
        plan(talked)
        active = placement(talked, S.ACTIVE, started_on=days(-90))
        check_in(active, days(-60), next_on=days(-40))
        latest = check_in(active, days(-28), next_on=None)
        assert send_consultant_reminders(db.session, TODAY, WEEKS) == 2
        keys = db.session.scalars(sa.select(Notice.key).where(Notice.user_id == me.id))
        assert sorted(keys) == sorted(
            [f"first_check_in:{new.id}:{TODAY}:0", f"check_in:{latest.id}:{TODAY}:0"]
        )
        assert ("check_in", "OVERDUE", TODAY) in needs(first, today=days(1))
        assert ("no_placement", "OVERDUE", days(-400)) in needs(by_joining)
