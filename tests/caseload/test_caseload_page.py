"""The caseload page: who needs attention first, the filters, the search, and only one's own."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEvent
from marketplace.newcomers.services import create_newcomer
from marketplace.placements.models import PlacementStatus as S
from marketplace.vocab import DutchLevel, LearningRoute
from tests.caseload.records import (
    TODAY,
    activity,
    check_in,
    consultant,
    days,
    newcomer_of,
    placement,
    plan,
    rung,
)


@pytest.fixture(autouse=True)
def today(app, monkeypatch):
    monkeypatch.setitem(app.config, "FIXED_TODAY", TODAY.isoformat())


@pytest.fixture
def mine(db_session, auth):
    """A signed-in consultant with three newcomers: one late, one waiting, one quiet."""
    me = consultant()
    late = newcomer_of(me, "Samira Haddad", municipality="Utrecht", learning_route=LearningRoute.B1)
    active = placement(late, S.ACTIVE, started_on=days(-60), title="Fietsenmaker")
    check_in(active, days(-40), next_on=days(-2))
    plan(late)
    rung(late, 4, days(-40))
    waiting = newcomer_of(me, "Yonas Tesfay", municipality="Zeist", learning_route=LearningRoute.Z)
    placement(waiting, S.INTERESTED, title="Buurtkeuken")
    plan(waiting)
    rung(waiting, 2, days(-90))
    rung(waiting, 3, days(-10))  # the latest rung counts
    quiet = newcomer_of(me, "Amal Idris", municipality="Utrecht", learning_route=LearningRoute.B1)
    activity(plan(quiet), days(40))
    auth.login(me.email)
    return me, late, waiting, quiet


def names_in_order(page: str) -> list[str]:
    return re.findall(r'<a href="/caseload/[^"]+/profile">([^<]+)</a>', page)


def get(client, query: str = "") -> tuple[int, str]:
    response = client.get(f"/caseload{query}")
    return response.status_code, response.get_data(as_text=True)


def test_the_caseload_shows_who_needs_attention_first(client, mine):
    _me, late, waiting, _quiet = mine
    status, page = get(client)
    assert status == 200
    assert names_in_order(page) == ["Samira Haddad", "Yonas Tesfay", "Amal Idris"]
    assert "3 newcomers" in page and "2 need attention" in page
    assert "Late:" in page and "Check-in at Fietsenmaker was due on" in page
    check_in_link = re.search(r'href="(/caseload/placements/\d+/check-in)"', page)
    assert check_in_link is not None
    assert "Interested in Buurtkeuken: plan the introduction" in page
    assert f'href="/caseload/newcomer-{waiting.id}/placements"' in page
    assert f'href="/caseload/newcomer-{late.id}/profile"' in page
    assert "Nothing right now" in page
    assert "4. Unpaid work, like volunteering" in page and "3. Organised activities" in page


def test_the_existing_links_stay(client, mine):
    _status, page = get(client)
    for link in (
        "/caseload/new",
        "/review/",
        "/organisations/unverified",
        "/caseload/erasure-requests",
    ):
        assert f'href="{link}"' in page


def test_the_list_itself_is_not_written_to_the_audit_log(db_session, client, mine):
    before = db_session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    get(client)
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count(AuditEvent.id))) == before


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=attention", ["Samira Haddad", "Yonas Tesfay"]),
        ("?status=placed", ["Samira Haddad"]),
        ("?status=looking", ["Yonas Tesfay", "Amal Idris"]),
        ("?route=z", ["Yonas Tesfay"]),
        ("?route=b1", ["Samira Haddad", "Amal Idris"]),
        ("?rung=3", ["Yonas Tesfay"]),
        ("?rung=2", []),  # an earlier rung does not count
        ("?municipality=Utrecht", ["Samira Haddad", "Amal Idris"]),
        ("?municipality=Utrecht&route=b1&status=placed", ["Samira Haddad"]),
    ],
)
def test_each_filter(client, mine, query, expected):
    status, page = get(client, query)
    assert status == 200
    assert names_in_order(page) == expected
    found = len(expected)
    assert f"{found} newcomer{'' if found == 1 else 's'} found ·" in page
    assert "3 newcomers" in page  # the whole caseload is still counted


def test_no_plan_filter(db_session, client, mine):
    me, *_ = mine
    newcomer_of(me, "Farid Nieuw")
    _status, page = get(client, "?status=no_plan")
    assert names_in_order(page) == ["Farid Nieuw"]


@pytest.mark.parametrize("text", ["amir", "SAMIRA", "haddad", "Samira Haddad"])
def test_search_by_part_of_the_name_in_any_case(client, mine, text):
    _status, page = get(client, f"?q={text}")
    assert names_in_order(page) == ["Samira Haddad"]


def test_a_search_that_finds_nobody_says_so(client, mine):
    status, page = get(client, "?q=nobody-by-this-name")
    assert status == 200 and names_in_order(page) == []
    assert "No newcomer fits these filters." in page


def test_municipalities_to_choose_are_those_of_the_caseload(db_session, client, mine):
    newcomer_of(consultant(), municipality="Amersfoort")  # someone else's newcomer
    _status, page = get(client)
    select = page.split('name="municipality"')[1].split("</select>")[0]
    assert re.findall(r'<option[^>]* value="([^"]*)"', select) == ["", "Utrecht", "Zeist"]
    assert "Amersfoort" not in page


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?status=everyone-ever", "status"),
        ("?route=q", "route"),
        ("?rung=7", "rung"),
        ("?municipality=Amersfoort", "municipality"),
        ("?q=" + "x" * 101, "q"),
    ],
)
def test_bad_filter_values_get_a_message_at_the_field(client, mine, query, field):
    status, page = get(client, query)
    assert status == 400
    assert f'id="{field}-error"' in page
    assert "Choose from the list." in page or "Use at most 100 characters." in page
    assert names_in_order(page) == []


def test_another_consultants_newcomers_are_not_shown_and_their_pages_are_404(
    db_session, client, mine
):
    other = consultant()
    theirs = newcomer_of(other, "Omar Elders", municipality="Utrecht")
    placement(theirs, S.INTERESTED)
    _status, page = get(client)
    assert "Omar Elders" not in page
    assert "3 newcomers" in page
    _status, searched = get(client, "?q=omar")
    assert names_in_order(searched) == []
    ref = f"newcomer-{theirs.id}"
    for path in (f"/caseload/{ref}/profile", f"/caseload/{ref}/placements"):
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize("how", ["erased", "deactivated"])
def test_a_newcomer_whose_account_is_closed_is_not_in_the_caseload(db_session, client, mine, how):
    from marketplace.privacy import erasure

    me, *_ = mine
    gone = newcomer_of(me, "Farid Weg", joined=days(-365))  # long "no placement yet"
    if how == "erased":
        erasure.carry_out_erasure(
            db_session, me, erasure.request_erasure(db_session, gone.user, None)
        )
    else:
        gone.user.active = False
    db_session.flush()
    _status, page = get(client)
    assert names_in_order(page) == ["Samira Haddad", "Yonas Tesfay", "Amal Idris"]
    assert "3 newcomers" in page and "2 need attention" in page
    assert "No placement yet" not in page


def test_an_invited_newcomer_without_a_password_yet_is_in_the_caseload(db_session, client, mine):
    me, *_ = mine
    create_newcomer(
        db_session,
        me,
        name="Farid Nieuw",
        email="farid@example.nl",
        language="en",
        postcode="3511 AB",
        dutch_level=DutchLevel.A2,
        learning_route=None,
    )
    invited = db_session.scalar(sa.select(User).where(User.email == "farid@example.nl"))
    assert invited.password_hash is None and invited.active
    _status, page = get(client)
    assert "Farid Nieuw" in names_in_order(page) and "4 newcomers" in page


def test_a_consultant_without_newcomers(db_session, client, auth):
    auth.login(consultant().email)
    status, page = get(client)
    assert status == 200
    assert "You have no newcomers yet." in page and "0 newcomers" in page


def test_the_dutch_page(db_session, client, auth):
    me = consultant(language="nl")
    newcomer_of(me, "Samira Haddad")
    auth.login(me.email)
    status, page = get(client)
    assert status == 200 and '<html lang="nl"' in page
    assert names_in_order(page) == ["Samira Haddad"]
