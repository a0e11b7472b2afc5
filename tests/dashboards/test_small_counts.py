"""Small counts in the municipality's view: hidden, and never to be worked out from a total,
a complement or a share. Each data set is hand-built in Zeist with exactly one small count."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest

from marketplace.accounts.models import Role
from marketplace.dashboards.figures import Scope
from marketplace.dashboards.progress_figures import Situation
from marketplace.dashboards.tables import HIDDEN, protect, share
from marketplace.placements.models import OutcomeResult
from marketplace.placements.models import PlacementStatus as S
from tests.dashboards.dataset import TODAY, _intake, _ladder, _newcomer, _outcome, _placement, _plan
from tests.dashboards.test_exports import read_csv
from tests.dashboards.test_pages import _section, chart_values, table_rows
from tests.factories import make_organisation, make_place, make_user

ZEIST = Scope(municipality="Zeist")
CASELOAD = Scope(consultant_id=1)
EXPORTS = "/dashboards/municipality"
NO_FIGURE = "–no figure"  # a table cell: the dash, then the words for screen readers


@pytest.fixture
def zeist(app, db_session, monkeypatch):
    """Makes newcomers in Zeist, the only municipality of the test."""
    monkeypatch.setitem(app.config, "FIXED_TODAY", TODAY.isoformat())
    consultant = make_user(Role.CONSULTANT, language="en")

    def newcomers(count: int):
        profiles = [_newcomer(db_session, consultant, "Zeist") for _ in range(count)]
        db_session.flush()
        return profiles

    return newcomers


@pytest.fixture
def place():
    return make_place(make_organisation())


@pytest.fixture
def municipality_page(client, auth):
    def fetch(key: str) -> str:
        auth.login(make_user(Role.ADMIN, language="en").email)
        response = client.get("/dashboards/municipality?municipality=Zeist")
        assert response.status_code == 200
        return _section(response.get_data(as_text=True), key)

    return fetch


def facts(section: str) -> dict[str, str]:
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", section, re.S)
    return {unescape(term): unescape(value) for term, value in pairs}


def test_a_protected_figure_is_not_shown_when_one_of_its_counts_is_hidden():
    assert protect(4, [3, 1], ZEIST) is None
    assert protect(2, [1, 1], ZEIST) is HIDDEN
    assert protect(3, [3, 0, 0], ZEIST) == 3  # a zero gives nobody away
    assert protect(4, [3, 1], CASELOAD) == 4  # the consultant knows their newcomers


def test_a_share_is_not_shown_when_the_part_or_the_rest_is_one_or_two():
    assert share(9, 10, ZEIST) is None  # 90 % of 10: one person is the rest
    assert share(1, 10, ZEIST) is None
    assert share(5, 10, ZEIST) == 50
    assert share(None, 10, ZEIST) is None and share(HIDDEN, 10, ZEIST) is None
    assert share(0, 0, ZEIST) is None
    assert share(9, 10, CASELOAD) == 90


def test_the_groups_of_a_follow_up_moment_add_up_to_each_count():
    six = Situation(6, recorded=8, paid_work=4, education=4, either=7)
    assert six.groups == {"paid_only": 3, "education_only": 3, "both": 1, "neither": 1}
    for name in ("recorded", "paid_work", "education", "either"):
        assert sum(six.parts(name)) == getattr(six, name)
        assert protect(getattr(six, name), six.parts(name), ZEIST) is None  # all hold "both"


def test_all_placements_is_not_shown_when_one_state_is_hidden(
    db_session, zeist, place, municipality_page
):
    for profile in zeist(3):
        _placement(db_session, profile, place, S.ACTIVE, approved=date(2026, 5, 1))
    (last,) = zeist(1)
    _placement(db_session, last, place, S.COMPLETED, approved=date(2026, 3, 1))
    section = municipality_page("placements")
    rows = dict(table_rows(section, "placements"))
    assert (rows["Running"], rows["Completed"]) == ("3", "fewer than 3")
    assert facts(section)["All placements"] == "no figure"  # 4 would give the 1 away


def test_newcomers_with_a_placement_is_not_shown_when_one_time_is_hidden(
    db_session, zeist, place, municipality_page
):
    quick, slow = zeist(3), zeist(1)
    for profiles, days in ((quick, 10), (slow, 40)):
        for profile in profiles:
            _intake(db_session, profile, date(2026, 1, 1))
            approved = date(2026, 1, 1) + timedelta(days=days)
            _placement(db_session, profile, place, S.ACTIVE, approved=approved)
    section = municipality_page("time")
    buckets = dict(table_rows(section, "time-to-placement"))
    assert (buckets["Less than 1 month"], buckets["1 to 3 months"]) == ("3", "fewer than 3")
    assert facts(section)["Newcomers with a placement"] == "no figure"


def test_the_ladder_summary_is_not_shown_where_a_cell_of_the_six_by_six_is_hidden(
    db_session, zeist, municipality_page
):
    for profile in zeist(3):
        _ladder(db_session, profile, (date(2026, 1, 1), 1), (date(2026, 6, 1), 2))
    (higher,) = zeist(1)
    _ladder(db_session, higher, (date(2026, 1, 1), 1), (date(2026, 6, 1), 3))
    section = municipality_page("ladder")
    movement = table_rows(section, "ladder-movement")
    assert movement[0][1:4] == ["0", "3", "fewer than 3"]  # from step 1 to 1, 2 and 3
    summary = dict(table_rows(section, "ladder-summary"))
    assert summary == {"Moved up": NO_FIGURE, "Same step": "0", "Moved down": "0"}  # not 4
    assert chart_values(section) == ["no figure", "0", "0"]


def _work_data(db_session, zeist, place) -> None:
    """Ten newcomers followed up after 6 months: nine in paid work, one neither."""
    profiles = zeist(10)
    for n, profile in enumerate(profiles):
        placement = _placement(db_session, profile, place, S.COMPLETED, approved=date(2026, 1, 5))
        working = n < 9
        result = OutcomeResult.PAID_JOB if working else OutcomeResult.STOPPED
        _outcome(db_session, placement, result, (6, working, False))


def test_the_follow_ups_done_and_the_share_hide_one_newcomer_neither_working_nor_learning(
    db_session, zeist, place, municipality_page
):
    _work_data(db_session, zeist, place)
    section = municipality_page("work")
    assert table_rows(section, "work-education") == [
        ["Follow-ups done", NO_FIGURE, "0"],  # 10 minus 9 would be the one
        ["In paid work", "9", "0"],
        ["In education", "0", "0"],
        ["Paid work or education", "9", "0"],
    ]
    shares = table_rows(section, "work-education-share")
    assert shares == [["After 6 months", NO_FIGURE], ["After 12 months", NO_FIGURE]]
    assert "90" not in section
    assert facts(section)["Durable work: still in paid work after 6 months"] == "no figure"


def test_the_export_has_the_same_hidden_cells(client, auth, db_session, zeist, place):
    _work_data(db_session, zeist, place)
    auth.login(make_user(Role.ADMIN, language="en").email)
    counts = read_csv(client.get(f"{EXPORTS}/work-education.csv?municipality=Zeist").data)
    assert counts[1] == ["Follow-ups done", "", "0"]
    shares = read_csv(client.get(f"{EXPORTS}/work-education-share.csv?municipality=Zeist").data)
    assert shares[1] == ["After 6 months", ""]


def test_newcomers_with_the_map_is_not_shown_when_one_band_is_hidden(
    db_session, zeist, municipality_page
):
    for profile in zeist(3):
        _plan(db_session, profile, 1, True, 40, 40)
    (starting,) = zeist(1)
    _plan(db_session, starting, 1, True, 0, 40)
    db_session.flush()
    section = municipality_page("map")
    bands = dict(table_rows(section, "map-hours"))
    assert (bands["No hours yet"], bands["All hours done"]) == ("fewer than 3", "3")
    assert facts(section)["Newcomers with the MAP in their plan"] == "no figure"
