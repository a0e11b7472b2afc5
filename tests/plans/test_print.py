"""The printed plan: Dutch and the newcomer's language side by side, for paper and a phone."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEvent
from marketplace.db import utcnow
from marketplace.newcomers.models import NewcomerProfile
from marketplace.plans.models import ActivityKind, ActivityStatus, Plan, PlanActivity
from marketplace.vocab import LearningRoute
from tests.conftest import AuthActions
from tests.factories import PASSWORD, make_user

TODAY = date(2026, 12, 1)
FREE_TEXT = "Kinderopvang op dinsdag en donderdag."


class Cells(HTMLParser):
    """The text of each language cell of the sheet, in order, with its lang and dir."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cells: list[dict] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "print-cell" in (a.get("class") or "").split():
            self.cells.append({"lang": a.get("lang"), "dir": a.get("dir"), "text": ""})
            self._depth = 1
        elif self._depth:
            self._depth += 1

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.cells[-1]["text"] += data


def cells_of(page: str) -> list[dict]:
    parser = Cells()
    parser.feed(page)
    return parser.cells


@pytest.fixture
def today(app):
    app.config["FIXED_TODAY"] = TODAY.isoformat()
    yield TODAY
    app.config["FIXED_TODAY"] = None


def newcomer_with_plan(db_session, consultant=None, language="ar"):
    user = make_user(Role.NEWCOMER, language=language)
    profile = db_session.scalars(sa.select(NewcomerProfile).filter_by(user_id=user.id)).one()
    profile.consultant_id = consultant.id if consultant else None
    plan = Plan(
        profile_id=profile.id,
        version=1,
        learning_route=LearningRoute.B1,
        integration_deadline=date(2029, 6, 1),
        preconditions=FREE_TEXT,
        agreed_at=utcnow(),
    )
    plan.activities = [
        PlanActivity(
            kind=ActivityKind.MAP,
            description="Oefenen in de buurtkeuken.",
            hours_required=40,
            hours_done=12,
            due_on=date(2027, 6, 1),
            status=ActivityStatus.IN_PROGRESS,
        )
    ]
    db_session.add(plan)
    db_session.flush()
    return user, profile, plan


def sign_in(app, user):
    browser = app.test_client()
    response = AuthActions(browser).login(user.email, PASSWORD)
    assert response.status_code == 302
    return browser


def test_dutch_and_arabic_stand_side_by_side(app, db_session, today):
    consultant = make_user(Role.CONSULTANT, language="en")
    _user, profile, plan = newcomer_with_plan(db_session, consultant, language="ar")
    browser = sign_in(app, consultant)

    response = browser.get(f"/caseload/newcomer-{profile.id}/plan/{plan.id}/print")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    cells = cells_of(page)
    assert {(c["lang"], c["dir"]) for c in cells} == {("nl", "ltr"), ("ar", "rtl")}
    # every fixed text is said twice: Dutch on the left, Arabic on the right
    assert [c["lang"] for c in cells] == ["nl", "ar"] * (len(cells) // 2)
    texts = [c["text"] for c in cells]
    for dutch, arabic in [
        ("Leerroute", "مسار التعلم"),
        ("Module Arbeidsmarkt en Participatie (MAP)", "وحدة سوق العمل والمشاركة (MAP)"),
        ("Nederlands", "العربية"),
    ]:
        assert any(dutch in text for text in texts[0::2]), dutch
        assert any(arabic in text for text in texts[1::2]), arabic
    assert "12 van 40 uur gedaan" in texts[0::2]
    assert "1 juni 2029" in " ".join(texts[0::2])
    # what the consultant wrote stands once, as written
    assert page.count(FREE_TEXT) == 1 and page.count("Oefenen in de buurtkeuken.") == 1
    # a sheet for paper: the print stylesheet, and lines to sign
    assert "css/print.css" in page and page.count('class="print-sign__line"') == 4
    assert '<article class="print-sheet" dir="ltr"' in page
    # the consultant's own words around the sheet are in their language
    assert "To print this plan, use the print menu of your browser." in page


def test_a_dutch_speaking_newcomer_gets_one_column(app, db_session, today):
    user, _profile, plan = newcomer_with_plan(db_session, language="nl")
    browser = sign_in(app, user)

    page = browser.get(f"/me/path/plans/{plan.id}/print").get_data(as_text=True)

    cells = cells_of(page)
    assert cells and {c["lang"] for c in cells} == {"nl"}
    assert "print-row--two" not in page and "Leerroute" in page


def test_a_newcomer_prints_their_own_plan_from_my_path(app, db_session, today):
    user, _profile, plan = newcomer_with_plan(db_session, language="en")
    browser = sign_in(app, user)

    path = browser.get("/me/path").get_data(as_text=True)
    assert f'href="/me/path/plans/{plan.id}/print"' in path

    page = browser.get(f"/me/path/plans/{plan.id}/print").get_data(as_text=True)
    english = [c["text"] for c in cells_of(page) if c["lang"] == "en"]
    assert "Version 1, you agreed on" in " ".join(english)
    assert "What must be arranged first" in " ".join(english)
    assert page.count(FREE_TEXT) == 1


def test_a_newcomer_cannot_print_someone_elses_plan(app, db_session, today):
    _owner, _profile, plan = newcomer_with_plan(db_session)
    browser = sign_in(app, make_user(Role.NEWCOMER))

    assert browser.get(f"/me/path/plans/{plan.id}/print").status_code == 404


def test_a_consultant_prints_only_plans_of_their_own_newcomers(app, db_session, today):
    consultant = make_user(Role.CONSULTANT)
    _user, own, _own_plan = newcomer_with_plan(db_session, consultant)
    _other, _profile, other_plan = newcomer_with_plan(db_session, make_user(Role.CONSULTANT))
    browser = sign_in(app, consultant)

    # another newcomer's plan under the own newcomer's address is not found either
    assert browser.get(f"/caseload/newcomer-{own.id}/plan/{other_plan.id}/print").status_code == 404
    assert (
        browser.get(f"/caseload/newcomer-{other_plan.profile_id}/plan/{other_plan.id}/print")
    ).status_code == 404


def test_each_print_by_a_consultant_is_in_the_audit_log(app, db_session, today):
    consultant = make_user(Role.CONSULTANT)
    _user, profile, plan = newcomer_with_plan(db_session, consultant)
    browser = sign_in(app, consultant)

    browser.get(f"/caseload/newcomer-{profile.id}/plan/{plan.id}/print")

    read = db_session.scalars(
        sa.select(AuditEvent).filter_by(action="newcomer_profile_read", actor_id=consultant.id)
    ).one()
    assert read.subject_user_id == profile.user_id and read.detail["page"] == "plan/print"


def test_a_replaced_version_says_so_on_paper(app, db_session, today):
    user, profile, first = newcomer_with_plan(db_session, language="en")
    db_session.add(
        Plan(profile_id=profile.id, version=2, learning_route=LearningRoute.B1, agreed_at=utcnow())
    )
    db_session.flush()
    browser = sign_in(app, user)

    page = browser.get(f"/me/path/plans/{first.id}/print").get_data(as_text=True)

    assert "A newer version replaced this version." in page
    assert "This version is in force since" not in page
