"""Reading, cleaning and importing the real GeoNames NL postcode file, and ``flask geo``."""

from __future__ import annotations

import functools
import http.server
import threading
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from marketplace.geo.importer import (
    clean_geonames,
    fetch_geonames,
    import_postcodes,
    read_geonames,
)
from marketplace.geo.models import PostcodeArea
from marketplace.geo.services import haversine_km

DUTCH_PROVINCES = {
    "Drenthe", "Flevoland", "Fryslân", "Gelderland", "Groningen", "Limburg", "Noord-Brabant",
    "Noord-Holland", "Overijssel", "Utrecht", "Zeeland", "Zuid-Holland",
}  # fmt: skip

#: the PC4 codes with a far-away row in the file, and the place the PC4 really is
STRAY_PC4 = {
    "3523": "Utrecht",
    "8611": "Gaastmeer",
    "7571": "Oldenzaal",
    "2324": "Leiden",
    "3981": "Bunnik",
    "7887": "Emmer-Compascuum",
}


@pytest.fixture(scope="module")
def lines(geonames_file) -> list[str]:
    return geonames_file.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def areas(lines) -> dict[str, dict]:
    return {area["pc4"]: area for area in read_geonames(lines)}


def km_between(a: dict, b: dict) -> float:
    return haversine_km(a["latitude"], a["longitude"], b["latitude"], b["longitude"])


def count_areas(session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(PostcodeArea))


def test_one_area_per_real_pc4(areas):
    assert 4_050 <= len(areas) <= 4_120  # 4,084 in the 2024 file
    assert "9999" not in areas
    assert "1234" not in areas


def test_misplaced_rows_are_dropped(areas):
    assert areas["3523"]["place_name"] == "Utrecht"
    assert haversine_km(52.07, 5.1, areas["3523"]["latitude"], areas["3523"]["longitude"]) < 3
    codes = sorted(areas)
    for pc4, place in STRAY_PC4.items():
        index = codes.index(pc4)
        neighbours = [areas[codes[index - 1]], areas[codes[index + 1]]]
        assert min(km_between(areas[pc4], other) for other in neighbours) < 5, pc4
        assert areas[pc4]["place_name"] in {place, "Erica"}


def test_report_lists_every_dropped_row(lines):
    dropped = clean_geonames(lines).dropped
    assert len(dropped) == 13
    assert {row.pc4 for row in dropped} == {"9999", "1234", *STRAY_PC4}
    assert ("3523", "Ouddorp") in {(row.pc4, row.place_name) for row in dropped}


def test_a_new_stray_row_is_caught(lines):
    stray = "NL\t3511\tGroningen\tGroningen\t04\tGemeente Groningen\t0014\t\t\t53.2167\t6.5697\t"
    data = clean_geonames([*lines, stray])
    utrecht = next(area for area in data.areas if area["pc4"] == "3511")
    assert utrecht["place_name"] == "Utrecht"
    assert haversine_km(52.09, 5.12, utrecht["latitude"], utrecht["longitude"]) < 3
    assert [(row.pc4, row.place_name) for row in data.dropped][-1] == ("3511", "Groningen")


def test_pairs_of_far_apart_rows_are_judged_by_neighbouring_codes(lines):
    dropped = clean_geonames(lines, known_strays={}).dropped
    found = {(row.pc4, row.place_name) for row in dropped if row.pc4 not in {"9999", "1234"}}
    wrong = {("3523", "Ouddorp"), ("8611", "Emst"), ("7571", "2e Exloërmond")}
    wrong |= {("2324", "Amersfoort"), ("3981", "Zeewolde"), ("7887", "Collendoorn")}
    assert wrong <= found
    assert not {("3523", "Utrecht"), ("8611", "Gaastmeer"), ("2324", "Leiden")} & found


def test_voorne_aan_zee_fills_the_empty_rows(areas):
    for pc4 in ("3221", "3231", "3235", "3238"):
        assert areas[pc4]["municipality"] == "Voorne aan Zee"
        assert areas[pc4]["province"] == "Zuid-Holland"


def test_municipality_and_province_names_are_clean_and_dutch(areas):
    municipalities = {area["municipality"] for area in areas.values()}
    assert None not in municipalities
    assert not [m for m in municipalities if "gemeente" in m.lower() or "municip" in m.lower()]
    assert not [m for m in municipalities if m != m.strip(" .") or "  " in m]
    assert {"Groningen", "Ameland", "Katwijk", "Kaag en Braassem", "Utrecht"} <= municipalities
    assert {area["province"] for area in areas.values()} == DUTCH_PROVINCES
    assert areas["1011"]["province"] == "Noord-Holland"
    assert areas["8611"]["province"] == "Fryslân"


def test_a_file_that_is_not_geonames_is_refused():
    with pytest.raises(ValueError, match="line 2"):
        read_geonames(["", "postcode,city,lat,lon", "1011,Amsterdam,52.37,4.9"])


def test_windows_line_endings_and_blank_lines_are_fine(lines):
    assert len(read_geonames([line + "\r\n" for line in lines[:50]] + ["", ""])) > 40


def test_import_replaces_all_areas(db_session, lines):
    assert import_postcodes(db_session, read_geonames(lines)) == count_areas(db_session)
    assert 4_050 <= count_areas(db_session) <= 4_120

    assert import_postcodes(db_session, read_geonames(lines[:10])) == 10
    assert count_areas(db_session) == 10


def test_import_is_a_bulk_insert(db_session, lines):
    rows = read_geonames(lines)
    statements = []

    def count(*args) -> None:
        statements.append(args)

    connection = db_session.connection()
    sa.event.listen(connection, "before_cursor_execute", count)
    try:
        import_postcodes(db_session, rows)
    finally:
        sa.event.remove(connection, "before_cursor_execute", count)
    assert len(statements) < 20  # not one INSERT per postcode


def zip_of(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "NL.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("NL.txt", "\n".join(lines))
        archive.writestr("readme.txt", "GeoNames")
    return path


@pytest.fixture
def web(tmp_path):
    """A web server on 127.0.0.1 that serves the files in tmp_path; yields its address."""
    handler = functools.partial(QuietFiles, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def test_fetch_reads_nl_txt_from_the_zip(tmp_path, lines, web):
    name = zip_of(tmp_path, lines[:5]).name
    assert fetch_geonames(f"{web}/{name}") == lines[:5]


def test_fetch_explains_a_failed_download(tmp_path, web):
    with pytest.raises(RuntimeError, match="Could not download .* flask geo import PATH"):
        fetch_geonames(f"{web}/missing.zip")
    (tmp_path / "page.html").write_text("<html>Not found</html>")
    with pytest.raises(RuntimeError, match="not a zip archive"):
        fetch_geonames(f"{web}/page.html")


def test_fetch_opens_web_addresses_only(tmp_path, lines):
    with pytest.raises(RuntimeError, match="is not a web address"):
        fetch_geonames(zip_of(tmp_path, lines[:5]).as_uri())


def test_cli_imports_the_file_and_measures_a_distance(runner, db_session, geonames_file):
    result = runner.invoke(args=["geo", "import", str(geonames_file)])
    assert result.exit_code == 0, result.output
    assert "Imported 4,0" in result.output
    assert "dropped 13 stray rows" in result.output
    assert 4_050 <= count_areas(db_session) <= 4_120

    result = runner.invoke(args=["geo", "distance", "3511AB", "3811AB"])
    assert result.exit_code == 0, result.output
    assert 18 < float(result.output.split()[0]) < 23


def test_cli_imports_a_zip_and_lists_dropped_rows(runner, db_session, tmp_path, lines):
    result = runner.invoke(args=["geo", "import", "-v", str(zip_of(tmp_path, lines))])
    assert result.exit_code == 0, result.output
    assert "dropped 3523 Ouddorp: known stray row" in result.output


def test_cli_keeps_the_data_when_the_file_is_empty(runner, db_session, tmp_path, lines):
    import_postcodes(db_session, read_geonames(lines))
    empty = tmp_path / "NL.txt"
    empty.write_text("\n")
    result = runner.invoke(args=["geo", "import", str(empty)])
    assert result.exit_code == 1
    assert "nothing was imported" in result.output
    assert count_areas(db_session) > 4_000


def test_cli_downloads_the_configured_url(
    app, runner, db_session, tmp_path, lines, monkeypatch, web
):
    name = zip_of(tmp_path, lines[:100]).name
    monkeypatch.setitem(app.config, "GEONAMES_URL", f"{web}/{name}")
    result = runner.invoke(args=["geo", "import"])
    assert result.exit_code == 0, result.output
    assert 90 <= count_areas(db_session) <= 100


def test_cli_reports_being_offline(app, runner, tmp_path, monkeypatch, web):
    monkeypatch.setitem(app.config, "GEONAMES_URL", f"{web}/NL.zip")
    result = runner.invoke(args=["geo", "import"])
    assert result.exit_code == 1
    assert "Could not download" in result.output


def test_cli_distance_explains_bad_input(runner, db_session):
    result = runner.invoke(args=["geo", "distance", "3511AB", "hello"])
    assert result.exit_code == 1
    assert "'hello' is not a Dutch postcode" in result.output
    result = runner.invoke(args=["geo", "distance", "3511AB", "3811AB"])
    assert result.exit_code == 1
    assert "flask geo import" in result.output


def test_cli_if_empty_leaves_loaded_data_alone(runner, db_session, geonames_file, tmp_path, lines):
    assert runner.invoke(args=["geo", "import", str(geonames_file)]).exit_code == 0
    before = db_session.query(PostcodeArea).count()
    result = runner.invoke(args=["geo", "import", "--if-empty", str(zip_of(tmp_path, lines[:5]))])
    assert result.exit_code == 0
    assert "loaded already" in result.output
    assert db_session.query(PostcodeArea).count() == before
