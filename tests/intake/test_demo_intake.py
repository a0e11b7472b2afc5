"""The demo newcomers each had a first conversation, on the day of their starting rung."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.demo.services import load_demo
from marketplace.newcomers.models import Intake, LadderContext, LadderStep, NewcomerProfile
from tests.intake.conftest import TODAY


def test_every_demo_newcomer_has_one_first_conversation(db_session):
    load_demo(db_session, TODAY)
    db_session.expire_all()
    profiles = list(db_session.scalars(sa.select(NewcomerProfile)))
    intakes = {intake.profile_id: intake for intake in db_session.scalars(sa.select(Intake))}
    starts = {
        step.profile_id: step
        for step in db_session.scalars(
            sa.select(LadderStep).where(LadderStep.context == LadderContext.INTAKE)
        )
    }

    assert set(intakes) == set(starts) == {profile.id for profile in profiles}
    for profile in profiles:
        intake = intakes[profile.id]
        assert intake.held_on == starts[profile.id].recorded_on <= TODAY
        assert intake.recorded_by_id == profile.consultant_id
        assert intake.what_matters and intake.capabilities and intake.agreements
