"""A consultant's work with one newcomer, in a real browser, in Dutch (issue 6, item 8).

The consultant adds a newcomer and follows the invitation page to the first conversation,
fills in the profile for matching, makes the first plan with the MAP, and proposes a place
that fits. The newcomer says yes in their own account (in Turkish, on a phone). The consultant
plans the introduction, the host accepts in their account, the consultant approves (a spot is
taken) and starts the placement, records a check-in (without JavaScript), and the host adds
their view. The consultant completes the placement, is led to the outcome, records paid work
at the same place and sees three follow-ups. Last come the caseload and both dashboards.

Every page on the way passes axe-core (WCAG 2.1 A/AA) at desktop width and at 375 px without
sideways scrolling, has the reader's language and direction, and raises no CSP violation or
console error (``guard``). Problems are gathered and reported together at the end. Fields and
buttons are found by their names in the catalog, so the test follows reworded texts.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from marketplace import clock, db
from marketplace.accounts.models import User
from marketplace.newcomers.models import Intake, LadderContext, LadderStep, NewcomerProfile
from marketplace.placements.models import CheckIn, OutcomeResult, Placement, PlacementStatus
from marketplace.places.models import Place
from marketplace.plans.models import ActivityKind, Plan
from tests.browser.conftest import translator
from tests.browser.test_pages_accessible import DESKTOP, PHONE, log_in, nl, page_problems, visit
from tests.factories import make_place
from tests.search.indexing import NEAR_AREAS, add_postcode_areas

pytestmark = pytest.mark.browser

NAME = "Elif Yıldız"
EMAIL = "elif.yildiz@example.nl"
LANGUAGE = "tr"  # the newcomer's own language; the consultant and the host read Dutch
NEWCOMER_PASSWORD = "de fiets staat achter het station"
MUNICIPALITY = "Utrecht"
#: the host organisation of the seeded employer, so that the employer can accept
HOST = "Kringloop De Ruil"
TITLE = "Klanten helpen aan de kassa van de kringloop"
DIRECTION = {"nl": "ltr", LANGUAGE: "ltr"}


def about_place(words: str) -> re.Pattern:
    """A button's or link's name: its words, then the place's title in a visually hidden
    span (Chromium names it "words : title", with a space, as the span is a block)."""
    return re.compile(rf"^{re.escape(words)} ?: {re.escape(TITLE)}$")


def pattern(message: str) -> re.Pattern:
    """A translated message with ``%(name)s`` placeholders, as a pattern for the page's text."""
    parts = re.split(r"%\(\w+\)[sd]", message)
    return re.compile(".+?".join(re.escape(part) for part in parts))


class Reader:
    """One person's tab: each page they reach is checked, and its problems are gathered."""

    def __init__(self, page, guard, problems: list[str], language: str = "nl", axe: bool = True):
        self.page, self.guard, self.problems = page, guard, problems
        self.language, self.text, self.axe = language, translator(language), axe
        self.viewport = page.viewport_size or DESKTOP

    def check(self) -> None:
        html = self.page.locator("html")
        expect(html).to_have_attribute("lang", self.language)
        expect(html).to_have_attribute("dir", DIRECTION[self.language])
        self.guard.check(self.page)
        if self.axe:  # axe-core needs JavaScript
            self.problems += page_problems(self.page)
            self.page.set_viewport_size(self.viewport)

    def open(self, path: str) -> None:
        visit(self.page, self.guard, path)
        self.check()

    def follow(self, name: str | re.Pattern) -> None:
        """Click a link in the main content by its accessible name."""
        self.page.locator("main").get_by_role("link", name=name, exact=True).click()
        self.page.wait_for_load_state()
        self.check()

    def press(self, button: str | re.Pattern, within=None) -> None:
        """Press a button (of the main form, unless given a part of the page)."""
        scope = within if within is not None else self.form()
        scope.get_by_role("button", name=button, exact=True).click()
        self.page.wait_for_load_state()
        self.check()

    def form(self):
        return self.page.locator("main form.stack-form")

    def group(self, legend: str):
        """A fieldset of radios or checkboxes in the main form, by its legend."""
        return self.form().get_by_role("group", name=legend, exact=True)

    def fill(self, label: str, value: str, within=None) -> None:
        (within or self.form()).get_by_label(label, exact=True).fill(value)

    def choose(self, legend: str, option: str) -> None:
        self.group(legend).get_by_label(option, exact=True).check()

    def path(self) -> str:
        return urlsplit(self.page.url).path

    def sees(self, text: str | re.Pattern) -> None:
        expect(self.page.locator("main")).to_contain_text(text)

    def told(self, message: str) -> None:
        """The flashed message after a step."""
        expect(self.page.get_by_role("status").first).to_have_text(message)


def _seed_place(app, employer_email: str) -> int:
    """A published place of the employer's organisation that fits the newcomer made below:
    cash desk and helping customers, weekday mornings, 8 to 16 hours, 0.8 km from 3511."""
    with app.app_context():
        add_postcode_areas(db.session, NEAR_AREAS)
        employer = db.session.scalar(sa.select(User).filter_by(email=employer_email))
        assert employer.organisation.name == HOST
        place = make_place(
            employer.organisation,
            title=TITLE,
            description="Je helpt klanten aan de kassa en in de winkel.",
            skills_wanted=["kassa", "klanten helpen"],
            skills_learned=["afrekenen"],
            schedule=["weekday_morning"],
            postcode="3531 AB",
            city="Utrecht",
            spots=1,
        )
        db.session.commit()
        return place.id


def _placement_item(reader: Reader):
    """The placement at the seeded place on the consultant's or the host's page."""
    page = reader.page
    return page.locator("main ul.record-list > li").filter(  # the matches are an ol
        has=page.get_by_role("heading", name=TITLE, exact=True)
    )


def _take_step(reader: Reader, words: str, on: date | None = None) -> None:
    """One step of the placement, with its date where the step asks for one."""
    item = _placement_item(reader)
    button = about_place(words)
    step = item.locator("form.step-form").filter(
        has=reader.page.get_by_role("button", name=button, exact=True)
    )
    expect(step).to_have_count(1)
    if on is not None:
        step.get_by_label(nl("Date"), exact=True).fill(on.isoformat())
    reader.press(button, within=step)
    reader.told(nl("Done: %(step)s.") % {"step": words})


def _add_newcomer(consultant: Reader) -> tuple[str, str]:
    """Step 1: the new newcomer; returns their file's reference and the invitation path."""
    consultant.open("/caseload/new")
    consultant.fill(nl("Name"), NAME)
    consultant.fill(nl("E-mail address"), EMAIL)
    form = consultant.form()
    form.get_by_label(nl("Language for e-mails and the site"), exact=True).select_option(LANGUAGE)
    consultant.fill(nl("Postcode"), "3511 AB")
    consultant.fill(nl("Municipality"), MUNICIPALITY)
    form.get_by_label(nl("Dutch level now"), exact=True).select_option(
        label=nl("A2: simple everyday conversations")
    )
    form.get_by_label(nl("Learning route"), exact=True).select_option(label=nl("B1 route"))
    consultant.press(nl("Add and send the invitation"))

    expect(consultant.page.get_by_role("heading", level=1)).to_have_text(nl("Invitation ready"))
    link = consultant.page.locator(".invitation-link code").inner_text().strip()
    assert "/invitation/" in link, link
    consultant.sees(nl("Next step"))
    consultant.follow(nl("Write down the first conversation"))
    found = re.fullmatch(r"/caseload/([^/]+)/intake", consultant.path())
    assert found, consultant.page.url
    return found[1], urlsplit(link).path


def _first_conversation(consultant: Reader) -> None:
    """Step 2: what the newcomer told, a practical limit, hours, and the starting rung."""
    texts = {
        nl("What matters to them"): "Dat haar kinderen goed naar school gaan.",
        nl("Their motivation"): "Ze wil eigen geld verdienen en Nederlanders leren kennen.",
        nl("What they can do"): "Kassa, klanten helpen; ze had een winkel in Izmir.",
        nl("What they want to learn"): "Nederlands op de werkvloer.",
        nl("What you agreed to do next"): "Samen een plek in een winkel zoeken.",
    }
    for label, text in texts.items():
        consultant.fill(label, text)
    consultant.choose(nl("Practical limits"), nl("No evening or night work"))
    consultant.fill(nl("Hours available per week"), "16")
    consultant.choose(
        nl("Starting step on the participation ladder"), nl("2. Contacts outside the home")
    )
    consultant.fill(nl("Why this step"), "Ze gaat naar taalles en kent een paar buren.")
    consultant.press(nl("Save the first conversation"))

    assert consultant.path().endswith("/intake")
    consultant.told(nl("Saved. %(name)s can read it on their own page.") % {"name": NAME})
    written = (
        "Written down on %(date)s. Saving again corrects it; it does not add a second conversation."
    )
    consultant.sees(pattern(nl(written)))
    for label, text in texts.items():
        expect(consultant.form().get_by_label(label, exact=True)).to_have_value(text)
    rung = consultant.group(nl("Starting step on the participation ladder"))
    expect(rung.get_by_label(nl("2. Contacts outside the home"), exact=True)).to_be_checked()


def _profile_for_matching(consultant: Reader, ref: str) -> None:
    """When she is free, how far she travels, and what she can do, as the consultant."""
    consultant.open(f"/caseload/{ref}/profile/availability")
    consultant.group(nl("When are you free?")).get_by_label(
        nl("Weekday mornings"), exact=True
    ).check()
    expect(consultant.form().get_by_label(nl("How many hours per week can you do?"))).to_have_value(
        "16"  # from the first conversation
    )
    consultant.fill(nl("How far can you travel, in kilometres?"), "10")
    consultant.choose(nl("How do you travel?"), nl("By bike"))
    consultant.press(nl("Save"))
    assert consultant.path() == f"/caseload/{ref}/profile"
    consultant.told(nl("Saved."))

    consultant.open(f"/caseload/{ref}/profile/work")
    consultant.fill(nl("What can you do?"), "kassa, klanten helpen")
    consultant.press(nl("Save"))
    consultant.told(nl("Saved."))


def _map_row(consultant: Reader):
    """The fieldset of the plan form's activity row that is the MAP."""
    rows = consultant.form().locator("fieldset.plan-row")
    for n in range(rows.count()):
        row = rows.nth(n)
        if row.get_by_label(nl("Activity"), exact=True).input_value() == ActivityKind.MAP.value:
            return row
    pytest.fail(f"the first plan's form suggests no MAP row: {consultant.page.url}")


def _first_plan(consultant: Reader, ref: str, today: date) -> None:
    """Step 3: version 1 of the plan, with the end of the term and the MAP."""
    consultant.open(f"/caseload/{ref}/plan")
    consultant.follow(nl("Make the first plan"))
    assert consultant.path() == f"/caseload/{ref}/plan/new"
    route = consultant.group(nl("Learning route"))
    expect(route.get_by_label(nl("B1 route: learning Dutch to level B1"))).to_be_checked()
    consultant.fill(
        nl("End of the integration term"), (today + timedelta(days=3 * 365)).isoformat()
    )
    consultant.fill(nl("What must be arranged first"), "Opvang voor de jongste op dinsdag.")
    row = _map_row(consultant)  # a first plan suggests the MAP with its hours, PVT and KNM
    expect(row.get_by_label(nl("Hours needed"), exact=True)).to_have_value("40")
    consultant.fill(nl("What exactly"), "40 uur oefenen in een winkel", within=row)
    consultant.fill(nl("Ready by"), (today + timedelta(days=120)).isoformat(), within=row)
    consultant.fill(nl("Support"), "Een taalmaatje, en de klantmanager elke zes weken.")
    consultant.fill(nl("How progress is followed"), "Een gesprek op de werkplek elke maand.")
    consultant.press(nl("Save as version %(n)d") % {"n": 1})

    assert consultant.path() == f"/caseload/{ref}/plan"
    consultant.told(nl("Saved. The newcomer gets a message to read the new version."))
    consultant.sees(nl("Waiting for agreement: version %(n)d") % {"n": 1})
    consultant.sees("40 uur oefenen in een winkel")


def _propose(consultant: Reader, ref: str) -> None:
    """Step 4: the place that fits, with its reasons, proposed from the placements page."""
    consultant.open(f"/caseload/{ref}/placements")
    consultant.sees(nl("No placements yet."))
    match = consultant.page.locator("main ol.record-list > li").filter(
        has=consultant.page.get_by_role("link", name=TITLE, exact=True)
    )
    expect(match).to_have_count(1)
    expect(match.locator(".reason-list li").first).to_be_visible()
    consultant.press(about_place(nl("Propose")), within=match)
    assert consultant.path() == f"/caseload/{ref}/placements"
    consultant.told(nl("Proposed. The newcomer gets a message and decides."))
    expect(_placement_item(consultant)).to_contain_text(nl("waiting for the newcomer's answer"))


def _newcomer_says_yes(newcomer: Reader, invitation: str) -> int:
    """Step 5: the newcomer's yes is hers: she opens the invitation and answers on her phone."""
    tr = newcomer.text
    newcomer.open(invitation)
    newcomer.sees(tr("Step 1: choose your language"))
    newcomer.fill(tr("Choose a password"), NEWCOMER_PASSWORD)
    newcomer.press(tr("Start"))
    assert newcomer.path() == "/me/welcome"

    newcomer.open("/me")
    newcomer.follow(TITLE)
    found = re.fullmatch(r"/me/placements/(\d+)", newcomer.path())
    assert found, newcomer.page.url
    newcomer.sees(tr("Your consultant proposes this place to you"))
    newcomer.choose(tr("Do you want this place?"), tr("Yes, I want this place"))
    newcomer.press(tr("Send my answer"))
    newcomer.told(tr("Thank you. Your consultant now plans a first meeting with the place."))
    return int(found[1])


def _host_accepts(host: Reader, live_server) -> None:
    log_in(host.page, host.guard, live_server.emails["employer"], live_server.password)
    host.check()
    host.open("/organisation/candidates")
    item = _placement_item(host)
    expect(item).to_contain_text(nl("Introduction planned"))
    host.press(about_place(nl("Yes, we want to go on")), within=item)
    assert host.path() == "/organisation/candidates"
    host.told(nl("Done: %(step)s.") % {"step": nl("Yes, we want to go on")})
    expect(_placement_item(host)).to_contain_text(nl("Accepted by the place"))


def _check_in_without_javascript(guarded_context, live_server, problems, placement_id, today):
    """Step 7: the check-in form, sent from a browser with JavaScript off."""
    context, guard = guarded_context(java_script_enabled=False)
    consultant = Reader(context.new_page(), guard, problems, axe=False)
    log_in(consultant.page, guard, live_server.emails["consultant"], live_server.password)
    consultant.open(f"/caseload/placements/{placement_id}/check-in")
    consultant.fill(nl("Date of the talk"), today.isoformat())
    consultant.choose(
        nl("Step on the participation ladder now"), nl("4. Unpaid work, like volunteering")
    )
    consultant.fill(nl("Why this step"), "Ze werkt drie ochtenden per week mee in de winkel.")
    consultant.choose(nl("Attendance"), nl("Almost always there"))
    consultant.fill(nl("Hours worked since the last talk"), "24")
    consultant.form().get_by_label(
        nl("These hours count as MAP practice hours"), exact=True
    ).check()
    consultant.fill(nl("Skills gained"), "Afrekenen met pin en contant.")
    consultant.fill(nl("Progress in Dutch"), "Ze groet klanten en vraagt naar de bon.")
    consultant.fill(nl("The newcomer's own words"), "Ik vind het leuk om met klanten te praten.")
    consultant.fill(nl("Next steps"), "Ook de inbreng van spullen leren.")
    consultant.fill(nl("Date of the next talk"), (today + timedelta(days=14)).isoformat())
    consultant.press(nl("Save the check-in"))
    assert re.fullmatch(r"/caseload/[^/]+/placements", consultant.path()), consultant.page.url
    consultant.told(nl("The check-in is saved."))


def _complete_with_outcome(consultant: Reader, ref: str, today: date) -> None:
    """Step 8: completing leads to the outcome page; paid work at the same place."""
    _take_step(consultant, nl("Finished"), today)
    assert re.fullmatch(r"/caseload/placements/\d+/outcome", consultant.path()), consultant.page.url
    expect(consultant.page.get_by_role("heading", level=1)).to_have_text(
        nl("Outcome: %(place)s") % {"place": TITLE}
    )
    consultant.choose(nl("How did the placement end?"), nl("Paid work at the same place"))
    consultant.fill(nl("Hours a week (only for paid work)"), "24")
    consultant.choose(nl("Contract (only for paid work)"), nl("Temporary contract"))
    consultant.press(nl("Save the outcome"))

    assert consultant.path() == f"/caseload/{ref}/placements"
    consultant.told(nl("The outcome is saved. The follow-ups are planned."))
    item = _placement_item(consultant)
    expect(item).to_contain_text(
        nl("Outcome: %(result)s") % {"result": nl("Paid work at the same place")}
    )
    follow_ups = item.locator(".follow-up-list > li")
    expect(follow_ups).to_have_count(3)
    for months in (3, 6, 12):
        name = about_place(nl("After %(months)d months") % {"months": months})
        expect(item.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(item).to_contain_text(nl("Spots: %(free)d free of %(total)d") % {"free": 1, "total": 1})


def _overviews(consultant: Reader) -> None:
    """Step 9: the caseload (found by name), the caseload dashboard and the municipality's."""
    consultant.open("/caseload")
    search = consultant.page.get_by_role("search")
    search.get_by_label(nl("Name"), exact=True).fill("Yıldız")
    consultant.press(nl("Search"), within=search)
    row = consultant.page.get_by_role("row").filter(
        has=consultant.page.get_by_role("link", name=NAME, exact=True)
    )
    expect(row).to_have_count(1)
    expect(row).to_contain_text(MUNICIPALITY)

    consultant.open("/dashboards/caseload")
    expect(consultant.page.get_by_role("heading", level=1)).to_have_text(
        nl("Figures for your caseload")
    )
    consultant.follow(nl("Figures for the whole municipality"))
    assert consultant.path() == "/dashboards/municipality"
    form = consultant.page.locator("main form.stack-form")
    form.get_by_label(nl("Municipality"), exact=True).select_option(label=MUNICIPALITY)
    consultant.press(nl("Show the figures"), within=form)
    assert consultant.path() == "/dashboards/municipality"
    expect(form.get_by_label(nl("Municipality"), exact=True)).to_have_value(MUNICIPALITY)


def test_a_consultant_from_intake_to_paid_work(page, guard, guarded_context, live_server):
    with live_server.app.app_context():
        today = clock.today()  # the app's date (in the Netherlands), not the machine's
    place_id = _seed_place(live_server.app, live_server.emails["employer"])
    problems: list[str] = []

    consultant = Reader(page, guard, problems)
    log_in(page, guard, live_server.emails["consultant"], live_server.password)
    consultant.check()

    # 1-2: the newcomer, her invitation, and the first conversation
    ref, invitation = _add_newcomer(consultant)
    _first_conversation(consultant)
    _profile_for_matching(consultant, ref)

    # 3: the first plan
    _first_plan(consultant, ref, today)

    # 4-5: the proposal, and her own yes (in her account, on a phone)
    _propose(consultant, ref)
    context, newcomer_guard = guarded_context(viewport=PHONE, locale="nl-NL")
    newcomer = Reader(context.new_page(), newcomer_guard, problems, language=LANGUAGE)
    placement_id = _newcomer_says_yes(newcomer, invitation)

    # 6: the introduction, the host's yes, approval (a spot) and the start
    consultant.open(f"/caseload/{ref}/placements")
    expect(_placement_item(consultant)).not_to_contain_text(nl("waiting for the newcomer's answer"))
    _take_step(consultant, nl("Plan the introduction"), today)
    host_context, host_guard = guarded_context()
    host = Reader(host_context.new_page(), host_guard, problems)
    _host_accepts(host, live_server)
    consultant.open(f"/caseload/{ref}/placements")
    _take_step(consultant, nl("Approve (takes a spot)"))
    spots = nl("Spots: %(free)d free of %(total)d")
    expect(_placement_item(consultant)).to_contain_text(spots % {"free": 0, "total": 1})
    _take_step(consultant, nl("Started"), today)

    # 7: a check-in: its page checked here, the form sent without JavaScript
    consultant.follow(about_place(nl("Record a check-in")))
    assert consultant.path() == f"/caseload/placements/{placement_id}/check-in"
    _check_in_without_javascript(guarded_context, live_server, problems, placement_id, today)
    consultant.open(f"/caseload/placements/{placement_id}/check-in")
    consultant.sees(nl("MAP practice hours counted so far: %(hours)d") % {"hours": 24})
    host.open("/organisation/candidates")  # the host adds how they see it
    view = _placement_item(host).locator("form.stack-form")
    view.get_by_role("textbox").fill("Ze is vriendelijk en altijd op tijd.")
    host.press(nl("Save your view"), within=view)
    host.told(nl("Thank you. The consultant reads your view."))

    # 8: completed, the outcome, and the follow-ups; the newcomer reads it in plain words
    consultant.open(f"/caseload/{ref}/placements")
    _complete_with_outcome(consultant, ref, today)
    newcomer.open(f"/me/placements/{placement_id}")
    newcomer.sees(newcomer.text("You found paid work at this place."))

    # 9: the caseload and the dashboards
    _overviews(consultant)

    assert not problems, "\n\n".join(problems)
    with live_server.app.app_context():
        placement = db.session.get(Placement, placement_id)
        profile = db.session.get(NewcomerProfile, placement.profile_id)
        assert (placement.place_id, profile.user.email) == (place_id, EMAIL)
        assert placement.status is PlacementStatus.COMPLETED
        assert placement.outcome.result is OutcomeResult.PAID_JOB_HOST
        assert sorted(f.months for f in placement.outcome.follow_ups) == [3, 6, 12]
        (check_in,) = db.session.scalars(sa.select(CheckIn).filter_by(placement_id=placement_id))
        assert check_in.ladder_rung == 4 and check_in.hours_worked == 24 and check_in.counts_for_map
        assert check_in.host_view == "Ze is vriendelijk en altijd op tijd."
        assert db.session.scalar(sa.select(Intake).filter_by(profile_id=profile.id)) is not None
        steps = db.session.scalars(sa.select(LadderStep).filter_by(profile_id=profile.id)).all()
        assert (LadderContext.INTAKE, 2) in {(step.context, step.rung) for step in steps}
        (plan,) = db.session.scalars(sa.select(Plan).filter_by(profile_id=profile.id))
        (map_activity,) = [a for a in plan.activities if a.kind is ActivityKind.MAP]
        assert (map_activity.hours_required, map_activity.due_on) == (40, today + timedelta(120))
        assert db.session.get(Place, place_id).spots_taken == 0
