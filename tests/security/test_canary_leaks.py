"""The canary crawl (security.md R36, R04, R34, R35): every page, as every role.

Two newcomers are full of marker strings: A (alpha), at an active placement of employer E,
sharing every part of their profile with employers, and B (bravo), at another placement of
E, sharing nothing. Every GET cell of the route matrix is opened as each role it allows, and
the rules hold directly, with or without the session-wide scan (``canary_scan.py``).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from marketplace.accounts.models import Role
from marketplace.labels import label
from marketplace.newcomers.models import PracticalLimit
from marketplace.newcomers.profile_parts import SHAREABLE
from marketplace.notices.models import Notice
from marketplace.placements.models import PlacementStatus
from marketplace.plans.models import Plan
from tests.factories import make_organisation, make_place, make_user
from tests.privacy.canary import Canary, make_canary
from tests.search.indexing import apply, use_fresh_index
from tests.security import leak_rules
from tests.security.authz_matrix import MATRIX, Sample
from tests.security.test_routes import make_sample

MUNICIPALITY = ("newcomer_profile", "municipality")
GET_CELLS = sorted(key for key in MATRIX if key[1] == "GET")
PASSWORDS = leak_rules.known_passwords(Path(__file__).resolve().parents[1])
#: the newcomer's own pages that show their practical limits
MINE = ("intake.mine", "privacy.my_data")


@pytest.fixture
def crowd(app, db_session, monkeypatch):
    """A and B, their consultants, and employer E hosting both, on a fixed day."""
    monkeypatch.setitem(app.config, "FIXED_TODAY", "2026-05-04")
    alpha, bravo = make_canary(db_session, "alpha"), make_canary(db_session, "bravo")
    users = (alpha.user.id, bravo.user.id)
    organisation = alpha.placement.place.organisation
    employer = make_user(Role.EMPLOYER, organisation=organisation, language="en")
    for canary, shares in ((alpha, list(SHAREABLE)), (bravo, [])):
        canary.profile.shares_with_employers = shares
        canary.markers.pop(("newcomer_profile", "shares_with_employers"))
        marker = canary.markers[("newcomer_profile", "experience")]
        canary.profile.experience = [{"occupation": marker, "years": 2}]  # the form's shape
        canary.placement.status = PlacementStatus.ACTIVE
        canary.placement.ended_on = None
    # their practical limits (health, R34), each a value no other person here holds
    alpha.profile.limits[0].kind = PracticalLimit.SCHOOL_HOURS_ONLY
    bravo.profile.limits[0].kind = PracticalLimit.NO_NIGHT_SHIFTS
    bravo.placement.place = make_place(organisation)
    for notice in db_session.scalars(sa.select(Notice).where(Notice.user_id.in_(users))):
        notice.due_on = date(2026, 6, 1)  # a deadline message needs its deadline
    db_session.flush()
    return {"alpha": alpha, "bravo": bravo, "employer": employer}


def _sample(db_session, value, user, alpha: Canary):
    """A sample URL value; for A and A's consultant, A's own file and plan."""
    if user is not None and user.role in (Role.NEWCOMER, Role.CONSULTANT):
        if value is Sample.OWN_NEWCOMER_REF:
            return alpha.profile.ref
        if value is Sample.OWN_PLAN_ID:
            return db_session.scalar(sa.select(Plan.id).filter_by(profile_id=alpha.profile.id))
    return make_sample(db_session, value, user)


def crawl(app, db_session, client, auth, user, alpha: Canary) -> dict[str, leak_rules.Seen]:
    """Every GET page the user's role may open (None: anonymous), as the rules see it."""
    role = user.role if user is not None else None
    if user is not None:
        assert auth.login(user.email).status_code == 302
    pages = {}
    for key in GET_CELLS:
        access = MATRIX[key]
        if not access.allows(role) or key[0] == "static":
            continue
        values = {
            name: _sample(db_session, value, user, alpha) if isinstance(value, Sample) else value
            for name, value in access.params.items()
        }
        url = app.url_map.bind("localhost").build(key[0], values, method="GET")
        response = client.get(url)
        assert response.status_code < 400, f"{url}: {response.status_code}"
        pages[key[0]] = leak_rules.Seen(
            url=url,
            status=response.status_code,
            endpoint=key[0],
            role=str(role) if role else None,
            location=response.headers.get("Location", ""),
            set_cookies=tuple(response.headers.getlist("Set-Cookie")),
            mimetype=response.mimetype,
            body=response.get_data(as_text=True),
        )
    return pages


def shown(pages: dict[str, leak_rules.Seen], canary: Canary) -> dict[str, set[tuple]]:
    """Per page, the (table, column) of the canary's personal and special values on it."""
    found = {}
    for endpoint, seen in pages.items():
        keys = {
            (table, column)
            for marker, table, column, _pii in leak_rules.sensitive_markers(seen.body or "")
            if marker.startswith(canary.prefix)
        }
        if keys:
            found[endpoint] = keys
    return found


def health_shown(pages: dict[str, leak_rules.Seen]) -> dict[str, set[PracticalLimit]]:
    """Per page, the practical limits whose words (Dutch or English) are on it."""
    words = {}
    for language in ("nl", "en"):
        with force_locale(language):
            words |= {str(label(limit)): limit for limit in PracticalLimit}
    found = {}
    for endpoint, seen in pages.items():
        limits = {limit for text, limit in words.items() if text in (seen.body or "")}
        if limits:
            found[endpoint] = limits
    return found


def problems(pages: dict[str, leak_rules.Seen]) -> list[str]:
    return [p for seen in pages.values() for p in leak_rules.response_problems(seen, PASSWORDS)]


def test_anonymous_visitors_see_no_personal_value(app, db_session, client, auth, crowd):
    pages = crawl(app, db_session, client, auth, None, crowd["alpha"])
    assert len(pages) > 5
    assert shown(pages, crowd["alpha"]) == {} and shown(pages, crowd["bravo"]) == {}
    assert health_shown(pages) == {}
    assert problems(pages) == []


def test_the_newcomer_sees_their_own_values_and_nobody_elses(app, db_session, client, auth, crowd):
    alpha = crowd["alpha"]
    pages = crawl(app, db_session, client, auth, alpha.user, alpha)
    assert ("newcomer_profile", "skills") in shown(pages, alpha)["profile.mine"]
    assert ("profile_change", "new_value") in shown(pages, alpha)["profile.history_mine"]
    assert shown(pages, crowd["bravo"]) == {}
    assert health_shown(pages) == {page: {PracticalLimit.SCHOOL_HOURS_ONLY} for page in MINE}
    assert problems(pages) == []


def test_the_consultant_sees_their_newcomer_and_not_another_caseload(
    app, db_session, client, auth, crowd
):
    alpha = crowd["alpha"]
    pages = crawl(app, db_session, client, auth, alpha.consultant, alpha)
    history = shown(pages, alpha)["profile.history_of_newcomer"]
    assert {("profile_change", "old_value"), ("profile_change", "new_value")} <= history
    # the municipality's figures are counted per municipality: its name labels a group
    assert shown(pages, crowd["bravo"]) == {"dashboards.municipality": {MUNICIPALITY}}
    # the limits appear only on the intake form, which lists every choice
    assert set(health_shown(pages)) == {"intake.record"}
    assert problems(pages) == []


def test_the_employer_sees_only_what_the_newcomer_shares(app, db_session, client, auth, crowd):
    """R04/R35: A's shared parts on the candidates page, nothing of B, nothing special."""
    alpha = crowd["alpha"]
    pages = crawl(app, db_session, client, auth, crowd["employer"], alpha)
    seen = shown(pages, alpha)
    assert ("newcomer_profile", "skills") in seen.get("placing.candidates", set())
    allowed = set(leak_rules.EMPLOYER_MAY_SEE["placing.candidates"])
    assert {page: keys - allowed for page, keys in seen.items()} == {"placing.candidates": set()}
    # B shares nothing: the employer sees only their own words about B's check-in
    assert shown(pages, crowd["bravo"]) == {"placing.candidates": {("check_in", "host_view")}}
    assert health_shown(pages) == {}  # not even for A, who shares everything that can be shared
    assert problems(pages) == []


def test_the_employer_rule_catches_a_value_not_shared(app, db_session, client, auth, crowd):
    """The rule has teeth: A's postcode on the candidates page would be reported."""
    pages = crawl(app, db_session, client, auth, crowd["employer"], crowd["alpha"])
    page = pages["placing.candidates"]
    postcode = crowd["alpha"].markers[("newcomer_profile", "postcode")]
    planted = dataclasses.replace(page, body=page.body + postcode)
    reported = leak_rules.response_problems(planted, PASSWORDS)
    assert reported == [f"personal value {postcode} shown to employer: 200 {page.url}"]
    with_limit = dataclasses.replace(page, body=page.body + "Alleen onder schooltijd")
    assert health_shown({"placing.candidates": with_limit}) == {
        "placing.candidates": {PracticalLimit.SCHOOL_HOURS_ONLY}
    }


def test_the_administrator_sees_no_special_value(app, db_session, client, auth, crowd):
    admin = make_user(Role.ADMIN)
    pages = crawl(app, db_session, client, auth, admin, crowd["alpha"])
    assert len(pages) > 3
    special = {
        page: keys
        for page, keys in shown(pages, crowd["alpha"]).items()
        if any(leak_rules.classify(f"canaryalpha_{t}_{c}")[2] != "personal" for t, c in keys)
    }
    assert special == {}
    assert health_shown(pages) == {}
    assert problems(pages) == []


def test_the_index_files_hold_public_place_text_only(app, db_session, monkeypatch, tmp_path):
    """The file scan reads what the index stores (a public title), never a personal value."""
    directory = use_fresh_index(app, monkeypatch, tmp_path)
    organisation = make_organisation("Werkplaats Oost")
    organisation.contact_name = "canaryix_organisation_contact_name"
    make_place(
        organisation,
        title="Fietsen canaryix_place_title",
        supervisor_name="canaryix_place_supervisor_name",
    )
    db_session.commit()
    assert apply(db_session, date(2026, 3, 2)).updated == 1

    assert "canaryix_place_title" in leak_rules.markers_in_files(directory)
    assert leak_rules.index_problems(directory) == []
