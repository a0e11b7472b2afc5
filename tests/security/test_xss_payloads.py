"""Output encoding of stored text (security.md R23).

Every free-text field gets ``<field tag><payload>`` for each payload of the list; then every
page that shows it, for each role that sees it, must hold the escaped text and never the raw
payload, no link may start with ``javascript:``, and ``{{7*7}}`` is shown, not evaluated.
Exports quote cells that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from markupsafe import escape
from openpyxl import load_workbook

from marketplace.accounts.models import Role
from marketplace.dashboards.exports import to_csv, to_xlsx
from marketplace.dashboards.tables import Column, Table
from marketplace.newcomers.models import Intake, NewcomerProfile
from marketplace.placements.models import CheckIn, FollowUp, Outcome, Placement, PlacementStatus
from marketplace.plans.models import Plan, PlanActivity
from tests.factories import make_organisation, make_place, make_user

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '" onmouseover="alert(1)',
    "javascript:alert(1)",
    "{{7*7}}",
]

#: (field tag, page) pairs: where each stored field must be shown, escaped, to whom
SHOWN = {
    Role.NEWCOMER: {
        "profile": ["SKILLS", "INTERESTS", "WORKGOALS", "MOTIVATION"],
        "intake": ["WHATMATTERS", "AGREEMENTS"],
        "placement": ["MESSAGE", "PLACETITLE", "ORGNAME"],
        "place": ["PLACETITLE", "DESCRIPTION", "ORGNAME"],
        "path": ["ACTIVITY", "SUPPORT"],
        "my_data": [
            "SKILLS",
            "INTERESTS",
            "WORKGOALS",
            "MOTIVATION",
            "WHATMATTERS",
            "AGREEMENTS",
            "MESSAGE",
            "PLACETITLE",
            "WORDS",
            "HOSTVIEW",
            "EXPLANATION",
            "NOTES",
            "ACTIVITY",
            "SUPPORT",
        ],
    },
    Role.CONSULTANT: {
        "profile": ["SKILLS", "INTERESTS", "WORKGOALS", "MOTIVATION"],
        "intake": ["WHATMATTERS", "AGREEMENTS"],
        "placements": ["PLACETITLE", "ORGNAME"],
        "plans": ["ACTIVITY", "SUPPORT"],
        "check_in": ["PLACETITLE"],
        "outcome": ["EXPLANATION", "PLACETITLE", "ORGNAME"],
        "follow_up": ["NOTES", "PLACETITLE"],
    },
    Role.EMPLOYER: {
        "candidates": ["PLACETITLE", "HOSTVIEW"],
        "dashboard": ["PLACETITLE", "ORGNAME"],
        "place": ["PLACETITLE", "DESCRIPTION", "ORGNAME"],
    },
}


def tagged(tag: str, payload: str) -> str:
    return f"{tag}{payload}"


def build_world(dbs, payload: str) -> dict:
    """A newcomer of a consultant's caseload placed at an employer's place, every free-text
    field holding the payload behind its tag; returns the users and the pages' URLs."""
    consultant = make_user(Role.CONSULTANT)
    newcomer = make_user(Role.NEWCOMER)
    organisation = make_organisation(name=tagged("ORGNAME", payload))
    employer = make_user(Role.EMPLOYER, organisation=organisation)
    profile = dbs.scalar(sa.select(NewcomerProfile).filter_by(user_id=newcomer.id))
    profile.consultant_id = consultant.id
    profile.skills = [tagged("SKILLS", payload)]
    profile.interests = [tagged("INTERESTS", payload)]
    profile.work_goals = [tagged("WORKGOALS", payload)]
    profile.motivation = tagged("MOTIVATION", payload)
    place = make_place(
        organisation,
        title=tagged("PLACETITLE", payload),
        description=tagged("DESCRIPTION", payload),
        learning_goals=tagged("LEARNINGGOALS", payload),
    )
    interested = Placement(
        profile_id=profile.id,
        place_id=make_place(organisation, title=tagged("PLACETITLE", payload)).id,
        status=PlacementStatus.INTRODUCED,
        newcomer_message=tagged("MESSAGE", payload),
    )
    active = Placement(profile_id=profile.id, place_id=place.id, status=PlacementStatus.ACTIVE)
    ended = Placement(
        profile_id=profile.id,
        place_id=place.id,
        status=PlacementStatus.COMPLETED,
        ended_on=date(2020, 1, 31),
    )
    dbs.add_all([interested, active, ended])
    dbs.flush()
    dbs.add(
        CheckIn(
            placement=active,
            held_on=date(2026, 11, 2),
            ladder_rung=4,
            attendance="good",
            newcomer_words=tagged("WORDS", payload),
            host_view=tagged("HOSTVIEW", payload),
        )
    )
    follow_up = FollowUp(months=3, due_on=date(2020, 4, 30), notes=tagged("NOTES", payload))
    dbs.add(
        Outcome(
            placement=ended,
            result="education",
            explanation=tagged("EXPLANATION", payload),
            follow_ups=[follow_up],
        )
    )
    dbs.add(
        Intake(
            profile_id=profile.id,
            held_on=date(2026, 1, 5),
            what_matters=tagged("WHATMATTERS", payload),
            agreements=tagged("AGREEMENTS", payload),
        )
    )
    plan = Plan(
        profile_id=profile.id, version=1, learning_route="b1", support=tagged("SUPPORT", payload)
    )
    plan.activities = [PlanActivity(kind="language", description=tagged("ACTIVITY", payload))]
    dbs.add(plan)
    dbs.flush()
    ref = f"newcomer-{profile.id}"
    slug_free = f"/places/{place.id}"
    pages = {
        Role.NEWCOMER: {
            "profile": "/me/profile",
            "intake": "/me/intake",
            "placement": f"/me/placements/{interested.id}",
            "place": slug_free,
            "path": "/me/path",
            "my_data": "/me/data",
        },
        Role.CONSULTANT: {
            "profile": f"/caseload/{ref}/profile",
            "intake": f"/caseload/{ref}/intake",
            "placements": f"/caseload/{ref}/placements",
            "plans": f"/caseload/{ref}/plan",
            "check_in": f"/caseload/placements/{active.id}/check-in",
            "outcome": f"/caseload/placements/{ended.id}/outcome",
            "follow_up": f"/caseload/follow-ups/{follow_up.id}",
        },
        Role.EMPLOYER: {
            "candidates": "/organisation/candidates",
            "dashboard": "/organisation",
            "place": slug_free,
        },
    }
    users = {Role.NEWCOMER: newcomer, Role.CONSULTANT: consultant, Role.EMPLOYER: employer}
    return {"users": users, "pages": pages}


class _Links(HTMLParser):
    """Every URL-valued attribute of a page."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [v or "" for k, v in attrs if k in self.URL_ATTRIBUTES]


def script_links(body: str) -> list[str]:
    parser = _Links()
    parser.feed(body)
    return [u for u in parser.urls if u.strip().lower().startswith(("javascript:", "data:"))]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("role", list(SHOWN), ids=lambda r: r.value)
def test_stored_payloads_come_out_escaped(app, db_session, client, auth, role, payload):
    world = build_world(db_session, payload)
    assert auth.login(world["users"][role].email).status_code == 302
    for name, url in world["pages"][role].items():
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        body = response.get_data(as_text=True)
        for tag in SHOWN[role][name]:
            shown = str(escape(tagged(tag, payload)))
            assert shown in body, f"{tag} is not shown (escaped) on {url} to a {role.value}"
        if escape(payload) != payload:
            assert payload not in body, f"raw payload on {url}"
        assert script_links(body) == [], f"a script link on {url}"
        if payload == "{{7*7}}":  # evaluated, it would read TAG49 (a name may hold 49)
            assert not re.search(r"[A-Z]49", body), f"a template was evaluated on {url}"


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_exports_quote_cells_that_look_like_formulas(start):
    formula = f'{start}HYPERLINK("http://evil.example","x")'
    table = Table("t", "caption", (Column("Naam", kind="text"), Column("Aantal")), [(formula, 3)])

    rows = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig")), delimiter=";"))
    assert rows[1] == ["'" + formula, "3"]

    sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
    cell = sheet.cell(row=2, column=1)
    assert (cell.value, cell.data_type) == ("'" + formula, "s")
    assert sheet.cell(row=2, column=2).value == 3
