"""The audit log becomes append-only (a trigger, on PostgreSQL only)."""

from __future__ import annotations

from marketplace import models as m
from tests.migrations.data import AT, insert, row


def load(conn) -> None:
    insert(
        conn,
        "audit_event",
        id=701,
        at=AT,
        action="login",
        actor_id=101,
        actor_role="newcomer",
        result="ok",
        detail='{"via": "password"}',
        hash="b" * 64,
    )


def at_head(session) -> None:
    event = session.get(m.AuditEvent, 701)
    assert (event.action, event.detail, event.hash) == ("login", {"via": "password"}, "b" * 64)


def after_downgrade(conn) -> None:
    assert row(conn, "audit_event", 701, "action", "result") == ("login", "ok")
