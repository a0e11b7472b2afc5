"""Snippets: the piece of a place's description around the searched words, words marked.

A snippet is a list of ``(text, marked)`` pieces, not HTML: the template escapes the text
and wraps the marked pieces in ``<mark>``, so a description can never inject markup.

A word is marked when any of its forms (the word, its stems, its parts, its concept) is one
of the searched terms, so ``koken`` marks "kok" too. Forms are looked up per distinct word
and remembered, which keeps twenty snippets on a results page cheap.
"""

from __future__ import annotations

import re
from functools import lru_cache

from marketplace.search.analysis import analyze

Snippet = list[tuple[str, bool]]
ELLIPSIS = "…"
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


@lru_cache(maxsize=100_000)
def _forms(word: str) -> frozenset[str]:
    return frozenset(analyze(word))


def _start_before(text: str, position: int, context: int) -> int:
    """Where a snippet starts: the text's start when near, else a sentence or word start."""
    if position <= context:
        return 0
    sentence = text.rfind(". ", 0, position)
    if sentence >= 0 and position - sentence <= context:
        return sentence + 2
    space = text.rfind(" ", 0, position - context // 2)
    return space + 1 if space >= 0 else 0


def snippet(text: str, terms: set[str], size: int = 200) -> Snippet:
    """The piece of ``text`` (about ``size`` characters) with the most searched words."""
    if not text or not terms:
        return []
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    marked = [(s, e) for s, e in words if not _forms(text[s:e].lower()).isdisjoint(terms)]
    if not marked:
        return []
    # the window of ``size`` characters that holds the most marked words
    best_start, best_count = marked[0][0], 0
    for index, (start, _end) in enumerate(marked):
        count = sum(1 for s, e in marked[index:] if e <= start + size)
        if count > best_count:
            best_start, best_count = start, count
    begin = _start_before(text, best_start, size // 3)
    end = min(len(text), begin + size)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > best_start else end
    if not re.search(r"\w", text[end:]):
        end = len(text)  # only punctuation is left: no need for an ellipsis
    pieces: Snippet = [(ELLIPSIS, False)] if begin > 0 else []
    position = begin
    for start, stop in marked:
        if start < begin or stop > end:
            continue
        pieces.append((text[position:start], False))
        pieces.append((text[start:stop], True))
        position = stop
    pieces.append((text[position:end], False))
    if end < len(text):
        pieces.append((ELLIPSIS, False))
    return [(piece, flag) for piece, flag in pieces if piece]
