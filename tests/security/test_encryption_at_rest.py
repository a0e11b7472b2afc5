"""R39: the health and family constraints are encrypted in the database, and keys rotate.

Written through the app and read back with plain SQL on the database connection, the special
columns hold tokens that do not contain the values; after a new key and ``flask keys
reencrypt``, the new key alone opens every value.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from config import DEVELOPMENT_DATA_KEY, ProductionConfig
from marketplace import create_app
from marketplace.accounts.models import Role
from marketplace.db import Base
from marketplace.encryption import (
    DataKeyError,
    Encrypted,
    encrypted_columns,
    keyring,
    seal,
)
from marketplace.newcomers.models import (
    NewcomerLimit,
    NewcomerProfile,
    PracticalLimit,
)
from marketplace.newcomers.profile_services import update_part
from marketplace.vocab import PhysicalDemand
from tests.conftest import production_settings
from tests.factories import make_user

CANARY = "canary_r39_night_shift_story"


@pytest.fixture
def newcomer(db_session):
    """A newcomer whose week, capacity, limits and history hold recognisable values."""
    user = make_user(Role.NEWCOMER, language="en")
    profile = db_session.scalars(sa.select(NewcomerProfile).filter_by(user_id=user.id)).one()
    update_part(
        db_session,
        user,
        profile,
        "availability",
        {"schedule": ["saturday_evening"], "hours_available": 12},
    )
    update_part(
        db_session,
        user,
        profile,
        "limits",
        {"limits": [PracticalLimit.SCHOOL_HOURS_ONLY], "physical_capacity": PhysicalDemand.LIGHT},
    )
    profile.schedule = [CANARY]  # a value no closed list would let through, to look for
    db_session.flush()
    return profile


def _raw_rows(db_session, table: str, where: str, ident: int) -> list[tuple]:
    """The rows as the database holds them: plain SQL on the test's own connection."""
    connection = db_session.connection()
    query = sa.text(f"SELECT * FROM {table} WHERE {where} = :ident")  # noqa: S608 (test names)
    return [tuple(row) for row in connection.execute(query, {"ident": ident})]


def test_a_raw_select_shows_tokens_not_the_values(db_session, newcomer):
    held = {
        "newcomer_profile": _raw_rows(db_session, "newcomer_profile", "id", newcomer.id),
        "newcomer_limit": _raw_rows(db_session, "newcomer_limit", "profile_id", newcomer.id),
        "profile_change": _raw_rows(db_session, "profile_change", "profile_id", newcomer.id),
    }
    assert all(held.values()) and len(held["profile_change"]) >= 3
    text = repr(held)
    for value in (CANARY, "saturday_evening", "school_hours_only", "light"):
        assert value not in text, value
    # while the app reads them back as they were written
    db_session.expire_all()
    assert newcomer.schedule == [CANARY]
    assert newcomer.physical_capacity == PhysicalDemand.LIGHT
    assert [limit.kind for limit in newcomer.limits] == [PracticalLimit.SCHOOL_HOURS_ONLY]


def test_every_special_column_is_encrypted_and_nothing_else():
    special = {
        f"{column.table.name}.{column.name}"
        for table in Base.metadata.tables.values()
        for column in table.columns
        if column.info["pii"] == "special"
    }
    encrypted = {f"{c.table.name}.{c.name}" for c in encrypted_columns(Base.metadata)}
    assert special == encrypted
    assert "newcomer_limit.kind" in encrypted


def test_tokens_do_not_tell_the_limits_apart_by_length(app):
    keys = keyring(DEVELOPMENT_DATA_KEY)
    lengths = {len(seal(keys, kind.value)) for kind in PracticalLimit}
    lengths |= {len(seal(keys, demand.value)) for demand in PhysicalDemand}
    assert len(lengths) == 1


def test_the_database_is_never_asked_to_compare_an_encrypted_value():
    with pytest.raises(TypeError, match="filter in Python"):
        NewcomerLimit.kind == PracticalLimit.REDUCED_HOURS  # noqa: B015
    assert NewcomerLimit.kind.is_not(None) is not None  # NULL tests stay possible


def test_an_unknown_value_is_refused_before_it_is_stored(db_session, newcomer):
    newcomer.limits.append(NewcomerLimit(kind="a diagnosis"))
    with pytest.raises(sa.exc.StatementError, match="is not a valid PracticalLimit"):
        db_session.flush()
    db_session.rollback()


def test_rotating_keys_leaves_every_value_readable_with_the_new_key_only(
    app, db_session, newcomer, runner, monkeypatch
):
    db_session.commit()  # the command works in its own session, as from a shell
    old, new = DEVELOPMENT_DATA_KEY, Fernet.generate_key().decode()
    monkeypatch.setitem(app.config, "DATA_ENCRYPTION_KEYS", f"{new},{old}")
    monkeypatch.setitem(app.extensions, "data_keys", keyring(f"{new},{old}"))

    status = runner.invoke(args=["keys", "status"])
    assert status.exit_code == 0, status.output
    assert "newcomer_limit.kind" in status.output
    result = runner.invoke(args=["keys", "reencrypt"])
    assert result.exit_code == 0, result.output
    assert "every value is now encrypted with the first key" in result.output

    status = runner.invoke(args=["keys", "status"])
    assert status.exit_code == 0
    for line in status.output.splitlines()[1:]:
        newest, older, lost = (int(n.replace(",", "")) for n in line.split()[1:4])
        assert (older, lost) == (0, 0), line

    monkeypatch.setitem(app.extensions, "data_keys", keyring(new))  # the old key is gone
    db_session.expire_all()
    assert newcomer.schedule == [CANARY]
    assert [limit.kind for limit in newcomer.limits] == [PracticalLimit.SCHOOL_HOURS_ONLY]

    monkeypatch.setitem(app.extensions, "data_keys", keyring(old))  # the old key alone fails
    db_session.expire_all()
    with pytest.raises(DataKeyError, match="flask keys reencrypt"):
        _ = newcomer.schedule


def test_keys_status_fails_when_a_value_opens_with_no_key(
    app, db_session, newcomer, runner, monkeypatch
):
    db_session.commit()
    monkeypatch.setitem(app.config, "DATA_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    result = runner.invoke(args=["keys", "status"])
    assert result.exit_code == 1
    assert "open with no key" in result.output


def test_reencrypt_without_the_old_key_changes_nothing_and_says_why(
    app, db_session, newcomer, runner, monkeypatch
):
    db_session.commit()
    profile_id = newcomer.id
    before = _raw_rows(db_session, "newcomer_limit", "profile_id", profile_id)
    monkeypatch.setitem(app.extensions, "data_keys", keyring(Fernet.generate_key().decode()))
    result = runner.invoke(args=["keys", "reencrypt"])
    assert result.exit_code == 1
    assert "cannot be decrypted with DATA_ENCRYPTION_KEYS" in result.output
    assert "Traceback" not in result.output
    assert _raw_rows(db_session, "newcomer_limit", "profile_id", profile_id) == before


def test_keys_generate_prints_a_usable_key(runner):
    result = runner.invoke(args=["keys", "generate"])
    assert result.exit_code == 0
    Fernet(result.output.strip().encode())  # raises when it is not a key


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (None, "DATA_ENCRYPTION_KEYS is not set"),
        ("", "DATA_ENCRYPTION_KEYS is not set"),
        ("not-a-key", "Key 1 of DATA_ENCRYPTION_KEYS is not a Fernet key"),
        (f"{Fernet.generate_key().decode()},short", "Key 2 of DATA_ENCRYPTION_KEYS"),
        (DEVELOPMENT_DATA_KEY, "published development key"),
    ],
)
def test_production_refuses_to_start_without_its_own_key(tmp_path, setting, message):
    settings = production_settings(
        DATABASE_URL=f"sqlite:///{tmp_path / 'p.sqlite3'}", DATA_ENCRYPTION_KEYS=setting
    )
    with pytest.raises(DataKeyError, match=message):
        create_app(ProductionConfig, **settings)


def test_encrypted_types_know_their_plain_values():
    assert Encrypted(PracticalLimit).enum_class is PracticalLimit
    assert isinstance(Encrypted(sa.JSON).plain_type(), sa.JSON)
    assert Encrypted(sa.JSON).enum_class is None
