"""An administrator assigns and reassigns newcomers; the old consultant loses access at once."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEvent
from marketplace.domain import DomainError, NotAllowed
from marketplace.newcomers import assignment
from marketplace.newcomers.assignment import assign_newcomer
from marketplace.notices.consultants import send_consultant_reminders
from marketplace.notices.models import Notice
from marketplace.placements.models import PlacementStatus as S
from tests.caseload.records import (
    TODAY,
    WEEKS,
    check_in,
    consultant,
    days,
    follow_up,
    newcomer_of,
    placement,
)
from tests.conftest import AuthActions
from tests.factories import make_user


@pytest.fixture
def admin(db_session):
    return make_user(Role.ADMIN, language="en")


def audit_rows(dbs) -> list[AuditEvent]:
    dbs.expire_all()
    query = sa.select(AuditEvent).where(AuditEvent.action == "caseload_assigned")
    return list(dbs.scalars(query.order_by(AuditEvent.id)))


# --- the service -----------------------------------------------------------------------------


def test_an_admin_moves_a_newcomer_and_the_audit_log_says_so(db_session, admin):
    old, new = consultant(), consultant()
    profile = newcomer_of(old)
    assert assign_newcomer(db_session, admin, profile, new.id) == new
    assert profile.consultant_id == new.id
    (row,) = audit_rows(db_session)
    assert (row.actor_id, row.subject_user_id, row.object_id) == (
        admin.id,
        profile.user_id,
        profile.id,
    )
    assert row.detail == {"from_consultant_id": old.id, "to_consultant_id": new.id}


def test_the_previous_consultant_keeps_no_notices_naming_the_newcomer(db_session, admin):
    old, new = consultant(), consultant()
    profile = newcomer_of(old, "Samira Haddad")
    placement(profile, S.ACTIVE, started_on=days(-28))  # a first check-in due today
    check_in(placement(profile, S.ACTIVE, started_on=days(-60)), days(-20), next_on=TODAY)
    follow_up(profile, TODAY)
    stays = newcomer_of(old, "Yonas Tesfay")
    follow_up(stays, TODAY)
    assert send_consultant_reminders(db_session, TODAY, WEEKS) == 4

    def names_in_notices(user) -> list[str]:
        query = sa.select(Notice).where(Notice.user_id == user.id).order_by(Notice.id)
        return [notice.params.get("newcomer") for notice in db_session.scalars(query)]

    assign_newcomer(db_session, admin, profile, new.id)
    db_session.expire_all()
    assert names_in_notices(old) == ["Yonas Tesfay"]
    assert send_consultant_reminders(db_session, TODAY, WEEKS) == 3  # now to the new one
    assert names_in_notices(new) == ["Samira Haddad"] * 3
    assert names_in_notices(old) == ["Yonas Tesfay"]


def test_a_first_assignment_has_no_previous_consultant(db_session, admin):
    profile = newcomer_of(None)
    new = consultant()
    assign_newcomer(db_session, admin, profile, new.id)
    (row,) = audit_rows(db_session)
    assert row.detail == {"from_consultant_id": None, "to_consultant_id": new.id}


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.NEWCOMER, Role.EMPLOYER])
def test_only_an_admin_assigns(db_session, role):
    old, new = consultant(), consultant()
    profile = newcomer_of(old)
    with pytest.raises(NotAllowed):
        assign_newcomer(db_session, make_user(role), profile, new.id)
    assert profile.consultant_id == old.id and audit_rows(db_session) == []


@pytest.mark.parametrize("who", ["deactivated", "admin", "newcomer", "nobody"])
def test_only_to_an_active_consultant(db_session, admin, who):
    old = consultant()
    profile = newcomer_of(old)
    target = {
        "deactivated": lambda: consultant(active=False).id,
        "admin": lambda: make_user(Role.ADMIN).id,
        "newcomer": lambda: make_user(Role.NEWCOMER).id,
        "nobody": lambda: None,
    }[who]()
    with pytest.raises(DomainError) as raised:
        assign_newcomer(db_session, admin, profile, target)
    assert raised.value.field == "consultant"
    assert profile.consultant_id == old.id and audit_rows(db_session) == []


def test_the_same_consultant_again_is_refused(db_session, admin):
    old = consultant()
    profile = newcomer_of(old)
    with pytest.raises(DomainError):
        assign_newcomer(db_session, admin, profile, old.id)
    assert audit_rows(db_session) == []


# --- the pages ----------------------------------------------------------------------------------


@pytest.fixture
def signed_in_admin(client, auth, admin):
    auth.login(admin.email)
    return admin


def names_in(page: str) -> list[str]:
    rows = page.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in page else ""
    return re.findall(r"<tr>\s*<td>([^<]+)</td>", rows)


def test_the_list_shows_each_newcomer_with_their_consultant(db_session, client, signed_in_admin):
    guide = consultant()
    guide.name = "Carla Consulent"
    newcomer_of(guide, "Samira Haddad", municipality="Utrecht")
    newcomer_of(None, "Yonas Tesfay")
    page = client.get("/admin/caseloads").get_data(as_text=True)
    assert names_in(page) == ["Samira Haddad", "Yonas Tesfay"]
    assert "Carla Consulent" in page and "Nobody yet" in page
    assert "2 newcomers found" in page
    # the count is announced, and stays a heading (a role on the <h2> would replace its own)
    status = re.search(
        r'<div role="status">\s*<h2 class="search-results__count">([^<]+)</h2>', page
    )
    assert status is not None and status[1] == "2 newcomers found"
    assert not re.search(r"<h\d[^>]*role=", page)
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/caseloads"' in dashboard


def test_filter_by_consultant_or_nobody_and_search_by_name(db_session, client, signed_in_admin):
    one, other = consultant(), consultant(active=False)
    newcomer_of(one, "Samira Haddad")
    newcomer_of(other, "Samir Bakr")
    newcomer_of(None, "Yonas Tesfay")
    pages = {
        f"?consultant={one.id}": ["Samira Haddad"],
        f"?consultant={other.id}": ["Samir Bakr"],
        "?consultant=none": ["Yonas Tesfay"],
        "?q=SAMIR": ["Samir Bakr", "Samira Haddad"],
        f"?q=samir&consultant={one.id}": ["Samira Haddad"],
        "?q=100%25": [],  # a % is a character, not a wildcard
    }
    for query, expected in pages.items():
        response = client.get(f"/admin/caseloads{query}")
        assert response.status_code == 200, query
        assert names_in(response.get_data(as_text=True)) == expected, query
    page = client.get("/admin/caseloads").get_data(as_text=True)
    assert f"{other.name} (deactivated)" in page  # still shown, to move their newcomers


def test_the_list_comes_in_pages(db_session, client, signed_in_admin, monkeypatch):
    monkeypatch.setattr(assignment, "PER_PAGE", 2)
    for name in ("Anna", "Bram", "Cees", "Dirk", "Eva"):
        newcomer_of(None, name)
    first = client.get("/admin/caseloads").get_data(as_text=True)
    assert names_in(first) == ["Anna", "Bram"] and "Page 1 of 3" in first
    assert 'href="/admin/caseloads?page=2"' in first
    last = client.get("/admin/caseloads?page=3").get_data(as_text=True)
    assert names_in(last) == ["Eva"] and "Previous page" in last
    for page in ("4", "0", "x", "99999999999999999999"):
        assert client.get(f"/admin/caseloads?page={page}").status_code == 404, page


def test_bad_search_values_get_a_message(db_session, client, signed_in_admin):
    response = client.get("/admin/caseloads?consultant=12345678")
    assert response.status_code == 400
    assert "Choose a consultant from the list." in response.get_data(as_text=True)
    assert client.get("/admin/caseloads?q=" + "x" * 101).status_code == 400


def test_choosing_a_newcomer_opens_the_form_and_saving_moves_them(
    db_session, client, signed_in_admin
):
    old, new = consultant(), consultant(active=True)
    new.name = "Nadia Nieuw"
    gone = consultant(active=False)
    profile = newcomer_of(old, "Samira Haddad")
    ref = f"newcomer-{profile.id}"
    page = client.get(f"/admin/caseloads?assign={ref}").get_data(as_text=True)
    assert "Choose a consultant for Samira Haddad" in page
    assert f'action="/admin/caseloads/{ref}"' in page
    form = page.split(f'action="/admin/caseloads/{ref}"')[1].split("</form>")[0]
    assert "Nadia Nieuw" in form and gone.name not in form  # only active consultants
    response = client.post(f"/admin/caseloads/{ref}", data={"consultant": str(new.id)})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/caseloads"
    db_session.expire_all()
    assert profile.consultant_id == new.id
    assert "Samira Haddad is now in the caseload of Nadia Nieuw." in client.get(
        "/admin/caseloads"
    ).get_data(as_text=True)
    assert len(audit_rows(db_session)) == 1


@pytest.mark.parametrize("value", ["", "abc", "²", "99999999999999999999", "deactivated"])
def test_a_bad_choice_changes_nothing_and_says_why(db_session, client, signed_in_admin, value):
    old = consultant()
    profile = newcomer_of(old)
    if value == "deactivated":
        value = str(consultant(active=False).id)
    response = client.post(f"/admin/caseloads/newcomer-{profile.id}", data={"consultant": value})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose a consultant from the list." in page and 'id="consultant-error"' in page
    db_session.expire_all()
    assert profile.consultant_id == old.id and audit_rows(db_session) == []


def test_an_unknown_newcomer_is_not_found(db_session, client, signed_in_admin):
    target = consultant()
    response = client.post("/admin/caseloads/newcomer-987654", data={"consultant": str(target.id)})
    assert response.status_code == 404
    assert client.get("/admin/caseloads?assign=newcomer-987654").status_code == 404


def test_the_old_consultant_loses_the_newcomer_on_their_next_request(app, db_session, client, auth):
    """R07: the assignment counts at once, also for a session that is already open."""
    old, new = consultant(), consultant()
    profile = newcomer_of(old, "Samira Haddad")
    ref = f"newcomer-{profile.id}"
    auth.login(old.email)
    assert client.get(f"/caseload/{ref}/profile").status_code == 200
    assert "Samira Haddad" in client.get("/caseload").get_data(as_text=True)

    admin_browser = app.test_client()
    admin = make_user(Role.ADMIN)
    AuthActions(admin_browser).login(admin.email, "correct horse battery staple")
    moved = admin_browser.post(f"/admin/caseloads/{ref}", data={"consultant": str(new.id)})
    assert moved.status_code == 302

    for path in (f"/caseload/{ref}/profile", f"/caseload/{ref}/placements"):
        assert client.get(path).status_code == 404, path
    assert "Samira Haddad" not in client.get("/caseload").get_data(as_text=True)
    new_browser = app.test_client()
    AuthActions(new_browser).login(new.email, "correct horse battery staple")
    assert new_browser.get(f"/caseload/{ref}/profile").status_code == 200
