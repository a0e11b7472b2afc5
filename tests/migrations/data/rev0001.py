"""The initial schema: an organisation, three users, a newcomer, a place, placements with a
check-in, an outcome with follow-ups, feedback, a plan and a session."""

from __future__ import annotations

import json
from datetime import date

from marketplace import models as m
from tests.migrations.data import AT, as_date, insert, row

MOTIVATION = 'Ik wil "graag" koken & leren <snel>.'


def load(conn) -> None:
    stamps = {"created_at": AT, "updated_at": AT}
    insert(
        conn,
        "organisation",
        id=101,
        name="Buurtkeuken Lombok",
        kind="nonprofit",
        city="Utrecht",
        verified_at=AT,
        **stamps,
    )
    for uid, role, org in (
        (101, "newcomer", None),
        (102, "consultant", None),
        (103, "employer", 101),
    ):
        insert(
            conn,
            "user_account",
            id=uid,
            email=f"u{uid}@example.nl",
            name=f"User {uid}",
            role=role,
            language="nl",
            active=True,
            organisation_id=org,
            failed_logins=0,
            created_at=AT,
        )
    insert(
        conn,
        "newcomer_profile",
        id=101,
        user_id=101,
        consultant_id=102,
        postcode="3511 AB",
        dutch_level="A2",
        languages='["ar"]',
        experience="[]",
        skills='["koken"]',
        interests="[]",
        education_goals="[]",
        work_goals='["kok"]',
        motivation=MOTIVATION,
        hours_available=16,
        schedule='["weekday_morning"]',
        max_travel_km=10.5,
        physical_capacity="light",
        shares_with_employers='["skills"]',
        allows_matching=True,
        **stamps,
    )
    insert(conn, "newcomer_limit", id=101, profile_id=101, kind="no_night_shifts")
    insert(
        conn,
        "place",
        id=101,
        organisation_id=101,
        title="Kok in de buurtkeuken",
        description="Soep koken.",
        kind="volunteer",
        sector="hospitality",
        skills_wanted='["koken"]',
        skills_learned="[]",
        education_offered="[]",
        dutch_level="A2",
        languages="[]",
        hours_min=8,
        hours_max=16,
        schedule="[]",
        postcode="3531 AB",
        remote=False,
        physical_demand="light",
        spots=2,
        spots_taken=1,
        mentor=True,
        paid_work_prospect="possible",
        status="published",
        version=1,
        **stamps,
    )
    for pid, status in ((101, "active"), (102, "completed")):
        insert(conn, "placement", id=pid, profile_id=101, place_id=101, status=status, **stamps)
    insert(
        conn,
        "check_in",
        id=101,
        placement_id=101,
        held_on="2026-02-02",
        ladder_rung=3,
        attendance="good",
        newcomer_words="Leuk werk.",
        created_at=AT,
    )
    insert(conn, "outcome", id=101, placement_id=102, result="paid_job", recorded_at=AT)
    insert(
        conn,
        "follow_up",
        id=101,
        outcome_id=101,
        months=3,
        due_on="2026-04-05",
        situation="paid_job",
        recorded_at=AT,
    )
    insert(conn, "follow_up", id=102, outcome_id=101, months=6, due_on="2026-07-05")
    insert(
        conn,
        "feedback",
        id=101,
        about="place",
        placement_id=101,
        place_id=101,
        profile_id=101,
        meaningful=4,
        comment="Fijn.",
        created_at=AT,
    )
    insert(conn, "plan", id=101, profile_id=101, version=1, learning_route="b1", created_at=AT)
    insert(
        conn,
        "plan_activity",
        id=101,
        plan_id=101,
        kind="language",
        description="Taalcafé op dinsdag",
        hours_done=2,
        status="in_progress",
    )
    insert(
        conn,
        "user_session",
        id=101,
        user_id=101,
        token_hash="a" * 64,
        created_at=AT,
        last_seen_at=AT,
    )


def at_head(session) -> None:
    profile = session.get(m.NewcomerProfile, 101)
    assert (profile.user.email, profile.consultant_id) == ("u101@example.nl", 102)
    assert (profile.skills, profile.motivation, profile.max_travel_km) == (
        ["koken"],
        MOTIVATION,
        10.5,
    )
    # encrypted by 0009, read back through the models
    assert (profile.schedule, profile.physical_capacity) == (["weekday_morning"], "light")
    assert session.get(m.NewcomerLimit, 101).kind == "no_night_shifts"
    assert session.get(m.User, 103).organisation.name == "Buurtkeuken Lombok"
    place = session.get(m.Place, 101)
    assert (place.title, place.spots_taken, place.pending_changes) == (
        "Kok in de buurtkeuken",
        1,
        None,
    )
    assert session.get(m.Placement, 102).newcomer_agreed_at is None
    check_in = session.get(m.CheckIn, 101)
    assert (check_in.held_on, check_in.newcomer_words) == (date(2026, 2, 2), "Leuk werk.")
    # columns added by 0005, with their defaults
    assert (check_in.hours_worked, check_in.counts_for_map, check_in.rung_reason) == (
        0,
        False,
        None,
    )
    assert session.get(m.Outcome, 101).result == "paid_job"
    # 0006 turned the one answer into the new questions' answers
    answered, open_one = session.get(m.FollowUp, 101), session.get(m.FollowUp, 102)
    assert (answered.in_paid_work, answered.in_education) == (True, False)
    assert (open_one.in_paid_work, open_one.in_education, open_one.recorded_at) == (
        None,
        None,
        None,
    )
    feedback = session.get(m.Feedback, 101)
    assert (feedback.comment, feedback.stage) == ("Fijn.", None)
    assert session.get(m.PlanActivity, 101).description == "Taalcafé op dinsdag"
    assert session.get(m.UserSession, 101).mfa_at is None
    user = session.get(m.User, 103)  # columns added by 0008
    assert (user.totp_secret, user.mfa_enabled_at, user.totp_last_step) == (None, None, None)


def after_downgrade(conn) -> None:
    assert row(conn, "newcomer_profile", 101, "motivation") == (MOTIVATION,)
    assert row(conn, "place", 101, "title") == ("Kok in de buurtkeuken",)
    assert row(conn, "placement", 102, "status") == ("completed",)
    assert row(conn, "follow_up", 101, "situation") == ("paid_job",)
    assert row(conn, "follow_up", 102, "situation") == (None,)
    assert row(conn, "outcome", 101, "result") == ("paid_job",)
    (held_on,) = row(conn, "check_in", 101, "held_on")
    assert as_date(held_on) == "2026-02-02"
    assert row(conn, "user_session", 101, "token_hash") == ("a" * 64,)
    # 0009 decrypted them again on its way down
    schedule, physical = row(conn, "newcomer_profile", 101, "schedule", "physical_capacity")
    assert (json.loads(schedule) if isinstance(schedule, str) else schedule) == ["weekday_morning"]
    assert physical == "light"
    assert row(conn, "newcomer_limit", 101, "kind") == ("no_night_shifts",)
