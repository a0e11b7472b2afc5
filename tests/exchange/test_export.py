"""Exporting: only the spec's keys, re-importable, and a round trip gives back the same data."""

from __future__ import annotations

import json
import stat

import pytest
import sqlalchemy as sa

from marketplace import db, migrate
from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEvent
from marketplace.exchange.exporter import export_document
from marketplace.exchange.importer import import_document
from marketplace.exchange.schema import SPECS, validate_document
from marketplace.places.models import PlaceStatus
from tests.conftest import make_test_app
from tests.exchange.sample import sample_document
from tests.factories import make_organisation, make_place, make_user


@pytest.fixture
def empty_app(tmp_path):
    """A second app on its own empty, migrated database."""
    other = make_test_app(f"sqlite:///{tmp_path / 'empty.sqlite3'}", tmp_path / "other")
    with other.app_context():
        migrate.upgrade(app=other)
    yield other
    other.extensions["db"].engine.dispose()


def _import_into(app, document) -> None:
    with app.app_context():
        session = db._get_session()
        import_document(session, json.dumps(document).encode(), "export.json")
        session.commit()


def _export_from(app) -> dict:
    with app.app_context():
        return export_document(db._get_session()).document


def _import(dbs, document):
    import_document(dbs, json.dumps(document).encode(), "sample.json")


def test_export_then_import_into_an_empty_database_gives_the_same_data(db_session, empty_app):
    _import(db_session, sample_document())
    first = export_document(db_session).document
    _import_into(empty_app, first)
    assert _export_from(empty_app) == first


def test_the_export_is_the_document_in_its_stored_form(db_session):
    _import(db_session, sample_document())
    document = export_document(db_session).document
    expected = sample_document()
    for org in expected["organisations"]:
        org.setdefault("verified", True)
    expected["organisations"][0]["postcode"] = "3511 AB"
    for place in expected["places"]:
        place.setdefault("status", "published")
        for key in ("skills_wanted", "skills_learned", "education_offered", "languages"):
            place.setdefault(key, [])
        place.setdefault("remote", False)
        place.setdefault("mentor", False)
        if place["postcode"] is None:
            del place["postcode"]
    expected["places"][1]["postcode"] = "3512 CD"
    for newcomer in expected["newcomers"]:
        for key in ("languages", "experience", "skills", "interests", "education_goals"):
            newcomer.setdefault(key, [])
        newcomer.setdefault("work_goals", [])
        newcomer.setdefault("physical_capacity", "heavy")
        newcomer["max_travel_km"] = float(newcomer["max_travel_km"])
    expected["newcomers"][1]["postcode"] = "3512 CD"
    assert document == expected


def test_the_export_has_the_format_first_and_only_the_specs_keys(db_session):
    _import(db_session, sample_document())
    document = export_document(db_session).document
    assert list(document) == ["format", "organisations", "places", "newcomers"]
    for section, spec in SPECS.items():
        for record in document[section]:
            assert set(record) <= set(spec)
            assert list(record) == [key for key in spec if key in record]  # the spec's order
    assert [p["ref"] for p in document["places"]] == [f"pl-{n}" for n in range(1, 7)]


def test_rows_made_on_the_site_get_refs_and_survive_the_round_trip(db_session, empty_app):
    org = make_organisation("Kringloop Oost")
    first = make_place(org)  # published, no ref
    # a ref that is just what the first place's made-up ref would be
    make_place(org, status=PlaceStatus.SUBMITTED, ref=f"place-{first.id}")
    make_place(org, status=PlaceStatus.DRAFT, kind=None, title="Half af")  # cannot be imported
    make_user(Role.NEWCOMER)
    export = export_document(db_session)
    document = export.document
    validate_document(json.loads(json.dumps(document)))  # what is exported can be imported
    org_ref = f"organisation-{org.id}"
    assert [o["ref"] for o in document["organisations"]] == [org_ref]
    places = document["places"]
    assert [p["organisation"] for p in places] == [org_ref, org_ref]
    assert places[0]["ref"] == f"place-{first.id}-2"
    assert places[1]["ref"] == f"place-{first.id}" and places[1]["status"] == "draft"
    assert len(export.skipped) == 1 and "kind required key is missing" in export.skipped[0]
    assert document["newcomers"][0]["ref"].startswith("newcomer-")
    _import_into(empty_app, document)
    assert _export_from(empty_app) == document


def test_export_command_writes_a_private_file(db_session, runner, tmp_path):
    _import(db_session, sample_document())
    path = tmp_path / "out" / "export.json"
    path.parent.mkdir()
    result = runner.invoke(args=["data", "export", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Exported 3 organisations, 6 places and 3 newcomers to {path}.\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text(encoding="utf-8")) == export_document(db_session).document
    assert [p.name for p in path.parent.iterdir()] == ["export.json"]  # no temporary file left
    event = db_session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "data_export"))
    assert event.detail == {
        "file": "export.json",
        "left_out": 0,
        "organisations": 3,
        "places": 6,
        "newcomers": 3,
    }


def test_export_command_names_what_it_left_out(db_session, runner, tmp_path):
    org = make_organisation()
    draft = make_place(org, status=PlaceStatus.DRAFT, hours_min=None)
    result = runner.invoke(args=["data", "export", str(tmp_path / "x.json")])
    assert result.exit_code == 0
    assert f"Left out (cannot be imported as it is): places id {draft.id}: hours_min" in (
        result.stderr
    )


def test_an_exported_file_imports_with_the_command(db_session, runner, tmp_path):
    _import(db_session, sample_document())
    path = tmp_path / "export.json"
    assert runner.invoke(args=["data", "export", str(path)]).exit_code == 0
    result = runner.invoke(args=["data", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "places: 0 created, 0 updated, 6 unchanged" in result.stdout
    assert json.loads(path.read_text()) == export_document(db_session).document
