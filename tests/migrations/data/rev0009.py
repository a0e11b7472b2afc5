"""Health and family constraints encrypted at rest: the rows of earlier revisions hold tokens
now, and a row written with a token reads back as its value."""

from __future__ import annotations

from config import DEVELOPMENT_DATA_KEY
from marketplace import models as m
from marketplace.encryption import keyring, seal, unseal
from tests.migrations.data import insert, row

KEYS = keyring(DEVELOPMENT_DATA_KEY)  # the test app's key


def load(conn) -> None:
    # what 0009 did to rev0001's newcomer: a token that opens to the old value, never the value
    schedule, physical = row(conn, "newcomer_profile", 101, "schedule", "physical_capacity")
    assert "weekday_morning" not in schedule and "light" not in physical
    assert (unseal(KEYS, schedule), unseal(KEYS, physical)) == ('["weekday_morning"]', "light")
    insert(conn, "newcomer_limit", id=901, profile_id=101, kind=seal(KEYS, "reduced_hours"))


def at_head(session) -> None:
    assert session.get(m.NewcomerLimit, 901).kind == "reduced_hours"


def after_downgrade(conn) -> None:
    (kind,) = row(conn, "newcomer_limit", 901, "kind")
    assert unseal(KEYS, kind) == "reduced_hours"
