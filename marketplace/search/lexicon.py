"""Word-level language analysis: normalising, stop words, stems, synonyms, compound words.

Pure, cached functions over single words and word sequences. The Whoosh tokenizer and filter
in :mod:`marketplace.search.analysis` call them; they are also usable on their own (tests,
matching reasons). Everything is deterministic: same input, same output, same order.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import lru_cache

from whoosh.lang import stopwords_for_language
from whoosh.lang.snowball.dutch import DutchStemmer
from whoosh.lang.snowball.english import EnglishStemmer
from whoosh.support.charset import accent_map

from marketplace.search.synonyms import (
    ACRONYMS,
    COMPOUND_PARTS,
    CONCEPT_PREFIX,
    GROUPS,
    NO_CONCEPT,
)

# Bump when the analysis code changes what it emits; the data is hashed in as well.
CODE_VERSION = "2"

# One token: a school level ("MBO-2", "mbo 2", "mbo niveau 2", "vmbo3"), or a word with
# apostrophe suffixes ("auto's") and hyphenated parts ("HACCP-certificaat", "IT-support").
TOKEN_RE = re.compile(
    r"(?i:\b(?:v?mbo|hbo)[ \t-]*(?:niveau[ \t-]*)?[1-4](?!\w))"
    r"|\w+(?:['’]\w+)*(?:-\w+(?:['’]\w+)*)*"
)
_LEVEL_RE = re.compile(r"^(v?mbo|hbo)[\s-]*(?:niveau[\s-]*)?([1-4])$")
# "auto's", "driver's" -> auto, driver; "ehbo'er", "bhv'ers" (Dutch: one who has EHBO) -> ehbo.
_APOSTROPHE_SUFFIX_RE = re.compile(r"['’](?:s|ers?)\b")

# The Whoosh stop lists for Dutch and English plus common words they miss.
_EXTRA_STOPS = """
    wij jij jou jouw jullie onze hen bent word kunt wel waar welke elke alle ieder erg heel zeer
    daarom echter zoals tijdens per via bijvoorbeeld ongeveer steeds even samen graag
    also us may etc
"""
STOP_WORDS: frozenset[str] = frozenset(
    set(stopwords_for_language("nl"))
    | set(stopwords_for_language("en"))
    | set(_EXTRA_STOPS.split())
)

_DUTCH = DutchStemmer()
_ENGLISH = EnglishStemmer()


@lru_cache(maxsize=200_000)
def normalize(raw: str) -> str:
    """One token as written -> its index form: lowercase, accents folded, levels as "mbo2"."""
    if raw.isupper() or "-" in raw:
        raw = "-".join(ACRONYMS.get(part, part) for part in raw.split("-"))
    text = raw.lower().translate(accent_map)
    level = _LEVEL_RE.match(text)
    if level:
        return level.group(1) + level.group(2)
    if "'" in text or "’" in text:
        text = _APOSTROPHE_SUFFIX_RE.sub("", text).replace("'", "").replace("’", "")
    return text


def words_of(text: str) -> list[str]:
    """The normalised words of a text, stop words included (as synonym variants are keyed)."""
    return [normalize(match.group(0)) for match in TOKEN_RE.finditer(text)]


@lru_cache(maxsize=200_000)
def stems(word: str) -> tuple[str, ...]:
    """The Dutch and the English stem of a word, those that differ from it, Dutch first."""
    if len(word) < 3 or not word.isalpha():
        return ()
    out: list[str] = []
    for stem in (_DUTCH.stem(word), _ENGLISH.stem(word)):
        if stem != word and stem not in out and len(stem) >= 2:
            out.append(stem)
    return tuple(out)


@lru_cache(maxsize=200_000)
def _dutch(word: str) -> str:
    return _DUTCH.stem(word) if word.isalpha() and len(word) >= 3 else word


@lru_cache(maxsize=200_000)
def _english(word: str) -> str:
    return _ENGLISH.stem(word) if word.isalpha() and len(word) >= 3 else word


# English inflections. Only a word that ends in one is looked up by its English stem, so that
# Dutch words do not meet English variants by accident ("restaureren" is not "restaurant").
_ENGLISH_ENDINGS = ("s", "ed", "ing", "er", "ers")


def _english_inflected(word: str) -> str:
    return _english(word) if word.endswith(_ENGLISH_ENDINGS) else word


# ---- the synonym tables -----------------------------------------------------------------------


def _build_tables():
    """Variant words -> concept, as written and by Dutch and by English stems."""
    surface: dict[tuple[str, ...], str] = {}
    dutch: dict[tuple[str, ...], set[str]] = {}
    english: dict[tuple[str, ...], set[str]] = {}
    for group in GROUPS.values():
        for concept, variants in group.items():
            for variant in variants:
                key = tuple(words_of(variant))
                surface.setdefault(key, concept)
                dutch.setdefault(tuple(map(_dutch, key)), set()).add(concept)
                english.setdefault(tuple(map(_english, key)), set()).add(concept)
    # A stem shared by variants of two concepts says nothing: leave it out.
    return (
        surface,
        {key: next(iter(c)) for key, c in dutch.items() if len(c) == 1},
        {key: next(iter(c)) for key, c in english.items() if len(c) == 1},
    )


_SURFACE, _DUTCH_STEMMED, _ENGLISH_STEMMED = _build_tables()
_MAX_SPAN = max(len(key) for key in _SURFACE)
_FIRST_WORDS = frozenset(
    key[0]
    for table in (_SURFACE, _DUTCH_STEMMED, _ENGLISH_STEMMED)
    for key in table
    if len(key) > 1
)


def concept_of(words: Sequence[str]) -> str | None:
    """The concept of a sequence of normalised words: as written, else by Dutch/English stems."""
    return _concept_of(tuple(words))


@lru_cache(maxsize=200_000)
def _concept_of(key: tuple[str, ...]) -> str | None:
    concept = _SURFACE.get(key)
    if concept or any(word in NO_CONCEPT for word in key):
        return concept
    stem_key = tuple(map(_dutch, key))
    concept = _SURFACE.get(stem_key) or _DUTCH_STEMMED.get(stem_key)
    if concept:
        return concept
    stem_key = tuple(map(_english_inflected, key))
    return _SURFACE.get(stem_key) or _ENGLISH_STEMMED.get(stem_key)


@lru_cache(maxsize=200_000)
def _may_start_span(word: str) -> bool:
    return (
        word in _FIRST_WORDS
        or _dutch(word) in _FIRST_WORDS
        or _english_inflected(word) in _FIRST_WORDS
    )


def match_span(words: Sequence[str], start: int) -> tuple[int, str] | None:
    """The longest multi-word variant at ``words[start:]`` as (length, concept), or None."""
    if not _may_start_span(words[start]):
        return None
    for length in range(min(_MAX_SPAN, len(words) - start), 1, -1):
        concept = _concept_of(tuple(words[start : start + length]))
        if concept:
            return length, concept
    return None


# ---- compound words ----------------------------------------------------------------------------

_SINGLE_VARIANTS = frozenset(
    key[0] for key in _SURFACE if len(key) == 1 and key[0].isalpha() and len(key[0]) >= 3
)
_PARTS = (
    _SINGLE_VARIANTS
    | COMPOUND_PARTS
    | frozenset(
        key[0] for key in _DUTCH_STEMMED if len(key) == 1 and key[0].isalpha() and len(key[0]) >= 5
    )
)
# Only whole words carry a concept into a partial split ("keuken|prinses").
_CONCEPT_PARTS = frozenset(part for part in _SINGLE_VARIANTS if len(part) >= 5)
_MIN_PART = 3
_MIN_COMPOUND = 7


def _cover(word: str, start: int, memo: dict[int, tuple[str, ...] | None]):
    """The fewest dictionary parts that spell ``word[start:]`` (linking "s" allowed).

    From the start of the word at least two parts: the whole word is not a split.
    """
    if start == len(word):
        return ()
    if start in memo:
        return memo[start]
    best: tuple[str, ...] | None = None
    longest = len(word) if start else len(word) - _MIN_PART
    for end in range(longest, start + _MIN_PART - 1, -1):  # longest part first
        part = word[start:end]
        if part not in _PARTS:
            continue
        for rest_start in (end, end + 1) if word[end : end + 1] == "s" else (end,):
            rest = _cover(word, rest_start, memo)
            if rest is not None and (best is None or len(rest) + 1 < len(best)):
                best = (part, *rest)
    memo[start] = best
    return best


@lru_cache(maxsize=200_000)
def split_compound(word: str) -> tuple[str, ...]:
    """The known parts of a Dutch compound ("magazijnmedewerker" -> magazijn, medewerker).

    Longest match over the dictionary of single-word variants and generic job-word parts. If
    the whole word cannot be spelt from known parts, a known concept-bearing head or tail of at
    least five letters is still returned ("keukenprinses" -> keuken). Empty if nothing is found.
    """
    if len(word) < _MIN_COMPOUND or not word.isalpha():
        return ()
    parts = _cover(word, 0, {})
    if parts:
        return parts
    if word in _PARTS or concept_of((word,)) is not None:
        return ()
    for end in range(len(word) - _MIN_PART, 4, -1):
        if word[:end] in _CONCEPT_PARTS:
            return (word[:end],)
    for start in range(_MIN_PART, len(word) - 4):
        if word[start:] in _CONCEPT_PARTS:
            return (word[start:],)
    return ()


# ---- one word, expanded ------------------------------------------------------------------------


def concept_token(concept: str) -> str:
    return CONCEPT_PREFIX + concept


@lru_cache(maxsize=200_000)
def expand(word: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(other forms, concept tokens, query forms) a normalised non-stop word adds at its position.

    Other forms: its stems, for "mbo2" the word "mbo", for hyphenated words the joined word and
    the parts, for compounds the parts, each with their stems. Concepts: of the word itself (as
    written or by stem), else of the hyphenated parts together, else of each part. Query forms:
    the other forms without generic parts ("werk" of "magazijnwerk") when the word has a
    concept: in a query they would find every "werkplaats", in a document they do no harm.
    """
    forms, names, generic = _expand(word)
    query_forms = tuple(f for f in forms if f not in generic) if names else forms
    return forms, tuple(concept_token(name) for name in names), query_forms


@lru_cache(maxsize=200_000)
def _expand(word: str) -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]:
    forms: list[str] = list(stems(word))
    concepts: list[str] = []
    generic: set[str] = set()
    own = concept_of((word,))
    if own:
        concepts.append(own)
    level = _LEVEL_RE.match(word)
    if level:
        forms.append(level.group(1))
        concepts.append(concept_of((level.group(1),)) or level.group(1))
    parts: tuple[str, ...] = ()
    if "-" in word:
        pieces = tuple(piece for piece in word.split("-") if piece)
        joined = "".join(pieces)
        forms.append(joined)
        parts = tuple(piece for piece in pieces if piece not in STOP_WORDS)
        if not own:
            own = concept_of(pieces) or concept_of((joined,))
            if own:
                concepts.append(own)
        parts = (*parts, *split_compound(joined))
    else:
        parts = split_compound(word)
    for part in parts:
        part_forms, part_concepts, _ = _expand(part)
        forms.extend((part, *part_forms))
        if not part_concepts:
            generic.update((part, *part_forms))
        if not own:
            concepts.extend(part_concepts)
    forms = [form for form in dict.fromkeys(forms) if form != word]
    return tuple(forms), tuple(dict.fromkeys(c for c in concepts if c)), frozenset(generic)


def is_stop(word: str) -> bool:
    return word in STOP_WORDS


WordInfo = tuple[str, bool, bool, tuple[str, ...], tuple[str, ...], tuple[str, ...]]


@lru_cache(maxsize=200_000)
def word_info(raw: str) -> WordInfo:
    """Everything the filter needs about one token as written, in one cached call: (normalised
    word, is a stop word, may start a multi-word variant, other forms, concepts, query forms).
    """
    word = normalize(raw)
    if word in STOP_WORDS:
        return word, True, _may_start_span(word), (), (), ()
    forms, concept_tokens, query_forms = expand(word)
    return word, False, _may_start_span(word), forms, concept_tokens, query_forms


def fingerprint() -> str:
    """A short hash of the synonym data, the word lists and the code version.

    Store it with the index: when it changes, documents analysed before mean other tokens and
    the index must be rebuilt.
    """
    payload = repr(
        (
            CODE_VERSION,
            sorted((g, sorted((c, v) for c, v in d.items())) for g, d in GROUPS.items()),
            sorted(ACRONYMS.items()),
            sorted(COMPOUND_PARTS),
            sorted(NO_CONCEPT),
            sorted(STOP_WORDS),
            CONCEPT_PREFIX,
        )
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]
