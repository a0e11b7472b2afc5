"""Exports: each table as CSV and XLSX, read back; formula text escaped; audited; 404s."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEvent
from marketplace.dashboards.exports import safe_cell
from tests.dashboards.dataset import TODAY, build
from tests.factories import make_user


@pytest.fixture
def data(app, db_session, monkeypatch):
    monkeypatch.setitem(app.config, "FIXED_TODAY", TODAY.isoformat())
    return build(db_session)


@pytest.fixture
def consultant(auth, data):
    auth.login(data.consultant_a.email)
    return data.consultant_a


def read_csv(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the file as UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(body: bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    return sheet, [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+31 keuken", "'+31 keuken"),
        ("-Bakkerij", "'-Bakkerij"),
        ("@Keukens", "'@Keukens"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("Soep = lekker", "Soep = lekker"),
    ],
)
def test_text_that_starts_like_a_formula_gets_a_quote(text, safe):
    assert safe_cell(text) == safe


def test_control_characters_are_left_out_before_the_formula_check():
    assert safe_cell("Keuken\x0bDe Ruil\x00") == "KeukenDe Ruil"
    assert safe_cell("\x0b=SUM(A1)") == "'=SUM(A1)"
    assert safe_cell("Soep\tbar\nZeist") == "Soep\tbar\nZeist"  # tab and new line are fine


def test_a_name_with_a_control_character_exports_in_both_formats(
    client, db_session, data, consultant
):
    data.organisations["evil"].name = "Keuken\x0bDe Ruil"
    data.place_x.title = "Soep\x0bbar"
    db_session.flush()
    response = client.get("/dashboards/caseload/feedback-places.xlsx")
    assert response.status_code == 200
    _sheet, rows = read_xlsx(response.data)
    assert rows[1][:2] == ["Soepbar", "KeukenDe Ruil"]
    response = client.get("/dashboards/caseload/feedback-organisations.csv")
    assert response.status_code == 200
    assert read_csv(response.data)[1][0] == "KeukenDe Ruil"


def test_numbers_stay_numbers_and_nothing_stays_empty():
    assert safe_cell(-3) == -3 and safe_cell(2.5) == 2.5 and safe_cell(None) == ""


def test_csv_round_trip_holds_the_table_with_names_escaped(client, consultant):
    response = client.get("/dashboards/caseload/feedback-places.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response.data)
    assert rows[0][:4] == ["Place", "Organisation", "Newcomers who answered", "Meaningful"]
    assert rows[1] == ["'+31 keuken", "'=SUM(A1)", "3", "2,3", "", "", "4,3", "100", "Yes"]
    organisations = read_csv(client.get("/dashboards/caseload/feedback-organisations.csv").data)
    assert [row[0] for row in organisations[1:]] == ["'=SUM(A1)", "'@Keukens"]


def test_xlsx_round_trip_has_a_bold_header_numbers_and_escaped_names(client, consultant):
    response = client.get("/dashboards/caseload/feedback-places.xlsx")
    assert response.status_code == 200
    sheet, rows = read_xlsx(response.data)
    assert sheet.title == "feedback-places"
    assert all(cell.font.bold for cell in sheet[1]) and not sheet["A2"].font.bold
    assert rows[1] == ["'+31 keuken", "'=SUM(A1)", 3, 2.3, None, None, 4.3, 100, "Yes"]
    assert sheet["B2"].data_type == "s"  # text, not a formula
    _sheet, placements = read_xlsx(client.get("/dashboards/caseload/placements.xlsx").data)
    assert placements[0] == ["State", "Placements"]
    assert dict(placements[1:])["Running"] == 2


def test_each_table_on_the_page_can_be_downloaded(client, consultant):
    page = client.get("/dashboards/caseload").get_data(as_text=True)
    for name in (
        "placements",
        "time-to-placement",
        "ladder-summary",
        "ladder-movement",
        "work-education",
        "work-education-share",
        "map-hours",
        "feedback-places",
        "feedback-organisations",
        "review-waiting",
    ):
        for fmt in ("csv", "xlsx"):
            url = f"/dashboards/caseload/{name}.{fmt}"
            assert f'href="{url}"' in page
            assert client.get(url).status_code == 200, url


def test_the_ladder_table_exports_six_by_six(client, consultant):
    rows = read_csv(client.get("/dashboards/caseload/ladder-movement.csv").data)
    assert rows[0] == ["From step", "To 1", "To 2", "To 3", "To 4", "To 5", "To 6"]
    assert len(rows) == 7 and all(len(row) == 7 for row in rows)
    assert rows[2][4] == "1"  # from 2 to 4
    assert rows[4][2] == "1"  # from 4 to 2


def test_the_municipality_export_hides_small_counts_too(client, auth, data):
    admin = make_user(Role.ADMIN, language="en")
    auth.login(admin.email)
    rows = read_csv(client.get("/dashboards/municipality/placements.csv?municipality=Utrecht").data)
    assert dict(rows[1:])["Ended early"] == "fewer than 3"
    _sheet, cells = read_xlsx(client.get("/dashboards/municipality/placements.xlsx").data)
    assert dict(cells[1:])["Running"] == 3  # all municipalities: three


def test_every_export_is_written_to_the_audit_log(client, db_session, consultant):
    client.get("/dashboards/caseload/map-hours.xlsx")
    db_session.expire_all()
    event = db_session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "dashboard_exported")
    ).one()
    assert event.actor_id == consultant.id
    assert event.detail == {
        "table": "map-hours",
        "scope": "caseload",
        "format": "xlsx",
        "municipality": None,
    }


@pytest.mark.parametrize(
    "url",
    [
        "/dashboards/caseload/salaries.csv",
        "/dashboards/caseload/placements.pdf",
        "/dashboards/everyone/placements.csv",
        "/dashboards/municipality/placements.csv?municipality=Atlantis",
    ],
)
def test_an_unknown_table_format_scope_or_municipality_is_404(client, db_session, consultant, url):
    assert client.get(url).status_code == 404
    count = sa.select(sa.func.count()).where(AuditEvent.action == "dashboard_exported")
    assert db_session.scalar(count) == 0


def test_an_admin_has_no_caseload_to_export(client, auth, data):
    admin = make_user(Role.ADMIN, language="en")
    auth.login(admin.email)
    assert client.get("/dashboards/caseload/placements.csv").status_code == 404
    assert client.get("/dashboards/municipality/placements.csv").status_code == 200
