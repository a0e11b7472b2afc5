"""Hours worked and the reason for a rung, on check-ins."""

from __future__ import annotations

from marketplace import models as m
from tests.migrations.data import AT, insert, row


def load(conn) -> None:
    insert(
        conn,
        "check_in",
        id=501,
        placement_id=101,
        held_on="2026-03-02",
        ladder_rung=4,
        attendance="sometimes_absent",
        rung_reason="Werkt zelfstandig.",
        hours_worked=12,
        counts_for_map=True,
        created_at=AT,
    )


def at_head(session) -> None:
    check_in = session.get(m.CheckIn, 501)
    assert (check_in.rung_reason, check_in.hours_worked, check_in.counts_for_map) == (
        "Werkt zelfstandig.",
        12,
        True,
    )


def after_downgrade(conn) -> None:
    assert row(conn, "check_in", 501, "hours_worked", "rung_reason") == (12, "Werkt zelfstandig.")
