"""Document sets as integers; matching documents and their BM25 ranking from those sets."""

from __future__ import annotations

import random

import pytest
from whoosh import fields, index
from whoosh.query import And, AndNot, Or, Term

from marketplace.search.bits import DocBits, intersect, unite
from marketplace.search.collect import matching_docs, rank

WORDS = ["kok", "keuken", "magazijn", "zorg", "fiets", "tuin", "taal", "winkel"]


def test_docbits_behaves_as_a_set_of_document_numbers():
    rng = random.Random(7)
    for _ in range(50):
        a = set(rng.sample(range(3000), rng.randint(0, 300)))
        b = set(rng.sample(range(3000), rng.randint(0, 300)))
        bits_a, bits_b = DocBits.of(a), DocBits.of(b)
        assert list(bits_a) == sorted(a) and len(bits_a) == len(a) and bool(bits_a) == bool(a)
        assert list(bits_a & bits_b) == sorted(a & b)
        assert list(bits_a | bits_b) == sorted(a | b)
        assert all((n in bits_a) == (n in a) for n in range(-1, 3100, 7) if n >= 0)
        low, high = sorted(rng.sample(range(3000), 2))
        assert list(bits_a.between(low, high)) == sorted(n for n in a if low <= n < high)


def test_intersect_of_nothing_is_everything_and_unite_of_nothing_is_empty():
    everything = DocBits.all(10)
    assert list(intersect([], everything)) == list(range(10))
    assert not unite([])
    assert list(intersect([DocBits.of([1, 2, 3]), DocBits.of([2, 3, 4])], everything)) == [2, 3]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    """A small index in three segments (as after a few commits): documents by their words."""
    schema = fields.Schema(id=fields.ID(stored=True), title=fields.TEXT(), body=fields.TEXT())
    ix = index.create_in(str(tmp_path_factory.mktemp("ix")), schema)
    rng = random.Random(11)
    docs = (
        [
            ("kok keuken", "kok"),  # 0: both words, title and body
            ("kok", "tuin"),  # 1: one word in the title
            ("tuin", "kok"),  # 2: the same word in the body only
            ("tuin", "kok " + "fiets " * 40),  # 3: in a long body
            ("taal", "zorg"),  # 4: neither
        ]
        + [(" ".join(rng.choices(WORDS[1:], k=3)), "winkel zorg") for _ in range(300)]
    )
    for part in range(3):
        writer = ix.writer()
        for n in range(part * 102, min(len(docs), (part + 1) * 102)):
            writer.add_document(id=str(n), title=docs[n][0], body=docs[n][1])
        writer.commit(merge=False)
    with ix.searcher() as s:
        assert len(s.leaf_searchers()) == 3
        yield s


def kok(boost_title: float = 2.0):
    return Or([Term("title", "kok", boost=boost_title), Term("body", "kok")])


def test_matching_docs_are_exactly_whooshs_answer(searcher):
    for query in (
        kok(),
        And([kok(), Or([Term("title", "keuken"), Term("body", "tuin")])]),
        AndNot(kok(), Term("title", "tuin")),
        Term("title", "nergens"),
    ):
        expected = sorted(searcher.docs_for_query(query))
        assert list(matching_docs(searcher, query)) == expected


def test_more_matched_fields_rank_higher_and_title_beats_body(searcher):
    pool = matching_docs(searcher, kok())
    ranked = [docnum for _score, docnum in rank(searcher, kok(), pool, 10)]
    assert ranked == [0, 1, 2, 3]


def test_a_shorter_field_beats_a_long_one_with_the_same_word(searcher):
    query = Term("body", "kok")
    scores = {d: s for s, d in rank(searcher, query, DocBits.of([2, 3]), 10)}
    assert scores[2] > scores[3] > 0


def test_a_rare_word_weighs_more_than_a_common_one(searcher):
    rare, common = Term("body", "kok"), Term("body", "zorg")
    ((rare_score, _d),) = rank(searcher, rare, DocBits.of([0]), 1)
    ((common_score, _d),) = rank(searcher, common, DocBits.of([4]), 1)
    assert rare_score > common_score


def test_rank_keeps_to_the_pool_and_breaks_ties_by_document(searcher):
    query = Term("body", "zorg")
    pool = matching_docs(searcher, query) & DocBits.of(range(100, 200))
    ranked = rank(searcher, query, pool, 5)
    assert [d for _s, d in ranked] == [100, 101, 102, 103, 104]
    assert rank(searcher, query, DocBits(), 5) == [] and rank(searcher, query, pool, 0) == []
