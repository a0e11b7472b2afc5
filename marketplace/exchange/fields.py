"""Checks for single values of an exchange document: each returns the value as the models store it.

A check raises ``Invalid`` with what is wrong; ``got`` carries the offending value, which the
caller shows only where it is not personal data, and ``path`` the place inside a list or object.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

from babel import Locale

from marketplace.geo.services import parse_postcode
from marketplace.vocab import Schedule

_REF = re.compile(r"[A-Za-z0-9._-]{1,64}")
_KVK = re.compile(r"[0-9]{8}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: half of a UTF-16 pair on its own (JSON's "\ud800"): no database can store it as text
_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: the largest INTEGER PostgreSQL stores (a larger number must not reach the database)
DB_INT_MAX = 2**31 - 1
_NO_URL = re.compile(r"[\s\x00-\x1f\x7f]")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_]{1,40}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: ISO 639-1: the two-letter codes among the languages Babel (CLDR) knows
ISO_639_1 = frozenset(c for c in Locale("en").languages if len(c) == 2 and c.isalpha())
#: ``Invalid.got`` when there is no value worth showing
NOTHING: Any = object()


class Invalid(Exception):
    """A value breaks the spec; ``got`` is the value, ``path`` where inside it (``[2].years``)."""

    def __init__(self, message: str, got: Any = NOTHING, path: str = ""):
        super().__init__(message)
        self.message, self.got, self.path = message, got, path


def key_name(key: str) -> str:
    """A key as it can be printed safely: plain if it is a plain word, else quoted and short."""
    return key if _PLAIN_KEY.fullmatch(key) else repr(key[:40])


def kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _expect(value: Any, types: tuple[type, ...], wanted: str) -> None:
    if not isinstance(value, types) or isinstance(value, bool) and bool not in types:
        raise Invalid(f"must be {wanted}, got {kind_of(value)}")
    if isinstance(value, str) and _SURROGATE.search(value):
        raise Invalid("must be Unicode text, without a lone surrogate such as \\ud800")


def text(max_length: int | None = None) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        _expect(value, (str,), "a string")
        if not value.strip():
            raise Invalid("must not be empty")
        if _CONTROL.search(value):  # PostgreSQL refuses NUL; the others only hide text
            raise Invalid("must not contain control characters other than tab and newline")
        if max_length is not None and len(value) > max_length:
            raise Invalid(f"must be at most {max_length} characters, got {len(value)}")
        return value

    return check


def ref(value: Any) -> str:
    _expect(value, (str,), "a string")
    if not _REF.fullmatch(value):
        raise Invalid("must be 1-64 characters from A-Z a-z 0-9 . _ -", got=value)
    return value


def choice(enum_cls: type[Enum], allowed: tuple[str, ...] | None = None) -> Callable[[Any], Any]:
    values = allowed or tuple(member.value for member in enum_cls)

    def check(value: Any) -> Enum:
        _expect(value, (str,), "a string")
        if value not in values:
            raise Invalid(f"must be one of {', '.join(values)}", got=value)
        return enum_cls(value)

    return check


def boolean(value: Any) -> bool:
    _expect(value, (bool,), "true or false")
    return value


def integer(low: int | None = None, high: int = DB_INT_MAX) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        _expect(value, (int,), "an integer")
        if low is not None and value < low:
            raise Invalid(f"must be at least {low}", got=value)
        if high is not None and value > high:
            raise Invalid(f"must be at most {high}", got=value)
        return value

    return check


def number(value: Any) -> float:
    _expect(value, (int, float), "a number")
    if value < 0:
        raise Invalid("must not be negative", got=value)
    try:
        return float(value)
    except OverflowError:
        raise Invalid("is too large a number") from None


def postcode(value: Any) -> str:
    _expect(value, (str,), "a string")
    parsed = parse_postcode(value)
    if parsed is None:
        raise Invalid("must be a Dutch postcode like 1234AB or 1234 AB", got=value)
    return parsed


def kvk(value: Any) -> str:
    _expect(value, (str,), "a string")
    if not _KVK.fullmatch(value):
        raise Invalid("must be 8 digits", got=value)
    return value


def url(max_length: int) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        _expect(value, (str,), "a string")
        try:
            parts = urlsplit(value)
            good = parts.scheme in ("http", "https") and parts.hostname and parts.port != 0
        except ValueError:  # e.g. an unclosed [ or a port that is not a number
            good = False
        if not good or _NO_URL.search(value):
            raise Invalid("must be a web address starting with http:// or https://", got=value)
        if len(value) > max_length:
            raise Invalid(f"must be at most {max_length} characters, got {len(value)}")
        return value

    return check


def iso_date(value: Any) -> date:
    _expect(value, (str,), "a string")
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid("must be a date like 2025-03-01", got=value) from None


def list_of(item: Callable[[Any], Any], unique: bool = False) -> Callable[[Any], list]:
    def check(value: Any) -> list:
        _expect(value, (list,), "a list")
        cleaned = []
        for i, element in enumerate(value):
            try:
                cleaned.append(item(element))
            except Invalid as exc:
                raise Invalid(exc.message, exc.got, f"[{i}]{exc.path}") from None
            if unique and cleaned[-1] in cleaned[:-1]:
                raise Invalid("is listed twice", element, f"[{i}]")
        return cleaned

    return check


def language(value: Any) -> str:
    _expect(value, (str,), "a string")
    if value not in ISO_639_1:
        raise Invalid("must be a two-letter ISO 639-1 language code, such as nl", got=value)
    return value


def schedule_slot(value: Any) -> str:
    return choice(Schedule)(value).value


def experience_item(value: Any) -> dict[str, Any]:
    _expect(value, (dict,), 'an object {"occupation": ..., "years": ...}')
    for key in getattr(value, "duplicates", ()):
        raise Invalid("key is given twice", path=f".{key_name(key)}")
    for key in value:
        if key not in ("occupation", "years"):
            message = "unknown key (an experience has occupation and years)"
            raise Invalid(message, path=f".{key_name(key)}")
    cleaned: dict[str, Any] = {}
    for key, check in (("occupation", text()), ("years", _years)):
        if key not in value:
            raise Invalid("required key is missing", path=f".{key}")
        try:
            cleaned[key] = check(value[key])
        except Invalid as exc:
            raise Invalid(exc.message, exc.got, f".{key}") from None
    return cleaned


def _years(value: Any) -> int | float:
    _expect(value, (int, float), "a number")
    if value < 0:
        raise Invalid("must not be negative", got=value)
    return value
