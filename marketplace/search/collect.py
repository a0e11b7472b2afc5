"""Scoring a text search over the documents the filters allow, from cached document sets.

Whoosh's own search builds a matcher per term and per segment for every query, and still walks
every posting when a filter allows few documents (search-engine.md §2.4); with the several
forms and fields each word is looked up in, that set-up alone cost more than the search.
Here the documents that match are computed from the cached term sets (:mod:`bits`), so the
count is exact and free, and only those documents are scored, with BM25 as Whoosh has it
(its ``k1``, ``b`` and ``idf``) on term presence: a word that occurs counts once per field.
In titles, tags and descriptions of a hundred words that loses little and costs no posting.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict

from whoosh.query import And, AndNot, NullQuery, Or, Query, Term
from whoosh.searching import Searcher

from marketplace.search.bits import DocBits, bits_for, intersect, unite

#: BM25 as Whoosh's default weighting has it
K1 = 1.2
B = 0.75


def positive_terms(query: Query, boost: float = 1.0) -> dict[tuple[str, str], float]:
    """The terms a document scores on, with their boost (summed where a term recurs)."""
    weights: dict[tuple[str, str], float] = defaultdict(float)
    if isinstance(query, Term):
        weights[(query.fieldname, query.text)] += boost * query.boost
    elif isinstance(query, AndNot):
        for key, value in positive_terms(query.a, boost * query.boost).items():
            weights[key] += value
    elif isinstance(query, Or | And):
        for child in query.subqueries:
            for key, value in positive_terms(child, boost * query.boost).items():
                weights[key] += value
    return weights


def rank(searcher: Searcher, query: Query, pool: DocBits, limit: int) -> list[tuple[float, int]]:
    """The ``limit`` best documents of ``pool`` (which all match ``query``), best first.

    Ties go to the lower document number, so a page boundary is stable.
    """
    if limit < 1 or not pool:
        return []
    cache = bits_for(searcher)
    reader = searcher.reader()
    documents = max(1, searcher.doc_count())
    scores: dict[int, float] = defaultdict(float)
    for (fieldname, text), boost in positive_terms(query).items():
        frequency = cache.frequency(fieldname, text)
        if not frequency:
            continue
        idf = math.log(documents / (frequency + 1)) + 1
        weight = boost * idf * (K1 + 1)
        average = reader.field_length(fieldname) / documents or 1.0
        length = cache.lengths(fieldname)
        for docnum in cache.term(fieldname, text) & pool:
            scores[docnum] += weight / (1 + K1 * (1 - B + B * length(docnum) / average))
    best = heapq.nsmallest(limit, ((-score, d) for d, score in scores.items()))
    return [(-negative, docnum) for negative, docnum in best]


def matching_docs(searcher: Searcher, query: Query) -> DocBits:
    """Every document matching ``query`` (no scores), from the cached sets of its terms.

    The same documents as Whoosh's ``docs_for_query`` for terms joined by ``Or``, ``And`` and
    ``AndNot``; any other query is asked of Whoosh.
    """
    cache = bits_for(searcher)

    def bits(q: Query) -> DocBits:
        if isinstance(q, Term):
            return cache.term(q.fieldname, q.text)
        if isinstance(q, Or):
            return unite(bits(child) for child in q.subqueries)
        if isinstance(q, And):
            return intersect((bits(child) for child in q.subqueries), cache.everything)
        if isinstance(q, AndNot):
            return DocBits(bits(q.a).value & ~bits(q.b).value)
        if q is NullQuery:
            return DocBits()
        return DocBits.of(searcher.docs_for_query(q)) & cache.everything

    return bits(query)
