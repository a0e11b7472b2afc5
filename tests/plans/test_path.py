"""My path: the plan in force in plain words, the dates, appointments and the ladder chart."""

from __future__ import annotations

from datetime import date, time

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.db import utcnow
from marketplace.newcomers.models import LadderContext, LadderStep, NewcomerProfile
from marketplace.plans.models import ActivityKind, ActivityStatus, Appointment, Plan, PlanActivity
from marketplace.vocab import LearningRoute
from tests.factories import make_user

TODAY = date(2026, 12, 1)


@pytest.fixture
def newcomer(app, db_session, auth):
    app.config["FIXED_TODAY"] = TODAY.isoformat()
    user = make_user(Role.NEWCOMER, language="en")
    profile = db_session.scalars(sa.select(NewcomerProfile).filter_by(user_id=user.id)).one()
    auth.login(user.email)
    yield user, profile
    app.config["FIXED_TODAY"] = None


def plan(db_session, profile, version=1, agreed=True, deadline=date(2029, 6, 1)) -> Plan:
    made = Plan(
        profile_id=profile.id,
        version=version,
        learning_route=LearningRoute.B1,
        integration_deadline=deadline,
        support="Een taalmaatje.",
        agreed_at=utcnow() if agreed else None,
    )
    made.activities = [
        PlanActivity(
            kind=ActivityKind.MAP,
            description="MAP-uren",
            hours_required=40,
            hours_done=12,
            due_on=date(2026, 12, 11),
        ),
        PlanActivity(
            kind=ActivityKind.KNM,
            description="KNM-examen",
            due_on=date(2026, 11, 20),
            status=ActivityStatus.DONE,
        ),
        PlanActivity(kind=ActivityKind.PVT, description="PVT", due_on=date(2026, 11, 25)),
    ]
    db_session.add(made)
    db_session.flush()
    return made


def test_the_path_says_what_is_expected_by_when(db_session, client, newcomer):
    _user, profile = newcomer
    plan(db_session, profile)
    db_session.add(
        Appointment(
            profile_id=profile.id,
            day=date(2026, 12, 3),
            at_time=time(10, 30),
            what="Gesprek over je plan",
            location="Stadskantoor",
            with_whom="Anna de Vries",
        )
    )
    db_session.add(Appointment(profile_id=profile.id, day=date(2026, 11, 2), what="Oude afspraak"))
    db_session.flush()
    page = client.get("/me/path").get_data(as_text=True)
    expected = page[page.index("What is expected of you") : page.index("Practice hours")]
    # what is still to do comes first, soonest date first; what is done comes last
    order = [
        expected.index(words)
        for words in ("November 25, 2026", "December 11, 2026", "June 1, 2029", "November 20, 2026")
    ]
    assert order == sorted(order)
    assert "This date has passed. Talk to your consultant soon." in expected
    assert "Still 10 days." in expected and "Done. Well done!" in expected
    assert "End of your integration term" in expected
    assert "12 of 40 hours done" in page and 'max="40"' in page
    assert "Gesprek over je plan" in page and "10:30" in page and "Stadskantoor" in page
    assert "Oude afspraak" not in page
    assert "the municipality can give you a fine" in page
    assert "Een taalmaatje." in page


def test_a_newer_version_waits_for_the_newcomers_yes(db_session, client, newcomer):
    _user, profile = newcomer
    first = plan(db_session, profile)
    second = plan(db_session, profile, version=2, agreed=False, deadline=date(2029, 12, 1))
    page = client.get("/me/path").get_data(as_text=True)
    assert "A new version of your plan is ready" in page
    assert "Version 1, you agreed on" in page and "Version 2, waiting for your answer" in page
    expected = page[page.index("What is expected of you") :]
    assert "June 1, 2029" in expected and "December 1, 2029" not in expected  # 1 still counts
    response = client.post(f"/me/path/plans/{second.id}/agree")
    assert response.status_code == 302
    db_session.expire_all()
    assert second.agreed_at is not None and first.agreed_at is not None
    page = client.get("/me/path").get_data(as_text=True)
    assert "A new version of your plan is ready" not in page
    assert "December 1, 2029" in page and "Version 2, you agreed on" in page


def test_agreeing_twice_or_to_an_old_version_is_refused(db_session, client, newcomer):
    _user, profile = newcomer
    first = plan(db_session, profile, agreed=False)
    plan(db_session, profile, version=2, agreed=False)
    response = client.post(f"/me/path/plans/{first.id}/agree", follow_redirects=True)
    assert "There is a newer version of your plan. Read that one first." in response.get_data(
        as_text=True
    )
    db_session.expire_all()
    assert first.agreed_at is None


def test_nobody_else_can_agree_to_a_plan(db_session, client, auth, newcomer):
    _user, profile = newcomer
    waiting = plan(db_session, profile, agreed=False)
    auth.logout()
    auth.login(make_user(Role.NEWCOMER).email)
    assert client.post(f"/me/path/plans/{waiting.id}/agree").status_code == 404
    db_session.expire_all()
    assert waiting.agreed_at is None


def test_the_ladder_is_a_chart_with_the_same_steps_in_words(db_session, client, newcomer):
    _user, profile = newcomer
    for day, rung in ((date(2026, 1, 5), 2), (date(2026, 4, 1), 3), (date(2026, 9, 1), 4)):
        db_session.add(
            LadderStep(
                profile_id=profile.id,
                rung=rung,
                recorded_on=day,
                reason="-",
                context=LadderContext.CHECK_IN,
            )
        )
    db_session.flush()
    page = client.get("/me/path").get_data(as_text=True)
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg
    assert "You are now on step 4 of 6: Unpaid work." in svg
    assert svg.count("<line") == 6 and svg.count("H") >= 2  # six rungs, two steps up
    for words in ("2. Contacts outside the home", "3. Organised activities, like a course"):
        assert words in page[page.index("</svg>") :]


def test_without_a_plan_the_page_says_so(client, newcomer):
    page = client.get("/me/path").get_data(as_text=True)
    assert "You do not have a plan yet." in page
    assert "Your consultant writes down your first step at the start." in page
