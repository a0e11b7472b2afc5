"""A document with any invalid record is rejected whole, every problem named by ref and field."""

from __future__ import annotations

import json
import random

import pytest

from marketplace.exchange.importer import import_document
from marketplace.exchange.schema import SECTIONS, SPECS, DocumentRejected, validate_document
from tests.exchange.invalid_cases import CASES, RAW_CASES
from tests.exchange.sample import NEWCOMER_NAMES, checksum, count, sample_document, write
from tests.factories import make_organisation, make_place


@pytest.fixture
def imported(db_session, runner, tmp_path):
    """The sample imported and committed: the state every rejected import must leave alone."""
    result = runner.invoke(args=["data", "import", str(write(tmp_path, sample_document()))])
    assert result.exit_code == 0, result.output
    return checksum(db_session), count(db_session, "import_run")


def _assert_rejected(runner, db_session, path, expected, imported):
    result = runner.invoke(args=["data", "import", str(path)])
    assert result.exit_code == 1, result.output
    assert expected in result.stderr
    assert "was rejected" in result.stderr and "nothing was imported" in result.stderr
    assert "Imported" not in result.stdout
    db_session.expire_all()
    assert (checksum(db_session), count(db_session, "import_run")) == imported


@pytest.mark.parametrize(("change", "expected"), CASES)
def test_an_invalid_record_rejects_the_whole_document(
    db_session, runner, tmp_path, imported, change, expected
):
    document = sample_document()
    for place in document["places"]:
        place["title"] += " (bijgewerkt)"  # valid edits that must not be written either
    change(document)
    path = write(tmp_path, document, "broken.json")
    _assert_rejected(runner, db_session, path, expected, imported)


@pytest.mark.parametrize(("raw", "expected"), RAW_CASES)
def test_a_broken_file_is_rejected(db_session, runner, tmp_path, imported, raw, expected):
    path = write(tmp_path, raw, "broken.json")
    _assert_rejected(runner, db_session, path, f"document, field json: {expected}", imported)


def test_a_key_given_twice_is_rejected(db_session, runner, tmp_path, imported):
    raw = (
        '{"format": "participation-marketplace/v1", "organisations": '
        '[{"ref": "o1", "name": "A", "name": "B", "kind": "employer"}]}'
    )
    path = write(tmp_path, raw, "broken.json")
    expected = "organisations[0] (ref o1), field name: key is given twice"
    _assert_rejected(runner, db_session, path, expected, imported)


def test_a_list_for_a_document_is_rejected(db_session, runner, tmp_path, imported):
    path = write(tmp_path, "[]", "broken.json")
    expected = "document, field document: must be an object, got a list"
    _assert_rejected(runner, db_session, path, expected, imported)


def test_every_problem_is_reported_at_once():
    document = sample_document()
    document["organisations"][0]["kind"] = "company"
    document["places"][0]["hours_max"] = 50
    document["places"][0]["spots"] = 0
    document["newcomers"][2]["dutch_level"] = "B3"
    with pytest.raises(DocumentRejected) as rejected:
        validate_document(document)
    assert [(p.section, p.ref, p.field) for p in rejected.value.problems] == [
        ("organisations", "org-1", "kind"),
        ("places", "pl-1", "hours_max"),
        ("places", "pl-1", "spots"),
        ("newcomers", "nc-3", "dutch_level"),
    ]


def test_problems_never_repeat_a_newcomers_data():
    document = sample_document()
    document["newcomers"][0]["postcode"] = "Kerkstraat 1"
    document["newcomers"][0]["name"] = ["Amina", "Yusuf"]
    document["newcomers"][0]["dutch_level"] = NEWCOMER_NAMES[1]
    with pytest.raises(DocumentRejected) as rejected:
        validate_document(document)
    text = "\n".join(str(p) for p in rejected.value.problems)
    assert "field postcode" in text and "field name" in text and "field dutch_level" in text
    for secret in ("Kerkstraat", "Amina", NEWCOMER_NAMES[1]):
        assert secret not in text


def test_fewer_spots_than_newcomers_placed_is_rejected(db_session):
    org = make_organisation()
    org.ref = "org-1"
    make_place(org, ref="pl-1", spots=3, spots_taken=2)
    document = sample_document()
    document["places"][0]["spots"] = 1
    with pytest.raises(DocumentRejected) as rejected:
        import_document(db_session, json.dumps(document).encode(), "x.json")
    [problem] = rejected.value.problems
    assert str(problem) == (
        "places[0] (ref pl-1), field spots: must be at least 2, the newcomers placed there now"
    )


_ODD_VALUES = [None, True, False, 0, -1, 41, 1.5, 10**30, "", " ", "x", "1234 AB", "weekend", "B1"]
_ODD_VALUES += [[], ["x"], [None], [{"occupation": "kok", "years": 1}], {}, {"a": 1}, "\x00\u202e"]
_ODD_VALUES += ["http://[x", "https://a.nl:port", "2026-02-30", "12345678", "https://a.nl"]


def test_any_odd_value_is_either_taken_or_named_never_a_crash(db_session):
    """Seeded fuzzing: a value of any type in any key is rejected by name or imports cleanly."""
    rng = random.Random(44)
    for _ in range(300):
        document = sample_document()
        section = rng.choice(SECTIONS)
        index = rng.randrange(len(document[section]))
        key = rng.choice([*SPECS[section], "extra"])
        document[section][index][key] = rng.choice(_ODD_VALUES)
        raw = json.dumps(document).encode()
        nested = db_session.begin_nested()
        try:
            import_document(db_session, raw, "fuzz.json")
        except DocumentRejected as rejected:
            named = [(p.section, p.index, p.field) for p in rejected.problems]
            assert (section, index) in [(s, i) for s, i, _f in named] or (
                (section, key) == ("organisations", "ref")  # its places now point nowhere
                and {(s, f) for s, _i, f in named} == {("places", "organisation")}
            ), [str(p) for p in rejected.problems]
        finally:
            nested.rollback()
