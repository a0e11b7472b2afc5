"""A newcomer's first weeks, in a real browser on a phone, in Dutch and in Arabic.

A consultant adds the newcomer; the newcomer opens the invitation, chooses a password, reads
the welcome, fills in their profile, finds a place that fits and shows interest, reads their
path and agrees to their plan, and gives feedback on a placement. Every page on the way passes
axe-core (WCAG 2.1 A/AA) at 375 px and at desktop width, without sideways scrolling, with no
CSP violation or console error, in the newcomer's language and direction.

Fields and buttons are found by their names and roles, so the same journey runs in every
language; what the newcomer reads is checked against the catalog of their language.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from marketplace import db
from marketplace.accounts.models import Role, User
from marketplace.db import utcnow
from marketplace.newcomers.models import NewcomerProfile
from marketplace.placements.models import Placement, PlacementEvent, PlacementStatus
from marketplace.plans.models import ActivityKind, Appointment, Plan, PlanActivity
from marketplace.vocab import LearningRoute
from tests.browser.conftest import translator
from tests.browser.test_pages_accessible import PHONE, log_in, log_out, nl, page_problems, visit
from tests.factories import make_organisation, make_place
from tests.search.indexing import NEAR_AREAS, add_postcode_areas

pytestmark = pytest.mark.browser

PASSWORD = "mijn nieuwe huis staat aan de gracht"
DIRECTION = {"nl": "ltr", "ar": "rtl"}


class Journey:
    """One newcomer's pages, each checked before the next step; problems are gathered."""

    def __init__(self, page, guard, language: str):
        self.page, self.guard, self.language = page, guard, language
        self.text = translator(language)
        self.problems: list[str] = []

    def check(self) -> None:
        html = self.page.locator("html")
        expect(html).to_have_attribute("lang", self.language)
        expect(html).to_have_attribute("dir", DIRECTION[self.language])
        self.guard.check(self.page)
        self.problems += page_problems(self.page)
        self.page.set_viewport_size(PHONE)

    def open(self, path: str) -> None:
        visit(self.page, self.guard, path)
        self.check()

    def send(self, form: str = "main form.stack-form") -> None:
        self.page.locator(form).locator("button[type=submit]").first.click()
        self.page.wait_for_load_state()
        self.check()

    def path(self) -> str:
        return urlsplit(self.page.url).path

    def sees(self, message: str) -> None:
        expect(self.page.locator("main")).to_contain_text(self.text(message))


def _seed_place(app, title: str) -> int:
    """A published place near the newcomer that fits a cook, and the postcodes it needs."""
    with app.app_context():
        add_postcode_areas(db.session, NEAR_AREAS)
        place = make_place(
            make_organisation(f"Buurtkeuken {title}"),
            title=title,
            description="Je kookt met het team voor de buurt.",
            skills_wanted=["koken"],
            postcode="3531 AB",
            city="Utrecht",
        )
        db.session.commit()
        return place.id


def _seed_path(app, email: str, consultant_email: str) -> tuple[int, int]:
    """What the consultant's pages (a later issue) would add: a plan to agree to, an
    appointment and a placement that has started. Returns (plan id, placement id)."""
    with app.app_context():
        user = db.session.scalar(sa.select(User).filter_by(email=email))
        profile = db.session.scalar(sa.select(NewcomerProfile).filter_by(user_id=user.id))
        consultant = db.session.scalar(sa.select(User).filter_by(email=consultant_email))
        today = date.today()
        plan = Plan(
            profile_id=profile.id,
            version=1,
            learning_route=LearningRoute.B1,
            integration_deadline=today + timedelta(days=900),
            support="Een taalmaatje en hulp bij het zoeken naar werk.",
            created_by_id=consultant.id,
        )
        plan.activities = [
            PlanActivity(
                kind=ActivityKind.MAP,
                description="40 uur oriëntatie op werk",
                hours_required=40,
                hours_done=8,
                due_on=today + timedelta(days=60),
            ),
            PlanActivity(
                kind=ActivityKind.KNM, description="KNM", due_on=today + timedelta(days=5)
            ),
        ]
        db.session.add(plan)
        db.session.add(
            Appointment(
                profile_id=profile.id,
                day=today + timedelta(days=3),
                what="Gesprek over je plan",
                location="Stadskantoor",
            )
        )
        place = make_place(make_organisation(f"Kringloop {email}"), title="Helpen in de kringloop")
        placement = Placement(
            profile_id=profile.id,
            place_id=place.id,
            status=PlacementStatus.ACTIVE,
            approved_at=utcnow(),
            started_on=today - timedelta(days=20),
        )
        db.session.add(placement)
        db.session.add(
            PlacementEvent(
                placement=placement,
                from_status=PlacementStatus.APPROVED,
                to_status=PlacementStatus.ACTIVE,
                actor_id=consultant.id,
            )
        )
        db.session.commit()
        return plan.id, placement.id


def _invite(page, guard, live_server, name: str, email: str, language: str) -> str:
    """The consultant adds the newcomer and gets the invitation link."""
    log_in(page, guard, live_server.emails["consultant"], live_server.password)
    visit(page, guard, "/caseload/new")
    form = page.locator("main form.stack-form")
    form.locator("[name=name]").fill(name)
    form.locator("[name=email]").fill(email)
    form.locator("[name=language]").select_option(language)
    form.locator("[name=postcode]").fill("3511 AB")
    form.locator("[name=dutch_level]").select_option("A2")
    form.locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    guard.check(page)
    link = page.locator(".invitation-link code").inner_text().strip()
    log_out(page, guard, nl)
    return urlsplit(link).path


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_a_newcomers_first_weeks_on_a_phone(page, guard, guarded_context, live_server, language):
    email = f"amal.{language}@example.nl"
    title = f"Koken in de buurtkeuken ({language})"
    place_id = _seed_place(live_server.app, title)
    invitation = _invite(page, guard, live_server, f"Amal {language}", email, language)

    context, phone_guard = guarded_context(viewport=PHONE, locale="nl-NL")
    journey = Journey(context.new_page(), phone_guard, language)
    me = journey.page

    # the invitation opens in the language the consultant noted; then the password
    journey.open(invitation)
    journey.sees("Step 1: choose your language")
    me.locator("main form.stack-form [name=password]").fill(PASSWORD)
    journey.send()
    assert journey.path() == "/me/welcome"
    journey.sees("Who sees your information?")

    # the profile: when they are free, and what they can do
    journey.open("/me/profile")
    journey.sees("Who can see this?")
    journey.open("/me/profile/availability")
    form = me.locator("main form.stack-form")
    form.locator("input[name=schedule][value=weekday_morning]").check()
    form.locator("input[name=schedule][value=weekday_afternoon]").check()
    form.locator("[name=hours_available]").fill("16")
    form.locator("[name=max_travel_km]").fill("10")
    form.locator("input[name=travel_mode][value=bike]").check()
    journey.send()
    assert journey.path() == "/me/profile"
    journey.open("/me/profile/work")
    me.locator("main form.stack-form [name=skills]").fill("koken, schoonmaken")
    journey.send()
    journey.open("/me/profile/history")
    journey.sees("changed by you")

    # places that fit, why, and showing interest
    journey.open("/me/places")
    me.locator(f'main a[href="/me/places/{place_id}"]').first.click()
    me.wait_for_load_state()
    journey.check()
    journey.sees("Yes, this place can fit you.")
    me.locator("main form [name=message]").fill("Ik kook graag voor veel mensen.")
    journey.send("main form")
    assert journey.path() == "/me"
    me.locator("main").get_by_role("link", name=title).click()
    me.wait_for_load_state()
    journey.check()
    journey.sees("What happens next?")

    # my path: the plan, the dates, the ladder; agreeing to the plan
    plan_id, placement_id = _seed_path(live_server.app, email, live_server.emails["consultant"])
    journey.open("/me/path")
    journey.sees("What is expected of you, and by when")
    journey.sees("What if something does not work out?")
    journey.send(f'form[action="/me/path/plans/{plan_id}/agree"]')
    journey.sees("Thank you. This version of your plan now counts.")

    # feedback on the placement that has started
    journey.open(f"/me/placements/{placement_id}")
    journey.open(f"/me/placements/{placement_id}/feedback")
    form = me.locator("main form.stack-form")
    for name, value in (("meaningful", "4"), ("learned", "5"), ("respect", "5")):
        form.locator(f"input[name={name}][value='{value}']").check()
    journey.send()
    assert journey.path() == "/me"

    # my data and messages
    journey.open("/me/data")
    journey.open("/me/notices")

    assert not journey.problems, "\n\n".join(journey.problems)
    with live_server.app.app_context():
        user = db.session.scalar(sa.select(User).filter_by(email=email))
        assert user.language == language and user.role is Role.NEWCOMER
