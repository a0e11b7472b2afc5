"""What a visitor types in the search box, turned into a query safely.

The syntax is small on purpose and never fails with a stack trace:

* plain words: every word must occur (in any of its forms, see :mod:`analysis`);
* ``-word``: leave out places with that word;
* ``word*``: words that begin so (at least 3 letters before the star, at most 3 such words,
  each expanding to at most 50 words of the index);
* ``title:word``, ``skills:word``, ``education:word``, ``organisation:word`` (and the Dutch
  ``titel:``, ``vaardigheden:``, ``opleiding:``, ``organisatie:``): only in that part.

Any other ``name:`` is read as plain words, so only public fields can ever be searched. Every
other character is punctuation. A query that is too long, has too many words or too many
stars is refused with a message for the visitor (``QueryError``), and nothing is searched.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from whoosh.query import And, AndNot, Or, Query, Term
from whoosh.searching import Searcher

from marketplace.search.analysis import analyze, query_for

MAX_LENGTH = 200
MAX_WORDS = 12
MAX_WILDCARDS = 3
MIN_PREFIX = 3
MAX_EXPANSIONS = 50

#: the text fields a plain word is looked for in, with their weights
TEXT_FIELDS = {
    "title": 2.0,
    "skills_wanted": 1.5,
    "skills_learned": 1.2,
    "education_offered": 1.2,
    "description": 1.0,
    "organisation": 0.8,
}
#: what a visitor may write before a colon, and the fields it means
FIELD_ALIASES = {
    "title": ("title",),
    "titel": ("title",),
    "skills": ("skills_wanted", "skills_learned"),
    "vaardigheden": ("skills_wanted", "skills_learned"),
    "education": ("education_offered",),
    "opleiding": ("education_offered",),
    "organisation": ("organisation",),
    "organization": ("organisation",),
    "organisatie": ("organisation",),
}
# a name before a colon may hold digits, underscores and dots (limit.kind:): it is read as
# words like any other unknown name, never as a misplaced star (R30)
_TOKEN = re.compile(r'(-?)(?:([^\W\d_][\w.]*):)?("[^"]*"|[^\s"]+)')
_WORDISH = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")


class QueryError(ValueError):
    """The text cannot be searched as it is; ``message`` says why, for the visitor."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class UserQuery:
    """A parsed search text: the query, and the words for highlighting and spelling."""

    text: str
    query: Query | None  # None: nothing to look for (an empty box)
    words: list[str] = field(default_factory=list)  # the visitor's own words, in order
    highlight_terms: set[str] = field(default_factory=set)


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _prefix_query(searcher: Searcher, prefix: str, fieldnames: tuple[str, ...]) -> Query | None:
    terms: list[Query] = []
    reader = searcher.reader()
    for name in fieldnames:
        for n, term in enumerate(reader.expand_prefix(name, prefix)):
            if n >= MAX_EXPANSIONS:
                break
            text = term.decode() if isinstance(term, bytes) else term
            if not text.startswith("@"):  # concept tokens are not words
                terms.append(Term(name, text, boost=TEXT_FIELDS.get(name, 1.0)))
    return Or(terms) if terms else None


def parse(text: str, searcher: Searcher) -> UserQuery:
    """The query for a visitor's text, or ``QueryError`` with the reason it cannot run."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if len(text) > MAX_LENGTH:
        raise QueryError(_l("Use at most %(count)d characters.", count=MAX_LENGTH))
    positive: list[Query] = []
    negative: list[Query] = []
    words: list[str] = []
    highlight: set[str] = set()
    wildcards = 0
    for minus, alias, body in _TOKEN.findall(text):
        fieldnames = FIELD_ALIASES.get(alias.lower()) if alias else None
        if alias and fieldnames is None:
            body = f"{alias} {body}"  # not a field we offer: its name is just a word
        fieldnames = fieldnames or tuple(TEXT_FIELDS)
        body = body.strip('"')
        if "*" in body.rstrip("*") and _WORDISH.search(body):
            raise QueryError(_l("A star (*) can only end a word, as in kok*."))
        if not _WORDISH.search(body):
            continue  # punctuation only
        if body.endswith("*") and not minus and " " not in body:
            prefix = _fold(body.rstrip("*"))
            if "*" in prefix or "?" in prefix or not _WORDISH.fullmatch(prefix):
                raise QueryError(_l("A star (*) can only end a word, as in kok*."))
            if len(prefix) < MIN_PREFIX:
                raise QueryError(
                    _l("Write at least %(count)d letters before a star (*).", count=MIN_PREFIX)
                )
            wildcards += 1
            if wildcards > MAX_WILDCARDS:
                raise QueryError(_l("Use at most %(count)d stars (*).", count=MAX_WILDCARDS))
            words.append(body)
            expanded = _prefix_query(searcher, prefix, fieldnames)
            # a prefix no word has: nothing can match, as with any unknown word
            positive.append(expanded if expanded is not None else Term("title", prefix))
            if expanded is not None:
                highlight.update(t for _f, t in expanded.iter_all_terms())
            continue
        plain = " ".join(_WORDISH.findall(body))
        if not plain:
            continue
        found = query_for(
            plain,
            fieldnames,
            boosts={name: TEXT_FIELDS.get(name, 1.0) for name in fieldnames},
        )
        if found is None:
            continue  # only stop words
        (negative if minus else positive).append(found)
        if not minus:
            words.extend(plain.split())
            highlight.update(analyze(plain))
    if len(words) > MAX_WORDS:
        raise QueryError(_l("Use at most %(count)d words.", count=MAX_WORDS))
    if not positive:
        if negative:
            raise QueryError(_l("Also write a word to look for, not only words to leave out."))
        return UserQuery(text, None)
    query: Query = positive[0] if len(positive) == 1 else And(positive)
    if negative:
        query = AndNot(query, negative[0] if len(negative) == 1 else Or(negative))
    return UserQuery(text, query, words, highlight)
