"""The intake, the follow-up questions, the consultant's notices, a job at the host."""

from __future__ import annotations

from marketplace import models as m
from tests.migrations.data import AT, insert, row


def load(conn) -> None:
    insert(
        conn,
        "intake",
        id=601,
        profile_id=101,
        held_on="2026-01-05",
        what_matters="Mijn kinderen.",
        agreements="Elke maand een gesprek.",
        recorded_by_id=102,
        created_at=AT,
        updated_at=AT,
    )
    insert(
        conn,
        "follow_up",
        id=601,
        outcome_id=101,
        months=12,
        due_on="2027-01-05",
        in_paid_work=True,
        hours_per_week=20,
        contract="permanent",
        in_education=False,
        recorded_by_id=102,
        recorded_at=AT,
    )
    insert(
        conn,
        "notice",
        id=601,
        user_id=102,
        kind="check_in_due",
        key="check_in_due",
        params="{}",
        created_at=AT,
    )
    insert(
        conn,
        "placement",
        id=601,
        profile_id=101,
        place_id=101,
        status="completed",
        created_at=AT,
        updated_at=AT,
    )
    insert(conn, "outcome", id=601, placement_id=601, result="paid_job_host", recorded_at=AT)


def at_head(session) -> None:
    intake = session.get(m.Intake, 601)
    assert (intake.what_matters, intake.agreements) == ("Mijn kinderen.", "Elke maand een gesprek.")
    follow_up = session.get(m.FollowUp, 601)
    assert (follow_up.hours_per_week, follow_up.contract, follow_up.in_paid_work) == (
        20,
        "permanent",
        True,
    )
    assert session.get(m.Notice, 601).kind == "check_in_due"
    assert session.get(m.Outcome, 601).result == "paid_job_host"


def after_downgrade(conn) -> None:
    assert row(conn, "intake", 601, "what_matters") == ("Mijn kinderen.",)
    assert row(conn, "follow_up", 601, "hours_per_week", "contract") == (20, "permanent")
    assert row(conn, "notice", 601, "kind") == ("check_in_due",)
    assert row(conn, "outcome", 601, "result") == ("paid_job_host",)
