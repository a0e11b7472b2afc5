"""Searching places: text, filters, sorting, pages, facet counts, snippets and "did you mean".

``search_places`` is what the search pages call. It answers with place ids, not places: the
caller loads them from the database, which stays the truth (a place unpublished a moment ago
is skipped there).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from marketplace.search.bits import DocBits, bits_for
from marketplace.search.collect import matching_docs, rank
from marketplace.search.filters import Filters, FilterSets
from marketplace.search.index import get_index
from marketplace.search.spelling import suggestion_for
from marketplace.search.userquery import UserQuery, parse

MAX_PAGE = 50
PER_PAGE = 20


class SortOrder(StrEnum):
    RELEVANCE = "relevance"
    DISTANCE = "distance"
    NEWEST = "newest"


@dataclass(frozen=True)
class Hit:
    place_id: int
    score: float | None
    distance_km: float | None


@dataclass
class SearchPage:
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    sort: SortOrder
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None  # a better-spelt query, when this one finds little
    highlight_terms: set[str] = field(default_factory=set)

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, -(-self.total // self.per_page)))


def search_places(
    text: str,
    filters: Filters,
    today: date,
    *,
    sort: SortOrder | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    facets: bool = True,
) -> SearchPage:
    """One page of public places for a visitor's text and filters.

    Raises ``userquery.QueryError`` when the text cannot be searched. Without text the
    order is nearest first when there is a postcode, else newest first.
    """
    searcher = get_index().searcher()
    parsed: UserQuery = parse(text, searcher)
    sets = FilterSets(searcher, filters, today)
    allowed = sets.allowed()
    unranked = SortOrder.DISTANCE if filters.near is not None else SortOrder.NEWEST
    if sort is None or (sort is SortOrder.RELEVANCE and parsed.query is None):
        sort = SortOrder.RELEVANCE if parsed.query is not None else unranked
    if sort is SortOrder.DISTANCE and filters.near is None:
        sort = SortOrder.NEWEST
    page = max(1, min(page, MAX_PAGE))
    wanted = page * per_page

    query = parsed.query
    text_docs = matching_docs(searcher, query) if query is not None else None
    pool = allowed & text_docs if text_docs is not None else allowed
    total = len(pool)
    if sort is SortOrder.RELEVANCE:
        assert query is not None
        ranked = [(docnum, score) for score, docnum in rank(searcher, query, pool, wanted)]
    else:
        ranked = [(docnum, None) for docnum in _ordered(searcher, pool, sort, filters, wanted)]

    hits = [
        Hit(
            int(searcher.stored_fields(docnum)["id"]),
            score,
            _distance(searcher, docnum, filters),
        )
        for docnum, score in ranked[(page - 1) * per_page : wanted]
    ]
    result = SearchPage(hits, total, page, per_page, sort, highlight_terms=parsed.highlight_terms)
    if facets:
        result.facets = sets.facet_counts(text_docs)
    if parsed.query is not None and total < 3:
        result.suggestion = suggestion_for(searcher, parsed.words, text)
    return result


def _ordered(searcher, pool: DocBits, sort: SortOrder, filters: Filters, wanted: int):
    if not pool:
        return []  # (an empty index has no columns to read)
    cache = bits_for(searcher)
    if sort is SortOrder.DISTANCE:
        assert filters.near is not None
        km = cache.km_from(filters.near.latitude, filters.near.longitude)

        def away(n: int) -> tuple[float, int]:
            distance = km(n)
            return (float("inf") if distance is None else distance, n)  # no place: last

        return [n for _d, n in heapq.nsmallest(wanted, (away(n) for n in pool))]
    published = cache.column("published_at")
    return [n for _p, _neg, n in heapq.nlargest(wanted, ((published[n], -n, n) for n in pool))]


def _distance(searcher, docnum: int, filters: Filters) -> float | None:
    if filters.near is None:
        return None
    return bits_for(searcher).km_from(filters.near.latitude, filters.near.longitude)(docnum)
