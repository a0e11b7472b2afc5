"""Language analysis: synonyms per group, compounds, stems, stop words, folding, pickling.

Matching is proven the way search uses it: documents go into a small in-RAM Whoosh index whose
schema uses the analyzers, and the query is analysed the same way (``query_for``, or Whoosh's
``QueryParser`` with ``multitoken_query="or"``).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import pytest
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.qparser import MultifieldParser

from marketplace.places.models import Sector
from marketplace.search import lexicon
from marketplace.search.analysis import (
    analysis_fingerprint,
    analyze,
    concepts,
    plain_analyzer,
    query_for,
    tag_analyzer,
    text_analyzer,
)
from marketplace.search.synonyms import CONCEPT_PREFIX, CONCEPT_SECTORS, GROUPS

FIELDS = ("title", "skills")

# Per synonym group: (query, document, kind). "language": the query and the document are in
# different languages; "wording": the same language, another word for the same thing.
GROUP_CASES: dict[str, list[tuple[str, str, str]]] = {
    "cooking": [("cooking", "kok", "language"), ("kok", "koken", "wording"),
                ("chef", "keukenhulp", "language"), ("koks", "cooks", "language")],
    "hospitality": [("waiter", "bediening", "language"), ("horeca", "barista", "wording")],
    "warehouse": [("orderpicker", "magazijnwerk", "wording"), ("forklift", "heftruck", "language"),
                  ("order picking", "magazijnmedewerker", "language"),
                  ("magazijnmedewerker", "magazijn", "wording"),
                  ("logistiek", "laden en lossen", "wording")],
    "retail": [("cashier", "kassa", "language"), ("verkoop", "winkelmedewerker", "wording")],
    "cleaning": [("cleaning", "schoonmaak", "language"),
                 ("schoonmaker", "glazenwassen", "wording")],
    "care": [("caregiver", "ouderenzorg", "language"), ("zorg", "verzorging", "wording"),
             ("pharmacy assistant", "apothekersassistent", "language")],
    "childcare": [("childcare", "kinderopvang", "language"), ("nanny", "oppas", "language"),
                  ("kinderopvang", "werken met kinderen", "wording")],
    "food": [("baker", "bakkerij", "language"), ("bakken", "banketbakker", "wording"),
             ("factory", "productiemedewerker", "language")],
    "technical": [("welding", "lassen", "language"), ("monteur", "elektricien", "wording")],
    "construction": [("carpentry", "timmeren", "language"), ("bouw", "metselaar", "wording")],
    "green": [("gardening", "hovenier", "language"), ("groen", "tuinonderhoud", "wording")],
    "administration": [("data entry", "administratief medewerker", "language"),
                       ("kantoor", "archiveren", "wording"),
                       ("bookkeeping", "boekhouden", "language")],
    "ict": [("programming", "programmeren", "language"), ("helpdesk", "IT-support", "wording"),
            ("developer", "softwareontwikkelaar", "language")],
    "driving": [("driver", "chauffeur", "language"), ("rijbewijs", "bezorger", "wording")],
    "customer_contact": [("customer service", "klantenservice", "language"),
                         ("klantcontact", "klantvriendelijk", "wording")],
    "languages": [("Arabic", "Arabisch", "language"), ("nt2", "taalcursus", "wording"),
                  ("interpreter", "tolk", "language")],
    "education": [("teacher", "docent", "language"), ("onderwijs", "lesgeven", "wording")],
    "sports": [("football", "voetbal", "language"), ("sport", "jeugdtrainer", "wording")],
    "creative": [("graphic design", "grafisch ontwerp", "language"),
                 ("creatief", "tekenen", "wording"), ("sewing", "naaien", "language")],
    "community": [("social work", "sociaal werk", "language"),
                  ("buurtwerk", "buurthuis", "wording"),
                  ("volunteer", "vrijwilliger", "language")],
    "certificates": [("first aid", "EHBO-diploma", "language"),
                     ("food safety", "HACCP", "language"),
                     ("MBO-2", "mbo niveau 2", "wording"), ("vca", "VCA-basis", "wording"),
                     ("mbo", "MBO-3", "wording")],
}  # fmt: skip

# A distractor for every case: a document that must not be found by the case queries.
UNRELATED = "Gezellig team in de werkplaats, flexibele uren, goede sfeer"


def make_index(documents: dict[str, str]):
    schema = Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=text_analyzer(), stored=True, multitoken_query="or"),
        skills=TEXT(analyzer=tag_analyzer(), multitoken_query="or"),
    )
    index = RamStorage().create_index(schema)
    with index.writer() as writer:
        for ref, text in documents.items():
            writer.add_document(id=ref, title=text, skills=text.replace(" en ", ", "))
    return index


def found(index, text: str, fields=FIELDS) -> set[str]:
    query = query_for(text, fields)
    if query is None:
        return set()
    with index.searcher() as searcher:
        return {hit["id"] for hit in searcher.search(query, limit=None)}


CASES = [
    pytest.param(group, query, document, id=f"{group}:{query}->{document}")
    for group, cases in GROUP_CASES.items()
    for query, document, _ in cases
]


@pytest.mark.parametrize(("group", "query", "document"), CASES)
def test_synonym_group_case_matches_both_ways(group, query, document):
    index = make_index({"doc": document, "other": UNRELATED})
    assert found(index, query) == {"doc"}, (group, query, document)
    index = make_index({"doc": query, "other": UNRELATED})
    assert found(index, document) == {"doc"}, (group, document, query)


def test_every_group_has_a_cross_language_and_a_cross_wording_case():
    assert set(GROUP_CASES) == set(GROUPS)
    for group, cases in GROUP_CASES.items():
        assert {kind for _, _, kind in cases} == {"language", "wording"}, group


@pytest.mark.parametrize(
    ("query", "document"),
    [
        ("kok", "koken"),
        ("orderpicker", "magazijnwerk"),
        ("childcare", "kinderopvang"),
        ("cooking", "kok"),
        ("magazijnmedewerker", "magazijn"),
        ("koken", "kok"),
        ("magazijnwerk", "orderpicker"),
        ("kinderopvang", "childcare"),
    ],
)
def test_cases_named_in_the_issue(query, document):
    assert found(make_index({"doc": document}), query) == {"doc"}


def test_whoosh_query_parser_matches_single_words_with_multitoken_or():
    index = make_index({"kok": "Kok gezocht", "magazijn": "Magazijnwerk", "zorg": "Ouderenzorg"})
    with index.searcher() as searcher:
        parser = MultifieldParser(list(FIELDS), index.schema)

        def ids(text):
            return {hit["id"] for hit in searcher.search(parser.parse(text), limit=None)}

        assert ids("cooking") == {"kok"}
        assert ids("orderpicker") == {"magazijn"}
        assert ids("caregiver") == {"zorg"}
        assert ids('"kok gezocht"') == {"kok"}  # a quoted phrase stays one word per position


def test_unrelated_words_do_not_match():
    index = make_index({"kok": "kok", "zorg": "ouderenzorg", "horeca": "restaurant"})
    assert found(index, "magazijn") == set()
    assert found(index, "careful") == set()  # English stem "care", but not care
    assert "care" not in concepts("ouders")  # parents, not "ouderen" (the stems do meet)
    assert found(index, "restaureren") == set()  # not "restaurant"
    assert found(index, "kinderen") == set()


# ---- compounds --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("magazijnmedewerker", ("magazijn", "medewerker")),
        ("kinderopvangmedewerker", ("kinderopvang", "medewerker")),
        ("schoonmaakwerk", ("schoonmaak", "werk")),
        ("verkoopsmedewerker", ("verkoop", "medewerker")),  # linking s
        ("tuinonderhoud", ("tuin", "onderhoud")),
        ("keukenprinses", ("keuken",)),  # a known head is enough
        ("zorgvuldig", ()),  # "zorg" is too short to split off an unknown rest
        ("werkervaring", ("werk", "ervaring")),
        ("verkoop", ()),
        ("gardening", ()),
    ],
)
def test_compound_splitting(word, parts):
    assert lexicon.split_compound(word) == parts


def test_compound_keeps_the_word_and_adds_parts_and_their_concepts():
    tokens = analyze("kinderopvangmedewerker")
    assert tokens[0] == "kinderopvangmedewerker"
    assert {"kinderopvang", "medewerker", CONCEPT_PREFIX + "childcare"} <= set(tokens)
    index = make_index({"compound": "Kinderopvangmedewerker", "plain": "medewerker"})
    assert found(index, "kinderopvang") == {"compound"}
    assert found(index, "childcare") == {"compound"}
    assert found(index, "medewerker") == {"compound", "plain"}
    assert found(make_index({"doc": "schoonmaakwerk"}), "schoonmaak") == {"doc"}


# ---- stems, stop words, folding, tokens ---------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "document"),
    [
        ("fiets", "fietsen"),  # Dutch plural
        ("wandeling", "wandelen"),  # Dutch noun and verb
        ("vergaderingen", "vergadering"),
        ("walking", "walks"),  # English
        ("painted", "painting"),
        ("meetings", "meeting"),
    ],
)
def test_stemming_in_dutch_and_english(query, document):
    assert found(make_index({"doc": document, "other": UNRELATED}), query) == {"doc"}


def test_stems_are_added_only_when_different():
    assert lexicon.stems("koken") == ("kok",)
    assert lexicon.stems("cooking") == ("cook",)
    assert lexicon.stems("kok") == ()
    assert analyze("cooking")[:2] == ["cooking", "cook"]  # the word itself first


def test_stop_words_do_not_match():
    index = make_index({"doc": "De kok en het team, the cook and the team"})
    for word in ("de", "het", "en", "the", "and", "een", "with"):
        assert query_for(word, FIELDS) is None, word
        assert found(index, word) == set()
    assert analyze("de het een the a and of") == []


def test_accents_fold():
    index = make_index({"doc": "Café met hygiëne-regels; financiële administratie"})
    for query in ("cafe", "café", "hygiene", "hygiëne", "financiele", "financiële"):
        assert found(index, query) == {"doc"}, query
    assert analyze("Één crème brûlée")[0] == "creme"  # "een" is a stop word
    assert "brulee" in analyze("Één crème brûlée")


@pytest.mark.parametrize(
    ("text", "word"),
    [("MBO-2", "mbo2"), ("mbo 2", "mbo2"), ("mbo niveau 2", "mbo2"), ("MBO2", "mbo2"),
     ("VCA", "vca"), ("auto's", "auto"), ("ehbo'er", "ehbo"), ("BHV'ers", "bhv"), ("IT", "ict")],
)  # fmt: skip
def test_tokens_stay_sane(text, word):
    assert analyze(text)[0] == word


def test_it_in_capitals_is_ict_but_lowercase_it_is_a_stop_word():
    assert CONCEPT_PREFIX + "ict" in analyze("IT-support")
    assert analyze("it is") == []


def test_multi_word_variant_does_not_cross_punctuation_or_tags():
    assert "warehouse" in concepts("order picking")
    assert "warehouse" not in concepts("order, picking")
    assert "warehouse" not in concepts("order, picking", tags=True)


def test_tags_are_apart_for_phrases():
    index = make_index({"doc": "koken, order"})
    with index.searcher() as searcher:
        parser = MultifieldParser(["skills"], index.schema)
        assert len(searcher.search(parser.parse('"koken order"'))) == 0
        assert len(searcher.search(parser.parse('"koken"'))) == 1


# ---- the data --------------------------------------------------------------------------------


def test_no_variant_in_two_groups_or_concepts():
    owner: dict[tuple[str, ...], tuple[str, str]] = {}
    for group, concepts_of_group in GROUPS.items():
        for concept, variants in concepts_of_group.items():
            for variant in variants:
                assert variant == variant.strip().lower(), variant
                key = tuple(lexicon.words_of(variant))  # after normalising, too
                assert key, variant
                previous = owner.setdefault(key, (group, concept))
                assert previous == (group, concept), (variant, previous, (group, concept))


def test_every_variant_means_its_own_concept_and_no_other():
    for concepts_of_group in GROUPS.values():
        for concept, variants in concepts_of_group.items():
            for variant in variants:
                found_concepts = set(concepts(variant, tags=True)) - {"mbo"}
                assert found_concepts == {concept} - {"mbo"} or concept == "mbo", variant


def test_no_variant_is_a_stop_word_and_concepts_are_no_words():
    for concepts_of_group in GROUPS.values():
        for concept, variants in concepts_of_group.items():
            assert concept.isidentifier(), concept
            for variant in variants:
                assert not all(map(lexicon.is_stop, lexicon.words_of(variant))), variant


def test_every_sector_has_a_concept_that_maps_back_to_it():
    assert set(CONCEPT_SECTORS) <= {c for group in GROUPS.values() for c in group}
    for sector in Sector:
        if sector is Sector.OTHER:
            continue
        found_concepts = concepts(sector.value)
        assert any(sector.value in CONCEPT_SECTORS.get(c, ()) for c in found_concepts), sector


# ---- Whoosh plumbing ----------------------------------------------------------------------------


def test_analyzers_pickle_small_and_equal():
    for make in (text_analyzer, tag_analyzer, plain_analyzer):
        data = pickle.dumps(make())
        assert len(data) < 1000  # the synonym tables are not in the pickled schema
        restored = pickle.loads(data)  # noqa: S301 - our own bytes
        assert restored == make()
        text = "Kok, orderpicken; MBO-2 Logistiek"
        assert [t.text for t in restored(text)] == [t.text for t in make()(text)]


def test_index_schema_survives_pickling():
    index = make_index({"doc": "koken"})
    schema = pickle.loads(pickle.dumps(index.schema))  # noqa: S301 - our own bytes
    assert schema == index.schema


def test_deterministic_across_processes():
    code = (
        "from marketplace.search.analysis import analyze, analysis_fingerprint;"
        "print(analyze('Kinderopvangmedewerker, order picking, MBO-2 koken', tags=True),"
        " analysis_fingerprint())"
    )
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(  # noqa: S603 - fixed command
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1
    assert len(analysis_fingerprint()) == 16


def test_spelling_words_are_plain_words():
    tokens = [t.text for t in text_analyzer()("Koken in het Magazijn", no_morph=True)]
    assert tokens == ["koken", "magazijn"]
    assert [t.text for t in plain_analyzer()("Koken in het Magazijn")] == tokens
