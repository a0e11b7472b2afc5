"""Password rules (NIST 800-63B) and Argon2id hashing."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from flask_babel import lazy_gettext as _l

#: words from our own context (the site, its subjects, the municipalities it serves)
CONTEXT_WORDS_FILE = Path(__file__).with_name("context_words.txt")
#: how many characters a password needs besides context words and the e-mail's name
CONTEXT_REMAINDER = 8


def normalise(password: str) -> str:
    """NFKC-normalise a password, so that the same text typed differently is the same password."""
    return unicodedata.normalize("NFKC", password)


def hasher(config: dict | None = None) -> PasswordHasher:
    config = config if config is not None else current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password: str, config: dict | None = None) -> str:
    """An Argon2id hash of the normalised password."""
    return hasher(config).hash(normalise(password))


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when the password matches; runs the KDF even without a hash (no timing oracle)."""
    ph = hasher()
    try:
        return ph.verify(stored_hash or _dummy_hash(), normalise(password)) and bool(stored_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with other parameters than the current ones."""
    try:
        return hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def _dummy_hash() -> str:
    key = (current_app.config["ARGON2_TIME_COST"], current_app.config["ARGON2_MEMORY_COST"])
    return _dummy_hash_for(key)


@functools.lru_cache(maxsize=4)
def _dummy_hash_for(key: tuple[int, int]) -> str:
    return PasswordHasher(time_cost=key[0], memory_cost=key[1], parallelism=1).hash(
        "not-a-real-password-only-for-timing"
    )


@functools.lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords (from zxcvbn's list)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def squash(text: str) -> str:
    """Lower case letters and digits only, without accents: how context words are compared."""
    decomposed = unicodedata.normalize("NFKD", normalise(text).lower())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


@functools.lru_cache(maxsize=1)
def context_words() -> frozenset[str]:
    """The words of CONTEXT_WORDS_FILE, squashed."""
    lines = CONTEXT_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(squash(line) for line in lines if line.strip() and not line.startswith("#"))


def email_words(email: str | None) -> frozenset[str]:
    """The name part of an e-mail address, whole and in its pieces (amal.haddad: amal, haddad)."""
    local_part = (email or "").lower().split("@")[0]
    pieces = [local_part, *re.split(r"[._+-]+", local_part)]
    return frozenset(w for w in map(squash, pieces) if len(w) >= 3)


def _without(text: str, words: frozenset[str]) -> tuple[str, set[str]]:
    """The text with every word in it taken out (longest first), and the words found."""
    found = set()
    for word in sorted(words, key=len, reverse=True):
        if word in text:
            found.add(word)
            text = text.replace(word, "")
    return text, found


def password_problem(password: str, email: str | None = None, min_length: int | None = None):
    """The reason a password is refused, or None when it is good enough."""
    min_length = min_length or current_app.config["PASSWORD_MIN_LENGTH"]
    text = normalise(password)
    if len(text) < min_length:
        return _l(
            "Use at least %(n)d characters. A short sentence is easy to remember.", n=min_length
        )
    if len(text) > 1024:
        return _l("Use at most 1024 characters.")
    lowered = text.lower()
    letters = re.sub(r"[\W\d_]+", "", lowered)
    blocked = common_passwords()
    if lowered in blocked or (letters and letters in blocked and len(letters) < min_length):
        return _l("This password is too common. Choose a password that others do not use.")
    if len(set(lowered)) < 5 or _is_repetition(lowered) or _is_sequence(lowered):
        return _l("This password is too easy to guess. Use a few unrelated words.")
    email = (email or "").lower()
    if email and email in lowered:
        return _l("Do not use your e-mail address in your password.")
    personal = email_words(email)
    rest, found = _without(squash(text), context_words() | personal)
    if found and len(rest) < CONTEXT_REMAINDER:
        if found & personal:
            return _l("Do not use your e-mail address in your password.")
        return _l(
            "Do not use the name of this site or of your town as the main part of your password."
        )
    return None


def _is_repetition(text: str) -> bool:
    """True for a short pattern repeated (abcabcabc..., 123412341234...)."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return True
    return False


def _is_sequence(text: str) -> bool:
    """True for a run such as 123456789012... or abcdefgh... (either direction)."""
    steps = {(ord(b) - ord(a)) for a, b in zip(text, text[1:], strict=False)}
    return steps <= {1, -9} or steps <= {-1, 9}
