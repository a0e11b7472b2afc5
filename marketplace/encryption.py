"""Encryption at rest of the `special` columns: health and family constraints (security.md R39).

A column of type ``Encrypted`` holds a Fernet token (AES-128-CBC with HMAC-SHA256) of its value
in the database; the app reads and writes plain values. The keys come from the setting
``DATA_ENCRYPTION_KEYS``: Fernet keys separated by commas, the newest first. Values are written
with the first key and read with any of them, so a new key goes first, ``flask keys
reencrypt`` rewrites every value with it, and only then is the old key removed.

The plain value is padded to a multiple of ``BLOCK`` bytes before encryption, so the length of
a token does not tell which limit or which part of the week it holds. The database cannot
compare or sort encrypted values: a query on such a column is refused (``Encrypted`` raises),
and rules over these values run in Python.
"""

from __future__ import annotations

import enum
import json
from typing import Any

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app, has_app_context
from sqlalchemy.sql import operators

from config import DEVELOPMENT_DATA_KEY

#: plain values are padded with spaces to a multiple of this many bytes
BLOCK = 32


class DataKeyError(RuntimeError):
    """The keys are missing or malformed, or none of them opens a stored value."""


def keyring(setting: str | None) -> MultiFernet:
    """The keys of a ``DATA_ENCRYPTION_KEYS`` setting as one: writes with the first."""
    return MultiFernet(fernets(setting))


def fernets(setting: str | None) -> list[Fernet]:
    """The keys of a ``DATA_ENCRYPTION_KEYS`` setting, newest first, or a clear error."""
    keys = [k.strip() for k in (setting or "").split(",") if k.strip()]
    if not keys:
        raise DataKeyError(
            "DATA_ENCRYPTION_KEYS is not set. Make a key with `flask keys generate` and set "
            "DATA_ENCRYPTION_KEYS to it (keep a copy with the backups' key)."
        )
    found = []
    for number, key in enumerate(keys, start=1):
        try:
            found.append(Fernet(key.encode()))
        except (ValueError, TypeError):
            raise DataKeyError(
                f"Key {number} of DATA_ENCRYPTION_KEYS is not a Fernet key (44 characters of "
                "url-safe base64); `flask keys generate` makes one."
            ) from None
    return found


def init_app(app: Flask) -> None:
    """Read the keys once; production refuses to start without its own key."""
    setting = app.config.get("DATA_ENCRYPTION_KEYS")
    if app.config.get("PRODUCTION") and DEVELOPMENT_DATA_KEY in (setting or ""):
        raise DataKeyError(
            "DATA_ENCRYPTION_KEYS holds the published development key; production needs its "
            "own key (`flask keys generate`)."
        )
    app.extensions["data_keys"] = keyring(setting)


def current_keys() -> MultiFernet:
    if not has_app_context():
        raise DataKeyError("Encrypted columns are read and written inside the app (its keys).")
    return current_app.extensions["data_keys"]


def seal(keys: MultiFernet, text: str) -> str:
    """The token of a plain text, padded so its length says little."""
    raw = text.encode()
    raw += b" " * (-len(raw) % BLOCK)
    return keys.encrypt(raw).decode("ascii")


def unseal(keys: MultiFernet, token: str, where: str = "a column") -> str:
    """The plain text of a token, or a clear error when no key opens it."""
    try:
        return keys.decrypt(token.encode("ascii")).decode().rstrip(" ")
    except (InvalidToken, UnicodeError):
        raise DataKeyError(
            f"A value in {where} cannot be decrypted with DATA_ENCRYPTION_KEYS: the key it was "
            "written with is missing (run `flask keys reencrypt` before removing a key)."
        ) from None


class Encrypted(sa.types.TypeDecorator):
    """A JSON value (``Encrypted(sa.JSON)``) or a closed enum (``Encrypted(SomeEnum)``),
    encrypted with the app's keys. ``None`` stays NULL, so NOT NULL still means something."""

    impl = sa.Text
    cache_ok = True

    def __init__(self, plain: type[enum.Enum] | type[sa.JSON]):
        super().__init__()
        self.plain = plain

    @property
    def enum_class(self) -> type[enum.Enum] | None:
        """The closed list the value comes from, or None for a JSON value."""
        return (
            self.plain
            if isinstance(self.plain, type) and issubclass(self.plain, enum.Enum)
            else None
        )

    @property
    def python_type(self) -> type:
        return self.enum_class or object

    def plain_type(self) -> sa.types.TypeEngine:
        """The type the value would have unencrypted (for rules that look at column types)."""
        enum_class = self.enum_class
        if enum_class is None:
            return sa.JSON()
        return sa.Enum(enum_class, values_callable=lambda e: [m.value for m in e])

    def to_text(self, value: Any) -> str:
        enum_class = self.enum_class
        if enum_class is None:
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        return enum_class(value).value  # a string outside the list raises ValueError

    def from_text(self, text: str) -> Any:
        enum_class = self.enum_class
        return json.loads(text) if enum_class is None else enum_class(text)

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return seal(current_keys(), self.to_text(value))

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        if value is None:
            return None
        return self.from_text(unseal(current_keys(), value))

    class comparator_factory(sa.types.TypeDecorator.Comparator):  # noqa: N801 (SQLAlchemy's name)
        """Only NULL tests: any other comparison in SQL would silently never match."""

        def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
            if op not in (operators.is_, operators.is_not):
                raise TypeError("An encrypted column cannot be compared in SQL; filter in Python.")
            return super().operate(op, *other, **kwargs)


def plain_type(column_type: sa.types.TypeEngine) -> sa.types.TypeEngine:
    """A column's type as its values have it: the plain type of an encrypted column."""
    return column_type.plain_type() if isinstance(column_type, Encrypted) else column_type


def encrypted_columns(metadata: sa.MetaData) -> list[sa.Column]:
    """Every encrypted column, table by table."""
    return [
        column
        for table in metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, Encrypted)
    ]


def _batches(connection: sa.Connection, column: sa.Column, size: int):
    """The (primary key, token) pairs of a column's non-NULL values, ``size`` at a time."""
    [key] = column.table.primary_key.columns
    last = None
    while True:
        query = sa.select(key, sa.type_coerce(column, sa.Text)).where(column.is_not(None))
        if last is not None:
            query = query.where(key > last)
        rows = connection.execute(query.order_by(key).limit(size)).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def reencrypt(connection: sa.Connection, keys: MultiFernet, size: int = 500) -> dict[str, int]:
    """Write every encrypted value again with the newest key; the counts per column.

    Runs in the caller's transaction, so it changes everything or nothing."""
    counts = {}
    for column in encrypted_columns(_metadata()):
        where = f"{column.table.name}.{column.name}"
        [key] = column.table.primary_key.columns
        plain = sa.table(column.table.name, sa.column(key.name), sa.column(column.name))
        done = 0
        for rows in _batches(connection, column, size):
            for ident, token in rows:
                try:
                    rotated = keys.rotate(token.encode("ascii")).decode("ascii")
                except InvalidToken:
                    unseal(keys, token, where)  # no key opens it: raises DataKeyError
                    raise
                connection.execute(
                    sa.update(plain)
                    .where(plain.c[key.name] == ident)
                    .values({column.name: rotated})
                )
            done += len(rows)
        counts[where] = done
    return counts


def key_status(connection: sa.Connection, setting: str) -> dict[str, tuple[int, int, int]]:
    """Per column: how many values the newest key opens, how many only an older key, and
    how many no key at all. An old key may go once the second and third counts are 0."""
    found = fernets(setting)
    newest, keys = MultiFernet(found[:1]), MultiFernet(found)
    status = {}
    for column in encrypted_columns(_metadata()):
        counts = [0, 0, 0]
        for rows in _batches(connection, column, 1000):
            for _ident, token in rows:
                for place, ring in enumerate((newest, keys)):
                    try:
                        ring.decrypt(token.encode("ascii"))
                    except InvalidToken:
                        continue
                    counts[place] += 1
                    break
                else:
                    counts[2] += 1
        status[f"{column.table.name}.{column.name}"] = tuple(counts)
    return status


def _metadata() -> sa.MetaData:
    import marketplace.models  # noqa: F401  (every table)
    from marketplace.db import Base

    return Base.metadata
