"""Language analysis for the search index: Dutch and English text and tags.

Public API:

* :func:`text_analyzer` for free text (titles, descriptions) and :func:`tag_analyzer` for
  comma-separated tag lists (skills, education, goals, occupations). Both: lowercase, accents
  folded, "MBO-2"/"mbo 2" -> ``mbo2``, Dutch and English stop words removed, and at each
  word's position the word itself plus its Dutch and English stems, the parts of compound and
  hyphenated words, and the concept token (``@cooking``) of the curated synonym list
  (:mod:`marketplace.search.synonyms`), multi-word variants ("order picking") included.
* :func:`plain_analyzer`: the same words without stems, parts and concepts (spelling
  suggestions, "did you mean").
* :func:`analyze`, :func:`concepts`: the tokens, or the concept names, of a text.
* :func:`query_for`: a Whoosh query for a user's plain text, analysed the same way, with the
  alternatives at a position OR-ed and a multi-word variant matching its concept as a whole.
* :func:`analysis_fingerprint`: changes whenever analysis output may change (rebuild the index).

A query must be analysed like the documents. With Whoosh's ``QueryParser`` give the TEXT fields
``multitoken_query="or"`` (one word yields several tokens that are alternatives, not all
required); multi-word variants are only seen when the whole text is analysed at once, as
:func:`query_for` does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from whoosh.analysis import Filter, Tokenizer
from whoosh.analysis.acore import Token
from whoosh.query import And, Or, Query, Term

from marketplace.search import lexicon
from marketplace.search.synonyms import CONCEPT_PREFIX

__all__ = [
    "CONCEPT_PREFIX",
    "ExpandFilter",
    "NormalizeFilter",
    "WordTokenizer",
    "analysis_fingerprint",
    "analyze",
    "concepts",
    "plain_analyzer",
    "query_for",
    "tag_analyzer",
    "text_analyzer",
]

# Between two tags the position jumps by this much, so a phrase never spans two tags.
TAG_GAP = 10
_TAG_SEPARATOR = re.compile(r"[,;\n|]")


class WordTokenizer(Tokenizer):
    """Words (see :data:`lexicon.TOKEN_RE`) with a clause number in ``token.seg``.

    Any punctuation between two words starts a new clause, so a multi-word variant never spans
    "kok, order" or two tags. With ``tags=True`` a comma, semicolon, bar or newline starts a new
    tag, and ``token.gap`` tells the filter to leave a gap of positions.
    """

    def __init__(self, tags: bool = False):
        self.tags = tags

    def __eq__(self, other):
        return self.__class__ is getattr(other, "__class__", None) and self.tags == other.tags

    def __hash__(self):
        return hash((self.__class__.__name__, self.tags))

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.start_pos = start_pos
        token.boost = 1.0
        token.stopped = False
        if not tokenize:
            token.text, token.seg, token.gap, token.whole = value, 0, 0, True
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        token.whole = False
        seg, previous_end = 0, None
        for match in lexicon.TOKEN_RE.finditer(value):
            gap = 0
            if previous_end is not None:
                between = value[previous_end : match.start()]
                if between.strip():
                    seg += 1
                    if self.tags and _TAG_SEPARATOR.search(between):
                        gap = TAG_GAP
            previous_end = match.end()
            token.text, token.seg, token.gap = match.group(0), seg, gap
            if keeporiginal:
                token.original = token.text
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


class NormalizeFilter(Filter):
    """Normalises words, removes stop words and numbers the positions.

    Must follow :class:`WordTokenizer`. Positions close over removed stop words (a phrase
    "werken met kinderen" matches "werken kinderen") and jump by :data:`TAG_GAP` between tags.
    A kept word carries the stop words just before it in ``token.stops_before`` (so multi-word
    variants with stop words inside can still be matched) and its :func:`lexicon.word_info`.
    """

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        pos = None
        seg = None
        pending_gap = 0
        stops: list[str] = []
        for token in tokens:
            if token.whole:
                token.text, token.info, token.stops_before = lexicon.normalize(token.text), None, ()
                yield token
                continue
            if pos is None:
                pos = token.start_pos - 1
            if token.seg != seg:
                seg, stops = token.seg, []
            info = lexicon.word_info(token.text)
            pending_gap += token.gap
            token.text, token.info, token.stops_before = info[0], info, ()
            if info[1]:
                if token.removestops:
                    stops.append(info[0])
                else:
                    token.stopped, token.pos = True, pos + 1
                    yield token
                continue
            pos += 1 + pending_gap
            pending_gap = 0
            token.pos, token.stopped, token.stops_before = pos, False, tuple(stops)
            stops = []
            yield token


class ExpandFilter(Filter):
    """Adds the alternatives of each word at its position: stems, parts, concept tokens.

    Must follow :class:`NormalizeFilter`. Alternatives share the word's position and
    characters (so highlighting marks the word that matched). The concept token of a multi-word
    variant sits at its first kept word, spans the variant's characters, and has
    ``token.span`` set to the number of positions it covers (1 on all other tokens).

    It is a morphological filter (``is_morph``): Whoosh leaves it out when it asks for the words
    to offer as spelling suggestions (``no_morph=True``). And when the phrase parser asks for
    the words of a quoted phrase (``mode="query"`` with ``chars=True``) it adds nothing, so a
    phrase stays one word per position.
    """

    is_morph = True

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        clause: list[tuple] = []
        out: Token | None = None
        seg = None
        for token in tokens:
            if out is None:
                out = token.copy()
                if token.mode == "query" and token.chars:
                    yield token
                    yield from tokens
                    return
            if token.whole:
                token.span = 1
                yield token
                continue
            if token.seg != seg and clause:
                yield from self._clause(out, clause)
                clause = []
            seg = token.seg
            clause.append(
                (
                    token.info,
                    token.stopped,
                    token.stops_before,
                    getattr(token, "pos", 0),
                    getattr(token, "startchar", 0),
                    getattr(token, "endchar", 0),
                )
            )
        if clause and out is not None:
            yield from self._clause(out, clause)

    @staticmethod
    def _spans(clause: Sequence[tuple]) -> tuple[dict[int, tuple[int, str, int]], set[int]]:
        """Multi-word variants in a clause: {first kept entry: (kept entries, concept, end)}."""
        words: list[str] = []
        entry_of: list[int | None] = []  # for each word of the sequence, its kept entry
        may_start: list[bool] = []
        for k, (info, stopped, stops_before, _, _, _) in enumerate(clause):
            for stop in stops_before:
                words.append(stop)
                entry_of.append(None)
                may_start.append(lexicon.word_info(stop)[2])
            words.append(info[0])
            entry_of.append(None if stopped else k)
            may_start.append(info[2])
        spans: dict[int, tuple[int, str, int]] = {}
        covered: set[int] = set()
        if not any(may_start):
            return spans, covered
        i = 0
        while i < len(words):
            found = may_start[i] and lexicon.match_span(words, i)
            if not found:
                i += 1
                continue
            length, concept = found
            kept = [entry for entry in entry_of[i : i + length] if entry is not None]
            if kept:
                spans[kept[0]] = (len(kept), concept, clause[kept[-1]][5])
                covered.update(kept)
            i += length
        return spans, covered

    def _clause(self, out: Token, clause: Sequence[tuple]) -> Iterator[Token]:
        several = len(clause) > 1 or bool(clause[0][2])  # more than one word, stop words too
        spans, covered = self._spans(clause) if several else ({}, set())
        query = out.mode == "query"
        for k, (info, stopped, _, pos, start, end) in enumerate(clause):
            word, _, _, index_forms, concept_tokens, query_forms = info
            forms = query_forms if query else index_forms
            out.pos, out.startchar, out.endchar = pos, start, end
            out.text, out.stopped, out.span = word, stopped, 1
            yield out
            if stopped:
                continue
            emitted = {word}
            for text in forms if k in covered else (*forms, *concept_tokens):
                if text not in emitted:
                    emitted.add(text)
                    out.text = text
                    yield out
            if k in spans:
                length, concept, span_end = spans[k]
                text = lexicon.concept_token(concept)
                if text not in emitted:
                    out.text, out.span, out.endchar = text, length, span_end
                    yield out


def text_analyzer():
    """The analyzer for free text in Dutch and English (titles, descriptions)."""
    return WordTokenizer() | NormalizeFilter() | ExpandFilter()


def tag_analyzer():
    """The analyzer for tag lists ("koken, orderpicken; MBO-2 Logistiek")."""
    return WordTokenizer(tags=True) | NormalizeFilter() | ExpandFilter()


def plain_analyzer():
    """Normalised words only, without stems, parts or concepts (spelling suggestions)."""
    return WordTokenizer() | NormalizeFilter()


def analyze(text: str, *, tags: bool = False) -> list[str]:
    """The distinct tokens of a text, in order of first appearance (concept tokens included)."""
    analyzer = tag_analyzer() if tags else text_analyzer()
    return list(dict.fromkeys(token.text for token in analyzer(text)))


def concepts(text: str, *, tags: bool = False) -> list[str]:
    """The concept names of a text ("kok, orderpicker" -> ["cooking", "warehouse"])."""
    return [
        token[len(CONCEPT_PREFIX) :]
        for token in analyze(text, tags=tags)
        if token.startswith(CONCEPT_PREFIX)
    ]


def query_for(
    text: str,
    fieldnames: Sequence[str],
    *,
    tags: bool = False,
    boosts: dict[str, float] | None = None,
    conjunction: type[And] | type[Or] = And,
) -> Query | None:
    """A query for plain user text (no syntax), analysed as the documents are.

    Every kept word is a clause: an ``Or`` of its alternatives in any of ``fieldnames``; a
    multi-word variant ("order picking") is one clause: its concept, or all its words. The
    clauses are joined by ``conjunction``. Returns None when nothing but stop words remains.
    """
    analyzer = tag_analyzer() if tags else text_analyzer()
    boosts = boosts or {}
    by_pos: dict[int, list[str]] = {}
    spans: dict[int, tuple[int, str]] = {}
    for token in analyzer(text, positions=True, mode="query"):
        if token.span > 1:
            spans[token.pos] = (token.span, token.text)
        else:
            texts = by_pos.setdefault(token.pos, [])
            if token.text not in texts:
                texts.append(token.text)

    def any_field(term: str) -> Query:
        return Or([Term(name, term, boost=boosts.get(name, 1.0)) for name in fieldnames])

    def position(pos: int) -> Query:
        return Or([any_field(term) for term in by_pos[pos]])

    positions = sorted(by_pos)
    clauses: list[Query] = []
    index = 0
    while index < len(positions):
        pos = positions[index]
        if pos in spans:
            length, concept = spans[pos]
            words = positions[index : index + length]
            clauses.append(Or([any_field(concept), And([position(p) for p in words])]))
            index += length
        else:
            clauses.append(position(pos))
            index += 1
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else conjunction(clauses)


def analysis_fingerprint() -> str:
    """A short hash that changes whenever the analysis may emit other tokens."""
    return lexicon.fingerprint()
