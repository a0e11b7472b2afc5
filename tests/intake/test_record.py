"""The consultant writes down the first conversation: one record, one starting rung, limits
in the profile's history; bad input and other consultants change nothing."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEvent
from marketplace.domain import DomainError, NotAllowed
from marketplace.newcomers.intake import IntakeAnswers, record_intake
from marketplace.newcomers.models import (
    Intake,
    LadderContext,
    LadderStep,
    PracticalLimit,
    ProfileChange,
)
from marketplace.newcomers.profile_services import update_part
from tests.factories import make_user
from tests.intake.conftest import TALK, TODAY


def intakes(db_session) -> list[Intake]:
    db_session.expire_all()
    return list(db_session.scalars(sa.select(Intake)))


def ladder(db_session) -> list[LadderStep]:
    return list(db_session.scalars(sa.select(LadderStep).order_by(LadderStep.id)))


def changes(db_session, profile) -> dict[str, ProfileChange]:
    query = sa.select(ProfileChange).where(ProfileChange.profile_id == profile.id)
    return {change.field: change for change in db_session.scalars(query)}


def openings(db_session, profile) -> list[AuditEvent]:
    query = sa.select(AuditEvent).where(
        AuditEvent.action == "newcomer_profile_read", AuditEvent.subject_user_id == profile.user_id
    )
    return list(db_session.scalars(query))


def test_the_form_opens_on_today_and_says_who_reads_it(client, auth, consultant, newcomer):
    user, _profile, ref = newcomer
    auth.login(consultant.email)

    page = client.get(f"/caseload/{ref}/intake").get_data(as_text=True)

    assert f"First conversation with {user.name}" in page
    assert f"Only you and {user.name} can read this. Employers never see it." in page
    assert 'type="date"' in page and 'value="2026-11-29"' in page
    assert "<legend" in page and "Light physical work only" in page
    assert "2. Contacts outside the home" in page


def test_each_opening_is_in_the_audit_log_with_the_page(
    db_session, client, auth, consultant, newcomer
):
    _user, profile, ref = newcomer
    auth.login(consultant.email)
    client.get(f"/caseload/{ref}/intake")
    client.post(f"/caseload/{ref}/intake", data=TALK)

    events = openings(db_session, profile)

    assert [(e.actor_id, e.detail["page"]) for e in events] == [(consultant.id, "intake")] * 2


def test_saving_writes_the_conversation_the_rung_and_the_limits(
    db_session, client, auth, consultant, newcomer
):
    _user, profile, ref = newcomer
    auth.login(consultant.email)

    response = client.post(f"/caseload/{ref}/intake", data=TALK)

    assert response.status_code == 302
    assert response.location == f"/caseload/{ref}/intake"
    (intake,) = intakes(db_session)
    assert (intake.profile_id, intake.held_on, intake.recorded_by_id) == (
        profile.id,
        date(2026, 11, 20),
        consultant.id,
    )
    assert intake.motivation == TALK["motivation"] and intake.agreements == TALK["agreements"]
    (step,) = ladder(db_session)
    assert (step.rung, step.context, step.recorded_on) == (2, LadderContext.INTAKE, intake.held_on)
    assert step.reason == TALK["rung_reason"]
    assert {limit.kind for limit in profile.limits} == {
        PracticalLimit.SCHOOL_HOURS_ONLY,
        PracticalLimit.NO_NIGHT_SHIFTS,
    }
    assert profile.hours_available == 12
    history = changes(db_session, profile)
    assert history["limits"].new_value == ["no_night_shifts", "school_hours_only"]
    assert (history["hours_available"].old_value, history["hours_available"].new_value) == (16, 12)
    assert {change.changed_by_id for change in history.values()} == {consultant.id}
    page = client.get(response.location).get_data(as_text=True)
    assert "Written down on November 20, 2026." in page
    assert TALK["what_matters"] in page


def test_a_correction_keeps_one_conversation_and_one_starting_rung(
    db_session, client, auth, consultant, newcomer
):
    _user, profile, ref = newcomer
    auth.login(consultant.email)
    client.post(f"/caseload/{ref}/intake", data=TALK)
    form = client.get(f"/caseload/{ref}/intake").get_data(as_text=True)
    assert TALK["rung_reason"] in form and TALK["motivation"] in form
    assert re.search(r'<input checked[^>]*name="rung"[^>]*value="2">', form)

    corrected = {**TALK, "held_on": "2026-11-21", "rung": "3", "limits": [], "motivation": ""}
    assert client.post(f"/caseload/{ref}/intake", data=corrected).status_code == 302

    (intake,) = intakes(db_session)
    assert intake.held_on == date(2026, 11, 21) and intake.motivation is None
    (step,) = ladder(db_session)
    assert (step.rung, step.recorded_on) == (3, date(2026, 11, 21))
    assert profile.limits == []
    limit_changes = [c for c in db_session.scalars(sa.select(ProfileChange)) if c.field == "limits"]
    assert [c.new_value for c in limit_changes] == [["no_night_shifts", "school_hours_only"], []]


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({"held_on": "2026-11-30"}, "The conversation cannot be in the future."),
        ({"held_on": "30-11"}, "Fill in a date, like 2027-06-30."),
        ({"held_on": "1900-01-01"}, "Fill in a date between"),
        ({"rung_reason": "  "}, "Write why you chose this step."),
        ({"rung": "7"}, "Not a valid choice"),
        ({"rung": ""}, "Choose a step."),
        ({"what_matters": "x" * 2001}, "Keep it under 2000 characters."),
        ({"rung_reason": "x" * 501}, "Keep it under 500 characters."),
        ({"hours_available": "41"}, "Fill in a number from 0 to 40."),
        ({"limits": ["diagnosis"]}, "not a valid choice"),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(
    db_session, client, auth, consultant, newcomer, changed, message
):
    _user, profile, ref = newcomer
    auth.login(consultant.email)

    response = client.post(f"/caseload/{ref}/intake", data={**TALK, **changed})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and "Please check the following" in page
    assert intakes(db_session) == [] and ladder(db_session) == []
    assert profile.limits == [] and profile.hours_available == 16
    assert changes(db_session, profile) == {}
    assert len(openings(db_session, profile)) == 1  # the opening itself stays logged


def test_another_consultant_gets_not_found_and_changes_nothing(db_session, client, auth, newcomer):
    _user, profile, ref = newcomer
    auth.login(make_user(Role.CONSULTANT).email)

    assert client.get(f"/caseload/{ref}/intake").status_code == 404
    assert client.post(f"/caseload/{ref}/intake", data=TALK).status_code == 404
    assert client.get("/caseload/newcomer-999999/intake").status_code == 404

    assert intakes(db_session) == [] and ladder(db_session) == []
    assert profile.limits == [] and changes(db_session, profile) == {}
    assert openings(db_session, profile) == []


def test_a_change_to_the_profile_meanwhile_is_not_overwritten(
    db_session, client, auth, consultant, newcomer
):
    user, profile, ref = newcomer
    auth.login(consultant.email)
    client.get(f"/caseload/{ref}/intake")  # the form was opened before the newcomer's change
    update_part(db_session, user, profile, "limits", {"limits": [PracticalLimit.REDUCED_HOURS]})

    response = client.post(f"/caseload/{ref}/intake", data={**TALK, "seen": "0"})

    assert response.status_code == 409
    assert "Someone changed this profile while you were busy." in response.get_data(as_text=True)
    assert intakes(db_session) == []
    assert [limit.kind for limit in profile.limits] == [PracticalLimit.REDUCED_HOURS]


def _answers(**changed) -> IntakeAnswers:
    values = {
        "held_on": date(2026, 11, 20),
        "rung": 2,
        "rung_reason": "Contact met buren.",
        "limits": [],
        "hours_available": 8,
    }
    return IntakeAnswers(**{**values, **changed})


def test_only_the_newcomers_own_consultant_may_record_it(db_session, consultant, newcomer):
    user, profile, _ref = newcomer
    for actor in (user, make_user(Role.CONSULTANT), make_user(Role.ADMIN)):
        with pytest.raises(NotAllowed):
            record_intake(db_session, actor, profile, _answers(), TODAY)
    assert intakes(db_session) == []
    record_intake(db_session, consultant, profile, _answers(), TODAY)
    assert len(intakes(db_session)) == 1


@pytest.mark.parametrize(
    ("changed", "field"),
    [
        ({"held_on": date(2026, 11, 30)}, "held_on"),
        ({"rung": 0}, "rung"),
        ({"rung": 7}, "rung"),
        ({"rung_reason": ""}, "rung_reason"),
        ({"hours_available": -1}, "hours_available"),
        ({"capabilities": "x" * 2001}, "capabilities"),
    ],
)
def test_the_service_refuses_what_a_form_should_have_caught(
    db_session, consultant, newcomer, changed, field
):
    _user, profile, _ref = newcomer
    with pytest.raises(DomainError) as refused:
        record_intake(db_session, consultant, profile, _answers(**changed), TODAY)
    assert refused.value.field == field
    assert intakes(db_session) == []
