"""No mass assignment: keys a form does not declare change nothing (security.md R05).

For every POST endpoint of the matrix, the valid data of ``test_csrf`` is posted twice from the
same database state: once as it is, once with every column name of every model added as an extra
key with a hostile value (an admin role, an approved status, another organisation's or user's
id, a large capacity, a flag switched). Both posts must leave the same rows, timestamps and
secrets (random salts and tokens) aside. The form's own fields, read from its page, are not
added: those are meant to change things.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from marketplace.db import Base, utcnow
from marketplace.encryption import plain_type
from tests.conftest import make_test_app
from tests.security.fuzz_support import (
    POST_ENDPOINTS,
    changed_tables,
    one_example,
    post,
    prepared,
    table_rows,
)

#: keys the requirement names that no model has as a column, sent all the same
NAMED_KEYS = ("employer_id", "newcomer_id", "capacity", "is_active", "filled", "spots")
#: a hostile value per key, in two variants where one value cannot show every kind of abuse
HOSTILE: dict[str, tuple[str, ...]] = {
    "role": ("admin", "consultant"),
    "status": ("approved", "published"),
    "capacity": ("999",),
    "spots": ("999",),
    "spots_taken": ("0", "999"),
    "filled": ("1", "0"),
    "is_active": ("1", "0"),
    "active": ("0", "1"),
    "verified_at": ("2020-01-01 00:00:00",),
}
#: privileged enum values, tried first when a column's enum has them
PRIVILEGED = ("admin", "approved", "published", "active", "completed", "verified", "agreed")
VARIANTS = 2


def existing_id(connection: sa.Connection, column: sa.Column) -> str:
    """The id of a real row the foreign key could point at (the last one: someone else's)."""
    [key] = column.foreign_keys
    target = key.column
    found = connection.execute(sa.select(sa.func.max(target))).scalar()
    return str(found if found is not None else 1)


def hostile_values(connection: sa.Connection, column: sa.Column) -> tuple[str, ...]:
    if column.name in HOSTILE:
        return HOSTILE[column.name]
    if column.foreign_keys:
        return (existing_id(connection, column),)
    kind = plain_type(column.type)
    kind = kind.impl if isinstance(kind, sa.TypeDecorator) else kind
    enums = getattr(kind, "enums", None)
    if enums:
        first = sorted(enums, key=lambda v: (v not in PRIVILEGED, enums.index(v)))
        return tuple(first[:VARIANTS])
    if isinstance(kind, sa.Boolean):
        return ("1", "0")
    if isinstance(kind, sa.Integer | sa.Float | sa.Numeric):
        return ("999",)
    if isinstance(kind, sa.DateTime):
        return ("2020-01-01 00:00:00",)
    if isinstance(kind, sa.Date):
        return ("2020-01-01",)
    if isinstance(kind, sa.JSON):
        return ('["hostile"]',)
    return ("hostile value",)


def extra_keys(target, variant: int) -> list[tuple[str, str]]:
    """Every column name of every model, and the named keys, not declared by the form."""
    own = {*target.names, "csrf_token"}
    extras: dict[str, str] = {}
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if column.name in own or column.name in extras:
                continue
            values = hostile_values(target.connection, column)
            extras[column.name] = values[variant % len(values)]
    user_id = existing_id(target.connection, Base.metadata.tables["plan"].c.created_by_id)
    for name in NAMED_KEYS:
        values = HOSTILE.get(name, (user_id,))
        if name not in own:
            extras.setdefault(name, values[variant % len(values)])
    return list(extras.items())


def outcome(target, pairs) -> tuple[int, dict, list[str]]:
    """Post in a rolled-back example: the status, the rows it leaves, the tables it changed.

    A time written during the post (or a deadline counted from it) shows as hours from then,
    and a secret (a salted hash, a token) as ``<secret>`` unless it is a value that was sent:
    two identical posts then leave equal rows.
    """
    sent = {value for _name, value in pairs}

    def shown(column: sa.Column, value: object) -> object:
        if isinstance(value, datetime) and value >= started:  # now, or a deadline from now
            return "<now + hours>", round((value - started) / timedelta(hours=1))
        if column.info.get("pii") == "secret" and value is not None and value not in sent:
            return "<secret>"
        return value

    with one_example(target):
        started = utcnow()
        response = post(target, pairs)
        return response.status_code, table_rows(target.connection, shown), changed_tables(target)


def differences(expected: dict, got: dict) -> dict[str, list]:
    """Per table, the rows the hostile post left that the valid post did not."""
    return {
        name: [row for row in got[name] if row not in expected[name]][:3]
        for name in got
        if got[name] != expected[name]
    }


@pytest.fixture(scope="module")
def mass_app(migrated_app, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mass-assignment")
    return make_test_app(migrated_app.config["DATABASE_URL"], tmp)


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_extra_keys_change_nothing_the_form_does_not_declare(mass_app, endpoint):
    with prepared(mass_app, endpoint) as target:
        status, expected, changed = outcome(target, target.valid)
        assert status == target.status, "the valid data no longer works: fix VALID_POSTS"
        if endpoint != "pages.set_language":  # an anonymous visitor's language is a cookie
            assert changed, "the valid post changed nothing, so the comparison would prove nothing"
        for variant in range(VARIANTS):
            extras = extra_keys(target, variant)
            hostile_status, got, _changed = outcome(target, [*target.valid, *extras])
            assert hostile_status == status
            assert differences(expected, got) == {}, f"extra keys {dict(extras)} were used"


def test_the_extra_keys_cover_the_columns_the_requirement_names(mass_app):
    """Every abuse R05 lists is tried on a form that does not declare it."""
    with prepared(mass_app, "places.edit") as target:
        sent = dict(extra_keys(target, 0))
        assert sent["role"] == "admin" and sent["status"] == "approved"
        for name in ("consultant_id", "organisation_id", "user_id", "spots", "active"):
            assert name in sent
        assert {*NAMED_KEYS} <= set(sent)
        assert dict(extra_keys(target, 1))["status"] == "published"
