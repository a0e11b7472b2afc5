"""The newcomer's profile: they keep it, their consultant may correct it, every change shows."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEvent
from marketplace.forms import BaseForm
from marketplace.newcomers.models import NewcomerProfile, PracticalLimit, ProfileChange
from marketplace.newcomers.profile_forms import ExperienceField
from marketplace.newcomers.profile_parts import PARTS, SHAREABLE, experience_text, shared_view
from marketplace.vocab import PhysicalDemand
from tests.conftest import AuthActions
from tests.factories import PASSWORD, make_user

AVAILABILITY = {
    "schedule": ["weekday_morning", "weekend"],
    "hours_available": "12",
    "postcode": "3512ab",
    "max_travel_km": "8",
    "travel_mode": "bike",
}


@pytest.fixture
def consultant(db_session):
    return make_user(Role.CONSULTANT, language="en")


@pytest.fixture
def newcomer(db_session, consultant):
    user = make_user(Role.NEWCOMER, language="en")
    profile = db_session.scalars(sa.select(NewcomerProfile).filter_by(user_id=user.id)).one()
    profile.consultant_id = consultant.id
    db_session.flush()
    return user, profile


def changes(db_session, profile) -> list[ProfileChange]:
    db_session.expire_all()
    query = sa.select(ProfileChange).filter_by(profile_id=profile.id).order_by(ProfileChange.id)
    return list(db_session.scalars(query))


def test_the_profile_page_says_who_can_see_each_part(client, auth, newcomer):
    user, _profile = newcomer
    auth.login(user.email)
    page = client.get("/me/profile").get_data(as_text=True)
    assert page.count("Who can see this?") == len(PARTS)
    assert "Only you and your consultant. Employers never see this." in page
    for part in PARTS:
        assert f'href="/me/profile/{part}"' in page


def test_the_newcomer_changes_when_they_are_free_and_sees_it_in_the_history(
    db_session, client, auth, newcomer
):
    user, profile = newcomer
    auth.login(user.email)
    response = client.post("/me/profile/availability", data=AVAILABILITY)
    assert response.status_code == 302 and response.headers["Location"] == "/me/profile"
    db_session.expire_all()
    assert profile.schedule == ["weekday_morning", "weekend"]
    assert (profile.hours_available, profile.postcode, profile.max_travel_km) == (12, "3512 AB", 8)
    by_field = {change.field: change for change in changes(db_session, profile)}
    assert set(by_field) == {
        "schedule",
        "hours_available",
        "postcode",
        "max_travel_km",
        "travel_mode",
    }
    assert by_field["hours_available"].old_value == 16
    assert by_field["hours_available"].new_value == 12
    assert all(change.changed_by_id == user.id for change in by_field.values())
    history = client.get("/me/profile/history").get_data(as_text=True)
    assert "changed by you" in history and "Weekend" in history and "By bike" in history


def test_saving_without_a_change_writes_no_history(db_session, client, auth, newcomer):
    user, profile = newcomer
    auth.login(user.email)
    client.post("/me/profile/availability", data=AVAILABILITY)
    before = len(changes(db_session, profile))
    response = client.post("/me/profile/availability", data=AVAILABILITY, follow_redirects=True)
    assert "Nothing was changed." in response.get_data(as_text=True)
    assert len(changes(db_session, profile)) == before


def test_a_consultants_change_is_shown_to_the_newcomer_with_their_name(
    db_session, client, auth, newcomer, consultant
):
    user, profile = newcomer
    auth.login(consultant.email)
    ref = f"newcomer-{profile.id}"
    response = client.post(
        f"/caseload/{ref}/profile/work", data={"skills": "koken, naaien", "motivation": "Rust"}
    )
    assert response.status_code == 302
    (skills, motivation) = changes(db_session, profile)
    assert (skills.field, skills.new_value, skills.changed_by_id) == (
        "skills",
        ["koken", "naaien"],
        consultant.id,
    )
    assert motivation.new_value == "Rust"
    changed = db_session.scalars(
        sa.select(AuditEvent).filter_by(action="newcomer_profile_changed")
    ).one()
    assert changed.actor_id == consultant.id and changed.subject_user_id == user.id
    auth.logout()
    auth.login(user.email)
    history = client.get("/me/profile/history").get_data(as_text=True)
    assert f"changed by {consultant.name} (Consultant)" in history
    assert "koken, naaien" in history


def test_every_consultant_opening_of_the_profile_is_audit_logged(
    db_session, client, auth, newcomer, consultant
):
    _user, profile = newcomer
    auth.login(consultant.email)
    ref = f"newcomer-{profile.id}"
    for url in (f"/caseload/{ref}/profile", f"/caseload/{ref}/profile/history"):
        assert client.get(url).status_code == 200
    reads = db_session.scalars(sa.select(AuditEvent).filter_by(action="newcomer_profile_read"))
    assert [event.detail["page"] for event in reads] == ["profile", "profile/history"]


def test_another_consultant_and_another_newcomer_get_404(db_session, client, auth, newcomer):
    _user, profile = newcomer
    ref = f"newcomer-{profile.id}"
    auth.login(make_user(Role.CONSULTANT, language="en").email)
    for url in (f"/caseload/{ref}/profile", f"/caseload/{ref}/profile/work"):
        assert client.get(url).status_code == 404
    assert client.post(f"/caseload/{ref}/profile/work", data={"skills": "x"}).status_code == 404
    assert changes(db_session, profile) == []


def test_an_unknown_part_is_404(client, auth, newcomer):
    auth.login(newcomer[0].email)
    assert client.get("/me/profile/password").status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hours_available", "50", "Fill in a number from 0 to 40."),
        ("hours_available", "veel", "Fill in a number from 0 to 40."),
        ("postcode", "12345", "Fill in a Dutch postcode, like 3511 AB."),
        ("max_travel_km", "-3", "Fill in a number from 0 to 100."),
        ("schedule", "nights", "not a valid choice"),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(
    db_session, client, auth, newcomer, field, value, message
):
    user, profile = newcomer
    auth.login(user.email)
    response = client.post("/me/profile/availability", data={**AVAILABILITY, field: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert changes(db_session, profile) == []
    assert profile.hours_available == 16


def test_practical_limits_are_chosen_from_the_list_and_can_be_removed(
    db_session, client, auth, newcomer
):
    user, profile = newcomer
    auth.login(user.email)
    chosen = {"limits": ["light_work_only", "school_hours_only"], "physical_capacity": "light"}
    assert client.post("/me/profile/limits", data=chosen).status_code == 302
    db_session.expire_all()
    assert {limit.kind for limit in profile.limits} == {
        PracticalLimit.LIGHT_WORK_ONLY,
        PracticalLimit.SCHOOL_HOURS_ONLY,
    }
    assert profile.physical_capacity is PhysicalDemand.LIGHT
    fewer = {"limits": ["school_hours_only"], "physical_capacity": "light"}
    assert client.post("/me/profile/limits", data=fewer).status_code == 302
    db_session.expire_all()
    assert [limit.kind for limit in profile.limits] == [PracticalLimit.SCHOOL_HOURS_ONLY]
    bad = {"limits": ["diabetes"], "physical_capacity": "light"}
    assert client.post("/me/profile/limits", data=bad).status_code == 400
    db_session.expire_all()
    assert [limit.kind for limit in profile.limits] == [PracticalLimit.SCHOOL_HOURS_ONLY]


def test_an_employer_sees_only_what_the_newcomer_chose_and_never_limits_or_times(
    app, db_session, client, auth, newcomer
):
    user, profile = newcomer
    auth.login(user.email)
    client.post(
        "/me/profile/limits", data={"limits": ["light_work_only"], "physical_capacity": "light"}
    )
    client.post("/me/profile/availability", data=AVAILABILITY)
    client.post("/me/profile/work", data={"skills": "koken", "motivation": "Mijn gezin"})
    answer = client.post(
        "/me/profile/sharing", data={"shares_with_employers": ["skills"], "allows_matching": "yes"}
    )
    assert answer.status_code == 302
    db_session.expire_all()
    with app.test_request_context(), force_locale("en"):
        assert shared_view(profile) == [("Your skills", "koken")]
        profile.shares_with_employers = list(SHAREABLE)  # everything that can be shared
        shown = " ".join(text for _label, text in shared_view(profile))
    assert "Mijn gezin" in shown and user.name in shown
    for private in ("Light physical work only", "Weekend", "3512", "By bike"):
        assert private not in shown


def test_only_shareable_parts_can_be_chosen_for_employers(db_session, client, auth, newcomer):
    user, profile = newcomer
    auth.login(user.email)
    response = client.post(
        "/me/profile/sharing", data={"shares_with_employers": ["schedule"], "allows_matching": "no"}
    )
    assert response.status_code == 400
    db_session.expire_all()
    assert profile.shares_with_employers == [] and profile.allows_matching is True


def test_work_experience_is_typed_one_job_per_line(app):
    with app.test_request_context():
        field = ExperienceField().bind(form=BaseForm(meta={"csrf": False}), name="experience")
    field.process_formdata(["Kok, 5\n\n  Chauffeur  \nNaaister - 2,5 jaar\nآشپز، ۵"])
    assert field.data == [
        {"occupation": "Kok", "years": 5.0},
        {"occupation": "Chauffeur"},
        {"occupation": "Naaister", "years": 2.5},
        {"occupation": "آشپز", "years": 5.0},  # the Persian comma and digit too
    ]
    assert field._value() == "Kok, 5\nChauffeur\nNaaister, 2.5\nآشپز, 5"


def test_the_caseload_leads_to_each_newcomers_profile(client, auth, newcomer, consultant):
    _user, profile = newcomer
    other = make_user(Role.NEWCOMER, language="en")  # someone else's newcomer
    auth.login(consultant.email)
    page = client.get("/caseload").get_data(as_text=True)
    assert f'href="/caseload/newcomer-{profile.id}/profile"' in page
    assert other.name not in page
    assert 'href="/caseload/erasure-requests"' in page


def test_only_the_newcomer_decides_what_employers_see(
    db_session, client, auth, newcomer, consultant
):
    _user, profile = newcomer
    auth.login(consultant.email)
    ref = f"newcomer-{profile.id}"
    page = client.get(f"/caseload/{ref}/profile").get_data(as_text=True)
    assert f'href="/caseload/{ref}/profile/work"' in page
    assert f'href="/caseload/{ref}/profile/sharing"' not in page
    assert client.get(f"/caseload/{ref}/profile/sharing").status_code == 404
    consent = {"shares_with_employers": ["name", "skills"], "allows_matching": "yes"}
    assert client.post(f"/caseload/{ref}/profile/sharing", data=consent).status_code == 404
    db_session.expire_all()
    assert profile.shares_with_employers == [] and changes(db_session, profile) == []


def test_two_people_saving_at_once_do_not_overwrite_each_other(
    db_session, app, client, auth, newcomer, consultant
):
    user, profile = newcomer
    auth.login(user.email)
    form = client.get("/me/profile/work").get_data(as_text=True)
    seen = re.search(r'name="seen" type="hidden" value="(\d+)"', form).group(1)
    other = app.test_client()  # meanwhile the consultant saves the same part
    AuthActions(other).login(consultant.email, PASSWORD)
    corrected = {"skills": "koken", "motivation": "Werken met mensen"}
    assert (
        other.post(f"/caseload/newcomer-{profile.id}/profile/work", data=corrected).status_code
        == 302
    )
    late = client.post("/me/profile/work", data={"skills": "fietsen", "seen": seen})
    page = late.get_data(as_text=True)
    assert late.status_code == 409
    assert "Someone changed this profile while you were busy." in page
    assert "Werken met mensen" in page  # the form now shows the profile as it is
    db_session.expire_all()
    assert profile.skills == ["koken"] and len(changes(db_session, profile)) == 2


def test_a_consultants_refused_save_still_logs_the_opening(
    db_session, client, auth, newcomer, consultant
):
    _user, profile = newcomer
    auth.login(consultant.email)
    bad = {**AVAILABILITY, "hours_available": "50"}
    response = client.post(f"/caseload/newcomer-{profile.id}/profile/availability", data=bad)
    assert response.status_code == 400
    db_session.expire_all()
    reads = db_session.scalars(sa.select(AuditEvent).filter_by(action="newcomer_profile_read"))
    assert [event.detail["page"] for event in reads] == ["profile/availability"]
    assert profile.hours_available == 16 and changes(db_session, profile) == []


def test_years_of_experience_are_written_the_readers_way(app):
    jobs = [{"occupation": "Kok", "years": 2.5}, {"occupation": "Chauffeur", "years": 1.0}]
    with app.test_request_context():
        with force_locale("en"):
            assert experience_text(jobs) == "Kok (2.5 years), Chauffeur (1 year)"
        with force_locale("nl"):
            assert experience_text(jobs) == "Kok (2,5 jaar), Chauffeur (1 jaar)"
