"""The newcomer's path: erasure requests, notices, appointments, profile history, feedback
stages and the newcomer's agreement to a placement."""

from __future__ import annotations

from datetime import date

from marketplace import models as m
from tests.migrations.data import AT, as_date, insert, row, update


def load(conn) -> None:
    insert(
        conn,
        "erasure_request",
        id=401,
        user_id=101,
        consultant_id=102,
        reason="Ik verhuis.",
        status="requested",
        requested_at=AT,
    )
    insert(
        conn,
        "notice",
        id=401,
        user_id=101,
        kind="proposal",
        key="sample",
        params='{"place": "Kok"}',
        created_at=AT,
    )
    insert(
        conn,
        "appointment",
        id=401,
        profile_id=101,
        day="2026-03-01",
        what="Gesprek",
        location="Stadskantoor",
        created_by_id=102,
        created_at=AT,
    )
    insert(
        conn,
        "profile_change",
        id=401,
        profile_id=101,
        field="skills",
        old_value="[]",
        new_value='["koken"]',
        changed_by_id=101,
        at=AT,
    )
    insert(
        conn,
        "feedback",
        id=401,
        about="place",
        placement_id=102,
        place_id=101,
        profile_id=101,
        stage="after",
        respect=5,
        created_at=AT,
    )
    update(conn, "placement", 101, newcomer_agreed_at=AT)


def at_head(session) -> None:
    request = session.get(m.ErasureRequest, 401)
    assert (request.reason, request.status) == ("Ik verhuis.", "requested")
    notice = session.get(m.Notice, 401)
    assert (notice.kind, notice.params, notice.read_at) == ("proposal", {"place": "Kok"}, None)
    appointment = session.get(m.Appointment, 401)
    assert (appointment.day, appointment.location) == (date(2026, 3, 1), "Stadskantoor")
    change = session.get(m.ProfileChange, 401)
    assert (change.old_value, change.new_value) == ([], ["koken"])
    assert session.get(m.Feedback, 401).stage == "after"
    assert session.get(m.Placement, 101).newcomer_agreed_at is not None


def after_downgrade(conn) -> None:
    assert row(conn, "erasure_request", 401, "status") == ("requested",)
    assert row(conn, "notice", 401, "kind") == ("proposal",)
    assert row(conn, "feedback", 401, "stage") == ("after",)
    (agreed,) = row(conn, "placement", 101, "newcomer_agreed_at")
    assert as_date(agreed) == "2026-01-05"
