"""The dashboard pages: a chart and a table with the same numbers, scope, hidden small counts."""

from __future__ import annotations

import itertools
import re
from html import unescape

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role
from tests.dashboards.dataset import TODAY, build
from tests.factories import make_user


@pytest.fixture
def data(app, db_session, monkeypatch):
    monkeypatch.setitem(app.config, "FIXED_TODAY", TODAY.isoformat())
    return build(db_session)


def _section(page: str, key: str) -> str:
    start = page.index(f'aria-labelledby="{key}-heading"')
    return page[start : page.index("</section>", start)]


def chart_values(section: str) -> list[str]:
    """The words at the end of each bar of the section's chart."""
    return [unescape(t) for t in re.findall(r'class="chart__value"[^>]*>([^<]*)<', section)]


def table_rows(section: str, name: str) -> list[list[str]]:
    """The cells of one table (header cells of rows included), as text."""
    start = section.index(f'id="table-{name}"')
    body = section[section.index("<tbody>", start) : section.index("</tbody>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    cell = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)
    text = re.compile(r"<[^>]+>")
    return [[unescape(text.sub("", c)).strip() for c in cell.findall(row)] for row in rows]


def test_the_consultant_sees_charts_and_tables_with_the_same_numbers(client, auth, data):
    auth.login(data.consultant_a.email)
    response = client.get("/dashboards/caseload")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count('role="img"') == 7
    placements = _section(page, "placements")
    assert '<title id="chart-placements-title">Placements by state</title>' in placements
    rows = table_rows(placements, "placements")
    assert chart_values(placements) == [count for _state, count in rows]
    assert dict(rows) == {
        "Interest shown": "1",
        "Proposed": "0",
        "Introduction planned": "0",
        "Accepted by the place": "0",
        "Approved": "0",
        "Running": "2",
        "Completed": "2",
        "Ended early": "1",
        "Declined": "0",
        "Withdrawn": "0",
    }
    time = _section(page, "time")
    assert (
        chart_values(time)
        == ["1", "1", "1", "0", "0"]
        == [c for _, c in table_rows(time, "time-to-placement")]
    )
    assert "50 days" in time
    work = _section(page, "work")
    assert table_rows(work, "work-education") == [
        ["Follow-ups done", "3", "1"],
        ["In paid work", "1", "1"],
        ["In education", "1", "0"],
        ["Paid work or education", "2", "1"],
    ]
    shares = table_rows(work, "work-education-share")
    assert shares == [["After 6 months", "67%"], ["After 12 months", "100%"]]
    assert chart_values(work) == ["67%", "100%"]
    assert "1 of 3" in work  # durable work


def test_every_table_has_a_caption_and_the_headings_stay_in_order(client, auth, data):
    auth.login(data.consultant_a.email)
    page = client.get("/dashboards/caseload").get_data(as_text=True)
    main = page[page.index("<main") : page.index("</main>")]
    captions = re.findall(r'<table [^>]*>\s*<caption id="table-([\w-]+)">([^<]+)</caption>', main)
    assert len(captions) == main.count("<table ") == 10
    assert ("placements", "Placements by state") in captions
    assert 'role="region" aria-labelledby="table-ladder-movement"' in main  # a wide one
    levels = [int(n) for n in re.findall(r"<h([1-6])\b", main)]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert levels.count(2) == 7  # one heading per section, none per table


def test_the_caseload_page_counts_no_newcomer_of_another_consultant(client, auth, data):
    auth.login(data.consultant_b.email)
    page = client.get("/dashboards/caseload").get_data(as_text=True)
    ladder = _section(page, "ladder")
    assert table_rows(ladder, "ladder-summary") == [
        ["Moved up", "1"],
        ["Same step", "0"],
        ["Moved down", "0"],
    ]
    assert dict(table_rows(_section(page, "placements"), "placements"))["Running"] == "1"


def test_the_feedback_table_flags_a_poor_place_and_its_chart_shows_both_scores(client, auth, data):
    auth.login(data.consultant_a.email)
    feedback = _section(client.get("/dashboards/caseload").get_data(as_text=True), "feedback")
    assert table_rows(feedback, "feedback-places") == [
        ["+31 keuken", "=SUM(A1)", "3", "2.3", "–no figure", "–no figure", "4.3", "100%", "Yes"]
    ]
    assert chart_values(feedback) == ["2.3", "4.3"]
    assert [row[0] for row in table_rows(feedback, "feedback-organisations")] == [
        "=SUM(A1)",
        "@Keukens",
    ]


def test_the_municipality_page_hides_counts_of_one_or_two_people(client, auth, data):
    admin = make_user(Role.ADMIN, language="en")
    auth.login(admin.email)
    response = client.get("/dashboards/municipality?municipality=Utrecht")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "A count of 1 or 2 people shows as “fewer than 3”" in page
    assert "A total or a share that would give such a count away shows no figure." in page
    rows = dict(table_rows(_section(page, "placements"), "placements"))
    assert (rows["Running"], rows["Ended early"], rows["Proposed"]) == (
        "fewer than 3",
        "fewer than 3",
        "0",
    )
    placements = _section(page, "placements")
    assert chart_values(placements).count("fewer than 3") == 4
    assert "fewer than 3" in _section(page, "time")
    for profile in data.newcomers:
        assert profile.user.name not in page
    assert "?municipality=Utrecht" in page  # the downloads keep the filter
    assert 'href="/review/"' not in page  # the review queue is for consultants


def test_the_municipality_page_for_all_and_for_one_municipality(client, auth, data):
    auth.login(data.consultant_a.email)
    page = client.get("/dashboards/municipality").get_data(as_text=True)
    assert '<option value="Amersfoort">Amersfoort</option>' in page
    assert 'href="/review/"' in page
    everyone = dict(table_rows(_section(page, "placements"), "placements"))
    assert everyone["Running"] == "3"
    page = client.get("/dashboards/municipality?municipality=Amersfoort").get_data(as_text=True)
    assert dict(table_rows(_section(page, "placements"), "placements"))["Running"] == "fewer than 3"


def test_an_unknown_municipality_is_refused_at_the_field(client, auth, data):
    auth.login(data.consultant_a.email)
    response = client.get("/dashboards/municipality?municipality=Atlantis")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose a municipality from the list." in page
    assert 'aria-invalid="true"' in page and 'role="img"' not in page


def test_the_dashboards_are_linked_for_consultants_and_admins(client, auth, data):
    auth.login(data.consultant_a.email)
    page = client.get("/dashboards/caseload").get_data(as_text=True)
    assert 'href="/dashboards/caseload">Dashboard</a>' in page
    auth.logout()
    admin = make_user(Role.ADMIN, language="en")
    auth.login(admin.email)
    page = client.get("/admin/").get_data(as_text=True)
    assert 'href="/dashboards/municipality"' in page
    assert 'href="/dashboards/caseload"' not in page


def test_an_empty_caseload_shows_zeros_and_no_broken_chart(client, auth, db_session):
    consultant = make_user(Role.CONSULTANT, language="en")
    auth.login(consultant.email)
    response = client.get("/dashboards/caseload")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "No figures yet." in _section(page, "feedback")
    assert table_rows(_section(page, "map"), "map-hours")[0] == ["No hours yet", "0"]
    assert "<dt>Median time</dt><dd>no figure</dd>" in _section(page, "time")


def _queries_for(app, client, url: str) -> int:
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = app.extensions["db"].engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return len(statements)


@pytest.mark.parametrize("url", ["/dashboards/caseload", "/dashboards/municipality"])
def test_a_page_asks_the_same_few_queries_however_many_newcomers(
    app, client, auth, db_session, data, url
):
    auth.login(data.consultant_a.email)
    before = _queries_for(app, client, url)
    for profile in build(db_session).newcomers:  # as many newcomers again, in this caseload
        profile.consultant_id = data.consultant_a.id
    db_session.flush()
    assert _queries_for(app, client, url) == before
    assert before <= 20
