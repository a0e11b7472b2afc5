"""\"Did you mean ...?\": a better-spelt query, from the words the index holds.

A word of the query that no place has is replaced by the closest word that places do have
(at most two letters different, the same first letter; among equals the most common one).
Only the indexed words of titles and skills are offered, so the suggestion reads as a word
an employer wrote, not as a stem.
"""

from __future__ import annotations

import re

from whoosh.searching import Searcher

from marketplace.search.analysis import analyze

#: the fields whose words are offered, in order of preference
FIELDS = ("title", "skills_wanted", "skills_learned", "description")
MAX_DISTANCE = 2
_PLAIN_WORD = re.compile(r"^[^\W\d_]{3,}$")


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _known(searcher: Searcher, word: str) -> bool:
    tokens = analyze(word)
    return any(searcher.doc_frequency(name, token) for name in FIELDS for token in tokens)


def correction(searcher: Searcher, word: str) -> str | None:
    """The closest indexed word to a word that no place has (None if it is known or new)."""
    word = word.lower()
    if not _PLAIN_WORD.match(word) or _known(searcher, word):
        return None
    reader = searcher.reader()
    options: dict[str, tuple[int, int]] = {}
    for name in FIELDS:
        for candidate in reader.terms_within(name, word, MAX_DISTANCE, prefix=1):
            if isinstance(candidate, bytes):
                candidate = candidate.decode()
            if candidate.startswith("@") or not _PLAIN_WORD.match(candidate):
                continue
            rank = (edit_distance(word, candidate), -searcher.doc_frequency(name, candidate))
            if candidate not in options or rank < options[candidate]:
                options[candidate] = rank
        if options:
            break  # words from a more telling field win
    if not options:
        return None
    return min(options, key=lambda c: (options[c], c))


def suggestion_for(searcher: Searcher, words: list[str], text: str) -> str | None:
    """The visitor's text with misspelt words corrected, or None when nothing changes."""
    corrected = text
    changed = False
    for word in words:
        better = correction(searcher, word)
        if better:
            corrected = re.sub(rf"\b{re.escape(word)}\b", better, corrected, count=1)
            changed = True
    return corrected if changed else None
