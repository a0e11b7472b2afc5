"""The figures on PostgreSQL: days between dates and the window functions are written per
database (``day_number``), so the hand-built data set must give the same answers there."""

from __future__ import annotations

import pytest

from marketplace import db
from marketplace.dashboards import place_figures, progress_figures
from marketplace.dashboards.figures import Scope, ladder_movement, time_to_placement
from tests.conftest import rolled_back
from tests.dashboards.dataset import TODAY, add_newcomer_with_two_outcomes, build
from tests.postgres import migrated_postgres_app


@pytest.mark.postgres
def test_the_figures_are_the_same_on_postgresql(tmp_path):
    with migrated_postgres_app(tmp_path) as app, rolled_back(app), app.app_context():
        dbs = db._get_session()
        data = build(dbs)
        scope = Scope(consultant_id=data.consultant_a.id)
        time = time_to_placement(dbs, scope, TODAY)
        assert (time.buckets, time.median_days) == ((1, 1, 1, 0, 0), 50)
        assert (time.placed, time.without_start, time.not_placed) == (3, 1, 1)
        ladder = ladder_movement(dbs, scope, TODAY)
        assert (ladder.up, ladder.same, ladder.down, ladder.one_step) == (1, 1, 1, 1)
        work = progress_figures.work_or_education(dbs, scope, TODAY)
        assert (work.moments[0].either, work.durable) == (2, 1)
        add_newcomer_with_two_outcomes(dbs, data)
        work = progress_figures.work_or_education(dbs, scope, TODAY)
        assert [(m.recorded, m.either) for m in work.moments] == [(4, 3), (2, 2)]
        assert progress_figures.map_hours(dbs, scope, TODAY).hours_done == 75
        feedback = place_figures.feedback_figures(dbs, scope, TODAY)
        assert [o.name for o in feedback.organisations] == ["=SUM(A1)", "@Keukens"]
        assert place_figures.review_waiting(dbs, scope, TODAY).oldest_days == 40
