"""What a visitor types is parsed safely: public fields only, bounded, clear messages."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from marketplace.search.userquery import MAX_LENGTH, QueryError, parse
from tests.factories import make_organisation, make_place

PUBLIC_TEXT_FIELDS = {
    "title",
    "description",
    "skills_wanted",
    "skills_learned",
    "education_offered",
    "organisation",
}


class _Reader:
    def expand_prefix(self, fieldname, prefix):
        lexicon = {"title": ["kok", "koken", "kokkin", "@cooking"], "description": ["koken"]}
        return iter([t for t in lexicon.get(fieldname, []) if t.startswith(prefix)])


class _Searcher:
    def reader(self):
        return _Reader()


def fields_of(query) -> set[str]:
    return {name for name, _text in query.iter_all_terms()}


def test_an_empty_box_searches_nothing_and_is_no_error():
    assert parse("   ", _Searcher()).query is None


def test_plain_words_are_all_required_in_any_public_text_field():
    parsed = parse("kok magazijn", _Searcher())
    assert type(parsed.query).__name__ == "And"
    assert fields_of(parsed.query) == PUBLIC_TEXT_FIELDS
    assert parsed.words == ["kok", "magazijn"]


def test_a_known_field_prefix_searches_only_that_field():
    parsed = parse("titel:kok", _Searcher())
    assert fields_of(parsed.query) == {"title"}


@pytest.mark.parametrize("text", ["status:draft", "supervisor_name:Bakker", "spots_free:1"])
def test_any_other_field_name_is_read_as_plain_words_in_public_fields(text):
    parsed = parse(text, _Searcher())
    assert "status" not in fields_of(parsed.query)
    assert fields_of(parsed.query) <= PUBLIC_TEXT_FIELDS


def test_a_word_with_a_star_expands_to_indexed_words_but_never_to_concept_tokens():
    parsed = parse("kok*", _Searcher())
    terms = {text for _name, text in parsed.query.iter_all_terms()}
    assert {"kok", "koken", "kokkin"} <= terms and "@cooking" not in terms


def test_minus_leaves_out_places_with_a_word():
    parsed = parse("kok -soep", _Searcher())
    assert type(parsed.query).__name__ == "AndNot"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * (MAX_LENGTH + 1), "at most 200 characters"),
        ("kok* tuin* fiets* zorg*", "at most 3 stars"),
        ("ko*", "at least 3 letters"),
        ("ko*k", "only end a word"),
        ("-kok -tuin", "not only words to leave out"),
        (" ".join(["woord"] * 13), "at most 12 words"),
    ],
)
def test_a_query_that_cannot_run_gives_a_clear_message(app, text, message):
    with pytest.raises(QueryError) as raised:
        parse(text, _Searcher())
    with force_locale("en"):
        assert message in str(raised.value.message)


@pytest.mark.parametrize("text", ["(((", "kok AND OR NOT", '"', "*", ":", "kok^99 ~2 [a TO z]"])
def test_syntax_characters_are_punctuation_not_errors(text):
    parse(text, _Searcher())  # no exception: either a query of the words, or nothing


# --- fields that are not public: no results, no error (R30) ---------------------------------

PRIVATE_FIELD_QUERIES = [
    "health:*",
    "limits:*",
    "practical_limits:*",
    "gezondheid:*",
    "beperkingen:*",
    "physical_demand:*",
    "supervisor_name:*",
    "residence_permit:*",
    "email:*",
    "newcomer_limit.kind:*",
    "health:light_work_only",
]


@pytest.mark.parametrize("text", PRIVATE_FIELD_QUERIES)
def test_a_private_field_query_is_read_as_words_in_public_fields(text):
    parsed = parse(text, _Searcher())  # no QueryError: nothing for the visitor to correct
    assert parsed.query is not None and fields_of(parsed.query) <= PUBLIC_TEXT_FIELDS


def test_private_field_queries_find_nothing_and_show_no_error(db_session, client):
    organisation = make_organisation("Stichting Buurtkeuken")
    cook = make_place(organisation, title="Kok", description="Soep koken voor de buurt.")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert _found(client, "kok") == [cook.id]  # the index has the place
    for text in PRIVATE_FIELD_QUERIES:
        page = client.get("/places", query_string={"q": text})
        assert page.status_code == 200, text
        html = page.get_data(as_text=True)
        assert "error-summary" not in html, text
        assert _found(client, text) == [], text


def _found(client, text: str) -> list[int]:
    html = client.get("/places", query_string={"q": text}).get_data(as_text=True)
    return [int(n) for n in re.findall(r'<h3><a href="/places/(\d+)/', html)]
