"""Password rules (NIST 800-63B) and Argon2id hashing."""

from __future__ import annotations

import functools
import re
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from flask_babel import lazy_gettext as _l

#: words from our own context that make a password easy to guess
CONTEXT_WORDS = (
    "participatie",
    "participation",
    "marketplace",
    "marktplaats",
    "inburgering",
    "gemeente",
    "utrecht",
    "amsterdam",
    "rotterdam",
    "denhaag",
    "nieuwkomer",
    "newcomer",
    "wachtwoord",
    "password",
    "welkom",
    "welcome",
)


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
    """The 30,000 most common passwords (from zxcvbn's list) and our context words."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"]) | frozenset(CONTEXT_WORDS)


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
    local_part = email.split("@")[0]
    if (email and email in lowered) or (
        len(local_part) >= 4 and local_part in lowered and len(lowered) - len(local_part) < 8
    ):
        return _l("Do not use your e-mail address in your password.")
    if (
        any(word in lowered for word in CONTEXT_WORDS)
        and len(lowered) - max((len(w) for w in CONTEXT_WORDS if w in lowered), default=0) < 8
    ):
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
