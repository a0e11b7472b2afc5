"""Sets of document numbers as Python integers, and the per-searcher cache of filter sets.

Whoosh builds a filter's document set anew on every search (search-engine.md §2.4), and its
own ``BitSet`` intersects byte by byte in Python. Here a set is one ``int`` whose bit ``n`` is
document ``n``: intersecting two sets of 100,000 documents is one machine-level ``&``, and
counting is ``int.bit_count``. Sets for single filter values are built once per searcher and
kept with it, so they are dropped as soon as the index changes.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator

from whoosh.idsets import DocIdSet
from whoosh.searching import Searcher

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
        self.columns: dict[str, object] = {}
        self.everything = DocBits.of(searcher.reader().all_doc_ids())

    def filter(self, key: tuple, compute: Callable[[], Iterable[int]]) -> DocBits:
        """The set for one filter value (``("sector", "care")``), computed once."""
        bits = self.filters.get(key)
        if bits is None:
            bits = self.filters[key] = DocBits.of(compute()) & self.everything
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

    def column(self, fieldname: str):
        """The column reader of a field (opening one reads its offsets: done once)."""
        reader = self.columns.get(fieldname)
        if reader is None:
            reader = self.columns[fieldname] = self.searcher.reader().column_reader(fieldname)
        return reader

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
        reader = self.searcher.reader()

        def compute() -> DocBits:
            if not self.frequency(fieldname, text):
                return DocBits()
            return DocBits.of(reader.postings(fieldname, text).all_ids()) & self.everything

        return _lru(self.terms, TERMS, (fieldname, text), compute)


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
