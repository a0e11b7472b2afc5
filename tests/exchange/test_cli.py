"""`flask data import/export`: the summary, the errors, the exit status and the progress bar."""

from __future__ import annotations

import json

from marketplace.exchange import cli
from tests.exchange.sample import count, sample_document, write


def test_import_prints_a_summary_per_kind(db_session, runner, tmp_path):
    path = write(tmp_path, sample_document())
    result = runner.invoke(args=["data", "import", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Imported sample.json (run ")
    assert lines[1:] == [
        "  organisations: 3 created, 0 updated, 0 unchanged",
        "  places: 6 created, 0 updated, 0 unchanged",
        "  newcomers: 3 created, 0 updated, 0 unchanged",
    ]
    assert result.stderr == ""  # no progress bar for a small document

    edited = sample_document()
    edited["places"][2]["spots"] = 5
    again = runner.invoke(args=["data", "import", str(write(tmp_path, edited))])
    assert again.stdout.splitlines()[1:] == [
        "  organisations: 0 created, 0 updated, 3 unchanged",
        "  places: 0 created, 1 updated, 5 unchanged",
        "  newcomers: 0 created, 0 updated, 3 unchanged",
    ]


def test_import_lists_every_problem_and_exits_non_zero(db_session, runner, tmp_path):
    document = sample_document()
    document["places"][0]["hours_max"] = 41
    document["newcomers"][1]["colour"] = "blue"
    result = runner.invoke(args=["data", "import", str(write(tmp_path, document, "bad.json"))])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "places[0] (ref pl-1), field hours_max: must be at most 40, got 41",
        "newcomers[1] (ref nc-2), field colour: unknown key in newcomers",
        "Error: bad.json was rejected with 2 problem(s); nothing was imported.",
    ]
    assert result.stdout == ""
    assert count(db_session, "organisation") == 0


def test_import_of_a_missing_file_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(args=["data", "import", str(tmp_path / "nowhere.json")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_a_large_document_shows_a_progress_bar(db_session, runner, tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "PROGRESS_FROM", 10)
    result = runner.invoke(args=["data", "import", str(write(tmp_path, sample_document()))])
    assert result.exit_code == 0, result.output
    assert "Importing" in result.stderr


def test_a_large_document_imports(db_session, runner, tmp_path):
    document = sample_document()
    template = document["places"][0]
    document["places"] = [{**template, "ref": f"pl-{n}"} for n in range(1200)]
    result = runner.invoke(args=["data", "import", str(write(tmp_path, document))])
    assert result.exit_code == 0, result.output
    assert "  places: 1200 created, 0 updated, 0 unchanged" in result.stdout
    again = runner.invoke(args=["data", "import", str(write(tmp_path, document))])
    assert "  places: 0 created, 0 updated, 1200 unchanged" in again.stdout


def test_export_of_an_empty_database(db_session, runner, tmp_path):
    path = tmp_path / "empty.json"
    result = runner.invoke(args=["data", "export", str(path)])
    assert result.exit_code == 0
    assert json.loads(path.read_text()) == {
        "format": "participation-marketplace/v1",
        "organisations": [],
        "places": [],
        "newcomers": [],
    }


def test_export_to_a_missing_directory_fails_cleanly(db_session, runner, tmp_path):
    result = runner.invoke(args=["data", "export", str(tmp_path / "nowhere" / "x.json")])
    assert result.exit_code == 1
    assert "Error: Cannot write" in result.stderr and "No such file or directory" in result.stderr
    assert count(db_session, "audit_event") == 0
