"""Importing: the right rows, idempotent by ref, edits in place, all or nothing."""

from __future__ import annotations

import json
import logging

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role, User
from marketplace.exchange import importer
from marketplace.exchange.importer import import_document
from marketplace.exchange.models import ImportRun
from marketplace.newcomers.models import NewcomerProfile
from marketplace.organisations.models import Organisation
from marketplace.places.models import Place, PlaceStatus, ReviewDecision
from marketplace.search.models import OutboxEntry
from marketplace.vocab import PhysicalDemand
from tests.exchange.sample import (
    NEWCOMER_NAMES,
    TOUCHED_TABLES,
    checksum,
    count,
    sample_document,
)
from tests.factories import make_organisation, make_place


def _import(dbs, document, name="sample.json"):
    return import_document(dbs, json.dumps(document).encode(), name)


def _by_ref(dbs, model, ref):
    return dbs.scalar(sa.select(model).where(model.ref == ref))


def test_a_valid_document_imports_with_the_right_counts(db_session):
    run = _import(db_session, sample_document())
    assert run.counts == {
        "organisations": {"created": 3, "updated": 0, "unchanged": 0},
        "places": {"created": 6, "updated": 0, "unchanged": 0},
        "newcomers": {"created": 3, "updated": 0, "unchanged": 0},
    }
    tables = ("organisation", "place", "newcomer_profile")
    assert [count(db_session, table) for table in tables] == [3, 6, 3]
    assert count(db_session, "user_account") == 3
    assert {p.kind.value for p in db_session.scalars(sa.select(Place))} == {
        "volunteer",
        "work_experience",
        "internship",
        "learn_work",
        "trial_placement",
        "language_practice",
    }
    stored = db_session.get(ImportRun, run.id)
    assert stored.file_name == "sample.json"
    assert stored.started_at <= stored.finished_at


def test_values_are_stored_as_the_models_keep_them(db_session):
    _import(db_session, sample_document())
    org = _by_ref(db_session, Organisation, "org-1")
    assert (org.postcode, org.kvk, org.verified) == ("3511 AB", "12345678", True)
    assert _by_ref(db_session, Organisation, "org-2").verified_at is None
    place = _by_ref(db_session, Place, "pl-1")
    assert place.organisation is org
    assert place.skills_wanted == ["bakken", "klantcontact"]
    assert place.schedule == ["weekday_morning", "weekend"]
    assert str(place.start_date) == "2026-03-01" and place.mentor is True
    assert _by_ref(db_session, Place, "pl-2").postcode == "3512 CD"
    remote = _by_ref(db_session, Place, "pl-6")
    assert remote.remote is True and remote.postcode is None


def test_places_are_published_as_if_reviewed_by_the_import(db_session):
    _import(db_session, sample_document())
    for ref in ("pl-1", "pl-2", "pl-3", "pl-5", "pl-6"):
        place = _by_ref(db_session, Place, ref)
        assert place.published_at and place.reviewed_at and place.submitted_at
        assert place.reviewed_by_id is None
        [review] = place.reviews
        assert review.decision == ReviewDecision.PUBLISHED
        assert review.reviewer_id is None
        assert review.comment == "Imported from sample.json"
    assert _by_ref(db_session, Place, "pl-1").status == PlaceStatus.PUBLISHED
    assert _by_ref(db_session, Place, "pl-3").status == PlaceStatus.PAUSED
    closed = _by_ref(db_session, Place, "pl-5")
    assert closed.status == PlaceStatus.CLOSED and closed.closed_at is not None
    draft = _by_ref(db_session, Place, "pl-4")
    assert draft.status == PlaceStatus.DRAFT
    assert (draft.published_at, draft.reviewed_at, draft.reviews) == (None, None, [])


def test_a_newcomer_gets_a_profile_and_an_account_that_cannot_log_in(db_session):
    _import(db_session, sample_document())
    profile = _by_ref(db_session, NewcomerProfile, "nc-1")
    user = profile.user
    assert (user.email, user.password_hash) == ("nc-1@import.invalid", None)
    assert user.role == Role.NEWCOMER
    assert user.name == NEWCOMER_NAMES[0]
    assert profile.experience == [
        {"occupation": "bakker", "years": 3},
        {"occupation": "kok", "years": 1.5},
    ]
    assert profile.physical_capacity == PhysicalDemand.MODERATE
    assert profile.learning_route.value == "b1" and profile.education_level.value == "secondary"
    assert (profile.max_travel_km, profile.hours_available) == (10.0, 24)
    minimal = _by_ref(db_session, NewcomerProfile, "nc-2")
    assert minimal.physical_capacity == PhysicalDemand.HEAVY
    assert (minimal.postcode, minimal.skills, minimal.experience) == ("3512 CD", [], [])


def test_importing_twice_changes_nothing(db_session):
    _import(db_session, sample_document())
    before = checksum(db_session)
    outbox = count(db_session, "search_outbox")
    run = _import(db_session, sample_document(), "again.json")
    assert run.counts == {
        "organisations": {"created": 0, "updated": 0, "unchanged": 3},
        "places": {"created": 0, "updated": 0, "unchanged": 6},
        "newcomers": {"created": 0, "updated": 0, "unchanged": 3},
    }
    db_session.expire_all()
    assert checksum(db_session) == before
    assert count(db_session, "search_outbox") == outbox
    assert count(db_session, "import_run") == 2


def test_an_edited_record_updates_in_place(db_session):
    _import(db_session, sample_document())
    place_id = _by_ref(db_session, Place, "pl-1").id
    outbox = count(db_session, "search_outbox")
    edited = sample_document()
    edited["organisations"][0]["name"] = "Bakkerij Korenschoof BV"
    edited["places"][0]["hours_max"] = 20
    edited["places"][0]["skills_wanted"] = ["bakken"]
    edited["newcomers"][0]["name"] = "Amina Y."
    edited["newcomers"][1]["skills"] = ["schoonmaken"]
    run = _import(db_session, edited, "edited.json")
    assert {section: c["updated"] for section, c in run.counts.items()} == {
        "organisations": 1,
        "places": 1,
        "newcomers": 2,
    }
    assert run.counts["places"]["unchanged"] == 5
    place = _by_ref(db_session, Place, "pl-1")
    assert (place.id, place.hours_max, place.skills_wanted) == (place_id, 20, ["bakken"])
    assert len(place.reviews) == 1  # published once, reviewed once
    entries = db_session.scalars(sa.select(OutboxEntry).order_by(OutboxEntry.id)).all()
    # the rename reaches the documents of all the organisation's places (pl-1 among them)
    renamed = {p.id for p in place.organisation.places}
    assert place_id in renamed
    assert {(e.entity, e.entity_id) for e in entries[outbox:]} == {("place", i) for i in renamed}
    assert _by_ref(db_session, NewcomerProfile, "nc-1").user.name == "Amina Y."
    assert _by_ref(db_session, NewcomerProfile, "nc-2").skills == ["schoonmaken"]
    assert count(db_session, "user_account") == 3


def test_status_and_verification_follow_the_document(db_session):
    _import(db_session, sample_document())
    edited = sample_document()
    edited["organisations"][1]["verified"] = True
    edited["organisations"][0]["verified"] = False
    edited["places"][3]["status"] = "published"  # the draft
    edited["places"][4]["status"] = "published"  # the closed place, reopened
    _import(db_session, edited, "second.json")
    assert _by_ref(db_session, Organisation, "org-2").verified
    assert not _by_ref(db_session, Organisation, "org-1").verified
    draft = _by_ref(db_session, Place, "pl-4")
    assert draft.status == PlaceStatus.PUBLISHED and draft.published_at is not None
    assert [r.comment for r in draft.reviews] == ["Imported from second.json"]
    reopened = _by_ref(db_session, Place, "pl-5")
    assert reopened.closed_at is None and len(reopened.reviews) == 1


def test_an_omitted_optional_key_clears_the_value(db_session):
    _import(db_session, sample_document())
    edited = sample_document()
    del edited["places"][0]["city"], edited["places"][0]["skills_wanted"]
    del edited["newcomers"][0]["physical_capacity"]
    _import(db_session, edited)
    place = _by_ref(db_session, Place, "pl-1")
    assert (place.city, place.skills_wanted) == (None, [])
    profile = _by_ref(db_session, NewcomerProfile, "nc-1")
    assert profile.physical_capacity == PhysicalDemand.HEAVY


def test_columns_outside_the_format_are_left_alone(db_session):
    org = make_organisation("Kringloop Oost")
    org.ref, org.contact_name = "org-1", "Ans Bakker"
    place = make_place(org, ref="pl-1", supervisor_name="Ans Bakker", spots_taken=1)
    _import(db_session, sample_document())
    assert org.contact_name == "Ans Bakker" and org.name == "Bakkerij De Korenschoof"
    assert place.supervisor_name == "Ans Bakker" and place.spots_taken == 1


def test_a_place_may_refer_to_an_organisation_in_the_database(db_session):
    _import(db_session, sample_document())
    document = {
        "format": "participation-marketplace/v1",
        "places": [{**sample_document()["places"][1], "ref": "pl-new", "organisation": "org-2"}],
    }
    run = _import(db_session, document)
    assert run.counts["places"]["created"] == 1
    assert run.counts["organisations"] == {"created": 0, "updated": 0, "unchanged": 0}
    assert _by_ref(db_session, Place, "pl-new").organisation.ref == "org-2"


def test_a_document_with_only_the_format_imports_nothing(db_session):
    run = _import(db_session, {"format": "participation-marketplace/v1", "places": []})
    assert all(sum(c.values()) == 0 for c in run.counts.values())


@pytest.mark.parametrize(("section", "k"), [("organisations", 3), ("places", 1), ("places", 6)])
def test_a_failure_at_record_k_leaves_no_partial_rows(
    db_session, runner, tmp_path, monkeypatch, section, k
):
    """The CLI rolls the one transaction back: nothing of the records before k remains."""
    name = {"organisations": "upsert_organisation", "places": "upsert_place"}[section]
    real = getattr(importer, name)
    calls, written = [], []

    def failing(dbs, *args, **kwargs):
        calls.append(1)
        if len(calls) == k:
            dbs.flush()  # the records before k are in the database's transaction now
            written.append(count(dbs, "organisation") + count(dbs, "place"))
            raise RuntimeError(f"injected failure at record {k}")
        return real(dbs, *args, **kwargs)

    monkeypatch.setattr(importer, name, failing)
    path = tmp_path / "sample.json"
    path.write_text(json.dumps(sample_document()))
    before = {table: count(db_session, table) for table in (*TOUCHED_TABLES, "import_run")}
    result = runner.invoke(args=["data", "import", str(path)])
    assert isinstance(result.exception, RuntimeError)
    assert result.exit_code != 0
    assert written == [{"organisations": 0, "places": 3}[section] + k - 1]  # rows before k
    after = {table: count(db_session, table) for table in (*TOUCHED_TABLES, "import_run")}
    assert after == before


def test_a_failure_in_the_newcomers_leaves_no_partial_rows(db_session, monkeypatch):
    real = importer.upsert_newcomer
    calls = []

    def failing(dbs, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            dbs.flush()
            assert count(dbs, "newcomer_profile") == 1 and count(dbs, "place") == 6
            raise RuntimeError("injected")
        return real(dbs, *args, **kwargs)

    monkeypatch.setattr(importer, "upsert_newcomer", failing)
    db_session.commit()  # the test's own savepoint: what the rollback below returns to
    with pytest.raises(RuntimeError):
        _import(db_session, sample_document())
    db_session.rollback()
    for table in (*TOUCHED_TABLES, "import_run"):
        assert count(db_session, table) == 0, table


def test_the_log_names_refs_and_counts_but_no_person(db_session, caplog):
    caplog.set_level(logging.DEBUG, logger="marketplace.exchange")
    _import(db_session, sample_document())
    edited = sample_document()
    edited["newcomers"][0]["name"] = "Someone Else Entirely"
    edited["newcomers"][1]["postcode"] = "not a postcode"
    with pytest.raises(importer.DocumentRejected):
        _import(db_session, edited)
    text = caplog.text
    assert "nc-1" in text and "nc-2" in text and "sample.json" in text
    for secret in (*NEWCOMER_NAMES, "Someone Else Entirely", "not a postcode", "3511 AB"):
        assert secret not in text


def test_imported_newcomers_do_not_clash_with_real_accounts(db_session):
    db_session.add(User(email="nc-1@import.invalid", name="X", role=Role.CONSULTANT))
    db_session.flush()
    with pytest.raises(importer.DocumentRejected) as rejected:
        _import(db_session, sample_document())
    [problem] = rejected.value.problems
    assert (problem.section, problem.ref, problem.field) == ("newcomers", "nc-1", "ref")
    assert count(db_session, "place_review") == 0
