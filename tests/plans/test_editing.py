"""The consultant keeps the plan (PIP): every save is a new version that the newcomer agrees to.

The forms are filled as a browser would (``plan_forms.form_of``): the page is read, some
fields are changed, and everything the form holds is sent back.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEvent
from marketplace.domain import NotAllowed
from marketplace.plans import editing
from marketplace.plans.models import ActivityKind
from tests.conftest import AuthActions
from tests.factories import PASSWORD, make_user
from tests.plans.plan_forms import (
    TODAY,
    empty_row,
    first_plan,
    form_of,
    plan_notices,
    profile_of,
    row_of,
    versions,
)

# --- the first plan and the next version --------------------------------------------------


def test_a_first_plan_starts_with_sensible_defaults(db_session, client, newcomer):
    profile, url = newcomer
    values = form_of(client, f"{url}/new")
    assert values["based_on"] == "0"
    assert values["learning_route"] == "z"  # the newcomer's own learning route
    assert values["integration_deadline"] == "2029-03-15"  # three years after the start
    map_row = row_of(values, ActivityKind.MAP)
    assert values[map_row + "hours_required"] == "40"
    row_of(values, ActivityKind.PVT), row_of(values, ActivityKind.KNM)
    kinds = [v for name, v in values.items() if name.endswith("-kind")]
    assert kinds.count("") == 3  # room to add activities without JavaScript

    response = client.post(f"{url}/new", data=values)

    assert response.status_code == 302 and response.location == url
    (plan,) = versions(db_session, profile)
    assert plan.version == 1 and plan.agreed_at is None
    assert [a.kind for a in plan.activities] == [
        ActivityKind.MAP,
        ActivityKind.PVT,
        ActivityKind.KNM,
    ]


def test_version_2_keeps_the_hours_done_and_the_newcomer_is_told(db_session, client, newcomer):
    profile, url = newcomer
    first = first_plan(db_session, profile)
    values = form_of(client, f"{url}/new")
    assert values["based_on"] == "1"
    assert values["preconditions"] == "Kinderopvang op dinsdag."
    map_row, knm_row, new_row = (
        row_of(values, ActivityKind.MAP),
        row_of(values, ActivityKind.KNM),
        empty_row(values),
    )
    values[map_row + "description"] = "Oefenen in de buurtkeuken en de bibliotheek."
    values[knm_row + "remove"] = "y"
    values[new_row + "kind"] = "language"
    values[new_row + "description"] = "Taalcafé op woensdag."
    values[new_row + "due_on"] = "2027-03-01"

    response = client.post(f"{url}/new", data=values)

    assert response.status_code == 302
    old, new = versions(db_session, profile)
    assert old.id == first.id and len(old.activities) == 3  # version 1 is never changed
    assert new.version == 2 and new.agreed_at is None
    by_kind = {a.kind: a for a in new.activities}
    assert set(by_kind) == {ActivityKind.MAP, ActivityKind.EDUCATION, ActivityKind.LANGUAGE}
    assert by_kind[ActivityKind.MAP].hours_done == 12
    assert by_kind[ActivityKind.EDUCATION].hours_done == 25
    assert by_kind[ActivityKind.MAP].description == "Oefenen in de buurtkeuken en de bibliotheek."
    assert by_kind[ActivityKind.LANGUAGE].hours_done == 0
    assert new.preconditions == "Kinderopvang op dinsdag."
    (notice,) = plan_notices(db_session, profile)
    assert notice.key == f"plan:{new.id}" and notice.due_on == date(2026, 12, 15)
    made = db_session.scalars(sa.select(AuditEvent).filter_by(action="plan_version_made")).one()
    assert made.object_id == new.id and made.subject_user_id == profile.user_id

    page = client.get(url).get_data(as_text=True)
    assert "In force: version 1" in page and "Waiting for agreement: version 2" in page
    assert "Until they do, version 1 stays in force." in page
    assert "Taalcafé op woensdag." in page and "12 of 40 hours done" in page


def test_when_the_newcomer_agrees_the_new_version_is_in_force(app, db_session, client, newcomer):
    profile, url = newcomer
    first_plan(db_session, profile)
    client.post(f"{url}/new", data=form_of(client, f"{url}/new"))
    second = versions(db_session, profile)[1]

    newcomer_browser = app.test_client()
    AuthActions(newcomer_browser).login(profile.user.email, PASSWORD)
    response = newcomer_browser.post(f"/me/path/plans/{second.id}/agree")

    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "In force: version 2" in page and "Waiting for agreement" not in page
    assert "The newcomer agreed to it on that day." in page
    earlier = page[page.index("Earlier versions") :]
    assert "Version 1, made on" in earlier and "in force from" in earlier


def test_a_new_version_replaces_one_still_waiting_for_agreement(db_session, client, newcomer):
    profile, url = newcomer
    first_plan(db_session, profile)
    first_plan(db_session, profile, agreed=False, version=2)
    values = form_of(client, f"{url}/new")
    page = client.get(f"{url}/new").get_data(as_text=True)
    assert "Version 2 still waits for the newcomer's agreement." in page
    assert "Save as version 3" in page

    assert client.post(f"{url}/new", data=values).status_code == 302

    page = client.get(url).get_data(as_text=True)
    assert "Waiting for agreement: version 3" in page
    assert "replaced before the newcomer agreed to it" in page
    assert "In force: version 1" in page


def test_map_hours_counted_on_the_plan_in_force_are_not_lost(db_session, client, newcomer):
    """Check-ins add MAP hours to the version in force, even while a newer one waits."""
    profile, url = newcomer
    in_force = first_plan(db_session, profile)
    first_plan(db_session, profile, agreed=False, version=2)
    in_force.activities[0].hours_done = 20  # a check-in counted 8 more hours meanwhile
    db_session.flush()

    client.post(f"{url}/new", data=form_of(client, f"{url}/new"))

    newest = versions(db_session, profile)[-1]
    assert newest.version == 3
    assert [a.hours_done for a in newest.activities if a.kind is ActivityKind.MAP] == [20]


def test_hours_are_not_copied_from_an_activity_of_another_plan(db_session, client, newcomer):
    profile, url = newcomer
    first_plan(db_session, profile)
    stranger = make_user(Role.NEWCOMER)
    other = first_plan(db_session, profile_of(stranger))
    (borrowed,) = [a for a in other.activities if a.kind is ActivityKind.EDUCATION]
    values = form_of(client, f"{url}/new")
    knm_row = row_of(values, ActivityKind.KNM)
    values[knm_row + "source"] = str(borrowed.id)  # 25 hours done, by someone else
    values[knm_row + "kind"] = "language"
    values[knm_row + "due_on"] = "2027-01-01"

    assert client.post(f"{url}/new", data=values).status_code == 302

    language = [a for a in versions(db_session, profile)[-1].activities if a.kind == "language"]
    assert [a.hours_done for a in language] == [0]


# --- bad input ----------------------------------------------------------------------------


def _bad_deadline(values):
    row = empty_row(values)
    values[row + "kind"] = "pvt"
    values[row + "due_on"] = "2026-11-30"  # yesterday
    return row + "due_on", "Choose today or a later date."


def _bad_hours(text):
    def change(values):
        row = row_of(values, ActivityKind.MAP)
        values[row + "hours_required"] = text
        return row + "hours_required", "Fill in a number from 0 to 500."

    return change


def _no_end_date(values):
    values["integration_deadline"] = ""
    return "integration_deadline", "Fill in the end date of the integration term."


def _not_a_date(values):
    values["integration_deadline"] = "31 februari"
    return "integration_deadline", "Fill in a date, like 2027-06-30."


def _no_kind(values):
    row = empty_row(values)
    values[row + "description"] = "Iets zonder soort."
    return row + "kind", "Choose what kind of activity this is."


def _unknown_kind(values):
    values[row_of(values, ActivityKind.MAP) + "kind"] = "sleeping"
    return None, "Choose from the list."


@pytest.mark.parametrize(
    "change",
    [
        _bad_deadline,
        _bad_hours("veertig"),
        _bad_hours("501"),
        _bad_hours("-1"),
        _bad_hours("4.5"),
        _no_end_date,
        _not_a_date,
        _no_kind,
        _unknown_kind,
    ],
    ids=lambda c: getattr(c, "__name__", "hours"),
)
def test_bad_input_is_shown_at_the_field_and_nothing_is_saved(db_session, client, newcomer, change):
    profile, url = newcomer
    first_plan(db_session, profile)
    values = form_of(client, f"{url}/new")
    field, message = change(values)

    response = client.post(f"{url}/new", data=values)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and "Please check the following" in page
    if field:
        assert f'id="{field}-error"' in page and f'href="#{field}' in page
    assert [p.version for p in versions(db_session, profile)] == [1]
    assert plan_notices(db_session, profile) == []


def test_a_kept_activity_may_keep_a_date_that_has_passed(db_session, client, newcomer):
    """The KNM was due on 1 October and is done: saving the plan again keeps that history."""
    profile, url = newcomer
    first_plan(db_session, profile)
    values = form_of(client, f"{url}/new")
    assert values[row_of(values, ActivityKind.KNM) + "due_on"] == "2026-10-01"

    assert client.post(f"{url}/new", data=values).status_code == 302
    moved = form_of(client, f"{url}/new")
    moved[row_of(moved, ActivityKind.KNM) + "due_on"] = "2026-10-02"  # but not moved to the past
    assert client.post(f"{url}/new", data=moved).status_code == 400


# --- who may ------------------------------------------------------------------------------


def test_another_consultant_gets_404_and_changes_nothing(app, db_session, newcomer):
    profile, url = newcomer
    plan = first_plan(db_session, profile)
    values = {"based_on": "1", "learning_route": "b1", "integration_deadline": "2029-01-01"}
    other = app.test_client()
    AuthActions(other).login(make_user(Role.CONSULTANT).email, PASSWORD)

    assert other.get(url).status_code == 404
    assert other.get(f"{url}/new").status_code == 404
    assert other.post(f"{url}/new", data=values).status_code == 404
    assert other.get(f"{url}/{plan.id}/print").status_code == 404
    assert [p.version for p in versions(db_session, profile)] == [1]


def test_only_the_own_consultant_may_make_a_version(db_session, newcomer, consultant):
    profile, _url = newcomer
    draft = editing.draft_from(None, profile)
    for actor in (make_user(Role.CONSULTANT), profile.user, make_user(Role.ADMIN)):
        with pytest.raises(NotAllowed):
            editing.make_version(db_session, actor, profile, draft, based_on=0, today=TODAY)
    plan = editing.make_version(db_session, consultant, profile, draft, based_on=0, today=TODAY)
    assert plan.version == 1 and plan.created_by_id == consultant.id


def test_each_opening_of_the_plan_is_in_the_audit_log(db_session, client, newcomer):
    profile, url = newcomer
    plan = first_plan(db_session, profile)
    client.get(url)
    client.get(url)
    client.get(f"{url}/new")
    client.get(f"{url}/{plan.id}/print")

    reads = db_session.scalars(
        sa.select(AuditEvent)
        .filter_by(action="newcomer_profile_read", subject_user_id=profile.user_id)
        .order_by(AuditEvent.id)
    ).all()
    assert [r.detail["page"] for r in reads] == ["plan", "plan", "plan/new", "plan/print"]
