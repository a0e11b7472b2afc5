"""Sets of document numbers as Python integers, and the per-searcher cache of filter sets.

Whoosh builds a filter's document set anew on every search (search-engine.md §2.4), and its
own ``BitSet`` intersects byte by byte in Python. Here a set is one ``int`` whose bit ``n`` is
document ``n``: intersecting two sets of 100,000 documents is one machine-level ``&``, and
counting is ``int.bit_count``. Sets for single filter values and terms are built once per
segment of the index and kept in the process (a segment never changes), and assembled once
per searcher.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from whoosh.idsets import DocIdSet
from whoosh.query import Query
from whoosh.searching import Searcher

from marketplace.geo.services import haversine_km

#: the positions of the set bits of every byte value
_BITS_OF_BYTE = tuple(tuple(i for i in range(8) if value >> i & 1) for value in range(256))
_NONZERO = re.compile(rb"[^\x00]")
#: searcher attribute holding its cache (a Searcher is renewed whenever the index changes)
_CACHE_ATTRIBUTE = "_marketplace_bits"
#: how many computed sets (text matches, distance circles) a searcher keeps besides filters
RECENT = 64
#: how many single-term sets a searcher keeps: at 100,000 places, 12.5 kB each
TERMS = 4096
#: how many term frequencies a searcher remembers before it starts again
FREQUENCIES = 200_000


class DocBits(DocIdSet):
    """An immutable set of document numbers, usable as Whoosh's ``filter=``."""

    __slots__ = ("value", "_bytes")

    def __init__(self, value: int = 0):
        self.value = value
        self._bytes: bytes | None = None

    @classmethod
    def of(cls, docnums: Iterable[int]) -> DocBits:
        table = bytearray()
        for n in docnums:
            index = n >> 3
            if index >= len(table):
                table.extend(bytes(index - len(table) + 1))
            table[index] |= 1 << (n & 7)
        return cls(int.from_bytes(table, "little"))

    @classmethod
    def all(cls, size: int) -> DocBits:
        return cls((1 << size) - 1)

    def _table(self) -> bytes:
        if self._bytes is None:
            self._bytes = self.value.to_bytes((self.value.bit_length() + 7) // 8, "little")
        return self._bytes

    def __contains__(self, n: int) -> bool:
        table = self._table()
        index = n >> 3
        return index < len(table) and bool(table[index] >> (n & 7) & 1)

    def __iter__(self) -> Iterator[int]:
        table = self._table()
        for found in _NONZERO.finditer(table):  # skips runs of empty bytes at C speed
            index = found.start()
            base = index << 3
            for bit in _BITS_OF_BYTE[table[index]]:
                yield base + bit

    def between(self, start: int, end: int) -> Iterator[int]:
        """The members ``n`` with ``start <= n < end``, in order."""
        table = self._table()
        for found in _NONZERO.finditer(table, start >> 3, (end + 7) >> 3):
            index = found.start()
            base = index << 3
            for bit in _BITS_OF_BYTE[table[index]]:
                n = base + bit
                if start <= n < end:
                    yield n

    def __len__(self) -> int:
        return self.value.bit_count()

    def __bool__(self) -> bool:
        return self.value != 0

    def __and__(self, other: DocBits) -> DocBits:
        return DocBits(self.value & other.value)

    def __or__(self, other: DocBits) -> DocBits:
        return DocBits(self.value | other.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DocBits) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return f"DocBits({len(self)} documents)"

    def intersection(self, other: DocBits) -> DocBits:
        return self & other

    def union(self, other: DocBits) -> DocBits:
        return self | other


def intersect(sets: Iterable[DocBits], everything: DocBits) -> DocBits:
    """The documents in every one of ``sets`` (all documents when there are none)."""
    value = everything.value
    for bits in sets:
        value &= bits.value
    return DocBits(value)


def unite(sets: Iterable[DocBits]) -> DocBits:
    value = 0
    for bits in sets:
        value |= bits.value
    return DocBits(value)


class SearcherBits:
    """The sets computed on one searcher: filter values forever, others least-recently-used."""

    def __init__(self, searcher: Searcher):
        self.searcher = searcher
        self.filters: dict[tuple, DocBits] = {}
        self.recent: OrderedDict[tuple, DocBits] = OrderedDict()
        self.terms: OrderedDict[tuple, DocBits] = OrderedDict()
        self.frequencies: dict[tuple[str, str], int] = {}
        self.field_lengths: dict[str, dict[int, int]] = {}
        self.columns: dict[str, list] = {}
        live = 0  # not remembered per segment: a segment's deletions grow with every update
        for leaf, offset in searcher.leaf_searchers():
            live |= _live_docs(leaf) << offset
        self.everything = DocBits(live)

    def _assemble(self, key: tuple, compute: Callable[[Any], Iterable[int] | int]) -> int:
        """A set over the whole index from each segment's part (remembered per segment)."""
        value = 0
        for leaf, offset in self.searcher.leaf_searchers():
            value |= segment_bits(leaf, key, compute) << offset
        return value

    def filter(self, key: tuple, query: Query) -> DocBits:
        """The set for one filter value (``("sector", "care")``), computed once."""
        bits = self.filters.get(key)
        if bits is None:
            found = self._assemble(("query", *key), query.docs)
            bits = self.filters[key] = DocBits(found) & self.everything
        return bits

    def remembered(self, key: tuple, compute: Callable[[], DocBits]) -> DocBits:
        """A set that is costly and often asked again (the next page of the same search)."""
        return _lru(self.recent, RECENT, key, compute)

    def frequency(self, fieldname: str, text: str) -> int:
        """How many documents have the term (remembered: the lexicon lookup is not cheap)."""
        key = (fieldname, text)
        found = self.frequencies.get(key)
        if found is None:
            if len(self.frequencies) > FREQUENCIES:
                self.frequencies.clear()
            found = self.frequencies[key] = self.searcher.reader().doc_frequency(fieldname, text)
        return found

    def column(self, fieldname: str) -> list:
        """A column's values for every document, as a list (indexed by document number).

        Reading Whoosh's column reader costs about 9 µs a value; the values of each segment
        are read once per process, and joined once per searcher.
        """
        values = self.columns.get(fieldname)
        if values is None:
            values = []
            for leaf, _offset in self.searcher.leaf_searchers():
                values.extend(segment_value(leaf, ("column", fieldname), _column(fieldname)))
            self.columns[fieldname] = values
        return values

    def km_from(self, latitude: float, longitude: float) -> Callable[[int], float | None]:
        """A document's distance in km from a point; None for a place without a location
        (remote; its coordinates are missing, or 0 in a segment where others have some)."""
        latitudes, longitudes = self.column("latitude"), self.column("longitude")

        def km(docnum: int) -> float | None:
            lat, lon = latitudes[docnum], longitudes[docnum]
            if not lat and not lon:
                return None
            return haversine_km(latitude, longitude, lat, lon)

        return km

    def lengths(self, fieldname: str) -> Callable[[int], int]:
        """A document's number of terms in a field (for BM25), remembered per document."""
        known = self.field_lengths.setdefault(fieldname, {})
        reader = self.searcher.reader()

        def length(docnum: int) -> int:
            found = known.get(docnum)
            if found is None:
                found = known[docnum] = reader.doc_field_length(docnum, fieldname, 0)
            return found

        return length

    def term(self, fieldname: str, text: str) -> DocBits:
        """The documents with one term (a word of a search or a profile, in one field)."""

        def postings(leaf: Searcher) -> Iterable[int]:
            reader = leaf.reader()
            if not reader.doc_frequency(fieldname, text):
                return ()
            return reader.postings(fieldname, text).all_ids()

        def compute() -> DocBits:
            if not self.frequency(fieldname, text):
                return DocBits()
            found = self._assemble(("term", fieldname, text), postings)
            return DocBits(found) & self.everything

        return _lru(self.terms, TERMS, (fieldname, text), compute)


def _live_docs(leaf: Searcher) -> int:
    """All documents of a segment that are not deleted, as an integer set."""
    reader = leaf.reader()
    value = (1 << reader.doc_count_all()) - 1
    if reader.has_deletions():
        value &= ~DocBits.of(reader.deleted_docs_set).value
    return value


#: the sets of single segments: a segment never changes (only its deletions grow, which
#: ``everything`` takes care of), so its sets outlive the searcher, and a commit, which
#: adds a small segment, costs only that segment's sets
_segments: OrderedDict[tuple, int] = OrderedDict()
_segments_lock = threading.Lock()
SEGMENT_SETS = 50_000


def segment_bits(leaf: Searcher, key: tuple, compute: Callable[[Searcher], Any]) -> int:
    """One segment's set for ``key`` (local document numbers), computed once per process."""

    def as_int(leaf: Searcher) -> int:
        result = compute(leaf)
        return result if isinstance(result, int) else DocBits.of(result).value

    return segment_value(leaf, key, as_int)


def segment_value(leaf: Searcher, key: tuple, compute: Callable[[Searcher], Any]) -> Any:
    """One segment's value for ``key``, computed once per process (never changed after)."""
    reader = leaf.reader()
    segment = reader.segment() if hasattr(reader, "segment") else None
    if segment is None:  # not a segment (an empty index): nothing to remember
        return compute(leaf)
    full_key = (segment.segment_id(), reader.doc_count_all(), *key)
    with _segments_lock:
        if full_key in _segments:
            _segments.move_to_end(full_key)
            return _segments[full_key]
    found = compute(leaf)
    with _segments_lock:
        _segments[full_key] = found
        if len(_segments) > SEGMENT_SETS:
            _segments.popitem(last=False)
    return found


def _column(fieldname: str) -> Callable[[Searcher], list]:
    def read(leaf: Searcher) -> list:
        reader = leaf.reader()
        if not reader.has_column(fieldname):
            return [None] * reader.doc_count_all()
        return list(reader.column_reader(fieldname))

    return read


def _lru(store: OrderedDict, cap: int, key: tuple, compute: Callable[[], DocBits]) -> DocBits:
    bits = store.get(key)
    if bits is None:
        bits = store[key] = compute()
        if len(store) > cap:
            store.popitem(last=False)
    else:
        store.move_to_end(key)
    return bits


def bits_for(searcher: Searcher) -> SearcherBits:
    """The set cache that lives and dies with this searcher."""
    cache = getattr(searcher, _CACHE_ATTRIBUTE, None)
    if cache is None:
        cache = SearcherBits(searcher)
        setattr(searcher, _CACHE_ATTRIBUTE, cache)
    return cache
