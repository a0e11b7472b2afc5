"""A place from sign-up to publication, in a real browser: an employer registers, fills the
five steps, checks and sends the place; a consultant verifies the organisation and publishes
it; an anonymous visitor finds it. Every page on the way passes axe-core (WCAG 2.1 A/AA) at
desktop width and at 375 px without sideways scrolling, and raises no CSP violation or
console error (``guard``). The place form also works without JavaScript.

Texts are looked up in the Dutch catalog (``nl``); a string not translated yet is shown, and
found, as its English msgid.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_pages_accessible import (
    DESKTOP,
    PHONE,
    log_in,
    log_out,
    nl,
    page_problems,
    visit,
)

pytestmark = pytest.mark.browser

EMPLOYER = {
    "name": "Sanne de Vries",
    "email": "sanne@fietsenmaker-de-spaak.nl",
    "password": "drie fietsen op een rij langs de gracht",
    "organisation": "Fietsenmaker De Spaak",
    "kvk": "12345678",
    "postcode": "3511 AB",
    "city": "Utrecht",
}
TITLE = "Helpen in onze fietsenwerkplaats"
STEP_PATH = re.compile(r"^/places/(\d+)/edit/(\w+)$")


def record(problems: list[str], page) -> None:
    """Add the current page's accessibility and phone-width problems to the journey's list."""
    problems += page_problems(page)


def submit(page, guard, button: str) -> None:
    """Press a button of the page's main form and wait for the next page."""
    form(page).get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    guard.check(page)


def save_and_continue(page, guard) -> None:
    submit(page, guard, nl("Save and continue"))


def form(page):
    return page.locator("main form.stack-form")


def group(page, legend: str):
    """A fieldset of radios or checkboxes, found by its legend."""
    return form(page).get_by_role("group", name=legend, exact=True)


def fill(page, label: str, value: str) -> None:
    form(page).get_by_label(label, exact=True).fill(value)


def select(page, label: str, option: str) -> None:
    form(page).get_by_label(label, exact=True).select_option(label=option)


def facts(page, heading: str) -> dict[str, str]:
    """The term/description pairs of the facts list after a heading (whose own text, before
    any link in it, is ``heading``)."""
    pairs = page.evaluate(
        """heading => {
            const own = h => (h.firstChild?.textContent || "").trim();
            const title = [...document.querySelectorAll("main h2, main h3")]
                .find(h => own(h) === heading);
            let dl = title?.nextElementSibling;
            while (dl && dl.tagName !== "DL") dl = dl.nextElementSibling;
            return dl ? [...dl.querySelectorAll("dt")].map(
                dt => [dt.textContent.trim(), dt.nextElementSibling.textContent.trim()]) : null;
        }""",
        heading,
    )
    assert pairs is not None, f"no facts list under the heading {heading!r} on {page.url}"
    return dict(pairs)


def current_step(page) -> tuple[int, str]:
    match = STEP_PATH.match(urlsplit(page.url).path)
    assert match, f"not on a step of the place form: {page.url}"
    return int(match[1]), match[2]


def expect_step(page, step: str, title: str) -> int:
    place_id, landed = current_step(page)
    assert landed == step
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".steps [aria-current=step]")).to_have_text(title)
    return place_id


# the employer: from sign-up to a place waiting for review


def register(page, guard, problems) -> None:
    visit(page, guard, "/register")
    record(problems, page)
    fill(page, nl("Your name"), EMPLOYER["name"])
    fill(page, nl("E-mail address"), EMPLOYER["email"])
    fill(page, nl("Choose a password"), EMPLOYER["password"])
    fill(page, nl("Name of your organisation"), EMPLOYER["organisation"])
    select(page, nl("Kind of organisation"), nl("Company"))
    fill(page, nl("KvK number (optional)"), EMPLOYER["kvk"])
    fill(page, nl("Postcode (optional)"), EMPLOYER["postcode"])
    fill(page, nl("Town (optional)"), EMPLOYER["city"])
    submit(page, guard, nl("Sign up"))

    assert urlsplit(page.url).path == "/organisation"
    expect(page.get_by_role("heading", level=1)).to_have_text(EMPLOYER["organisation"])
    expect(page.get_by_role("status").first).to_contain_text(
        nl("Your account is ready. We will check your organisation soon.")
    )
    expect(page.locator("main")).to_contain_text(nl("You have no places yet."))
    record(problems, page)


def fill_work_step(page, guard, problems) -> int:
    page.get_by_role("link", name=nl("Offer a new place"), exact=True).click()
    page.wait_for_load_state()
    guard.check(page)
    assert urlsplit(page.url).path == "/organisation/places/new"
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("What the newcomer does"))
    record(problems, page)

    fill(page, nl("Title of the place"), TITLE)
    select(page, nl("Kind of place"), nl("Work-experience place"))
    select(page, nl("Sector"), nl("Technology and repair"))
    fill(
        page,
        nl("What will the newcomer do?"),
        "Fietsen nakijken, banden plakken en klanten helpen bij de balie.",
    )
    fill(page, nl("Skills that help (optional)"), "handig, klantcontact")
    fill(page, nl("What the newcomer learns"), "fietsen repareren, Nederlands op het werk")
    fill(page, nl("Certificate or course that comes with it (optional)"), "VCA")
    fill(page, nl("Learning goals"), "Zelfstandig een band plakken en remmen afstellen.")
    save_and_continue(page, guard)
    return expect_step(page, "language", nl("Language"))


def fill_language_step(page, guard, problems) -> None:
    record(problems, page)
    page.set_viewport_size(PHONE)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "place-step-language-phone.png", full_page=True)
    group(page, nl("How much Dutch is needed?")).get_by_role(
        "radio",
        name=nl("A2: can ask a colleague a simple question and understands the answer"),
        exact=True,
    ).check()
    languages = group(page, nl("Other languages spoken at the place (optional)"))
    languages.get_by_role("checkbox", name=nl("English"), exact=True).check()
    languages.get_by_role("checkbox", name=nl("Arabic"), exact=True).check()
    save_and_continue(page, guard)
    page.set_viewport_size(DESKTOP)
    expect_step(page, "time", nl("Hours and period"))


def fill_time_step(page, guard, problems, start: date) -> None:
    record(problems, page)
    hours_min = nl("Hours per week, at least")
    fill(page, hours_min, "0")
    fill(page, nl("Hours per week, at most"), "16")
    schedule = group(page, nl("When does the work happen?"))
    schedule.get_by_role("checkbox", name=nl("Weekday mornings"), exact=True).check()
    schedule.get_by_role("checkbox", name=nl("Weekday afternoons"), exact=True).check()
    fill(page, nl("Start date (optional)"), start.isoformat())
    fill(page, nl("How many weeks?"), "12")
    fill(page, nl("How many newcomers at the same time?"), "2")
    save_and_continue(page, guard)

    # the step again, with its error: summary, message at the field, answers kept
    expect_step(page, "time", nl("Hours and period"))
    message = nl("Fill in a number from 1 to 40.")
    summary = page.get_by_role("alert")
    link = summary.get_by_role("link", name=f"{hours_min}: {message}", exact=True)
    expect(link).to_have_attribute("href", "#hours_min")
    field = form(page).get_by_label(hours_min, exact=True)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(message)
    expect(schedule.get_by_role("checkbox", name=nl("Weekday mornings"))).to_be_checked()
    record(problems, page)
    page.set_viewport_size(PHONE)
    page.screenshot(path=ARTIFACTS / "place-step-errors-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    link.click()
    expect(field).to_be_focused()

    field.fill("8")
    save_and_continue(page, guard)
    expect_step(page, "location", nl("Location"))


def fill_location_step(page, guard, problems) -> None:
    record(problems, page)
    expect(
        form(page).get_by_role("checkbox", name=nl("The work can be done from home"))
    ).not_to_be_checked()
    fill(page, nl("Postcode of the place"), "3512 jk")
    fill(page, nl("Town"), "Utrecht")
    group(page, nl("How physical is the work?")).get_by_role(
        "radio",
        name=nl("Moderate: standing and walking a lot, lifting now and then"),
        exact=True,
    ).check()
    fill(page, nl("Accessibility (optional)"), "Gelijkvloers, bushalte om de hoek.")
    save_and_continue(page, guard)
    expect_step(page, "support", nl("Guidance"))


def fill_support_step(page, guard, problems, place_id: int) -> None:
    record(problems, page)
    mentor = group(page, nl("Is there a mentor or buddy who helps the newcomer?"))
    mentor.get_by_role("radio", name=nl("Yes"), exact=True).check()
    fill(page, nl("Name of the supervisor"), "Kees Jansen")
    group(page, nl("Can this lead to paid work?")).get_by_role(
        "radio", name=nl("Possibly, here or elsewhere in the sector"), exact=True
    ).check()
    save_and_continue(page, guard)
    assert urlsplit(page.url).path == f"/places/{place_id}/send"


def check_and_send(page, guard, problems, start: date) -> None:
    check_page = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Check and send"))
    expect(page.locator(".steps [aria-current=step]")).to_have_text(nl("Check and send"))
    expect(page.locator("main")).not_to_contain_text(
        nl("Some things are still missing. Fill them in first:")
    )
    work = facts(page, nl("What the newcomer does"))
    assert work[nl("Title of the place")] == TITLE
    assert work[nl("Kind of place")] == nl("Work-experience place")
    assert work[nl("What the newcomer learns")] == "fietsen repareren, Nederlands op het werk"
    assert facts(page, nl("Language")) == {
        nl("How much Dutch is needed?"): "A2",
        nl("Other languages spoken at the place (optional)"): f"{nl('English')}, {nl('Arabic')}",
    }
    time = facts(page, nl("Hours and period"))
    assert time[nl("Hours per week, at least")] == "8"
    assert time[nl("Hours per week, at most")] == "16"
    assert time[nl("When does the work happen?")] == (
        f"{nl('Weekday mornings')}, {nl('Weekday afternoons')}"
    )
    assert str(start.year) in time[nl("Start date (optional)")]
    assert time[nl("How many weeks?")] == "12"
    assert time[nl("End date")] == nl("(not filled in)")
    location = facts(page, nl("Location"))
    assert location[nl("Postcode of the place")] == "3512 JK"
    assert location[nl("The work can be done from home")] == nl("No")
    assert location[nl("How physical is the work?")] == nl(
        "Moderate: standing and walking a lot, lifting now and then"
    )
    assert facts(page, nl("Guidance")) == {
        nl("Is there a mentor or buddy who helps the newcomer?"): nl("Yes"),
        nl("Name of the supervisor"): "Kees Jansen",
        nl("Can this lead to paid work?"): nl("Possibly, here or elsewhere in the sector"),
    }
    record(problems, page)

    # sent without answers: every question is listed, and each link leads to its first choice
    submit(page, guard, nl("Send for review"))
    assert urlsplit(page.url).path == urlsplit(check_page).path
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link")).to_have_count(5)
    expect(summary.get_by_role("link").first).to_have_attribute("href", "#would_be_paid_vacancy-0")
    first = group(page, nl("Would you otherwise hire someone for this work, with pay?"))
    expect(first).to_have_accessible_description(nl("Answer this question."))
    record(problems, page)

    answers = [
        (nl("Would you otherwise hire someone for this work, with pay?"), nl("No")),
        (
            nl("Does the newcomer take over the work of an employee who is away (sick, on leave)?"),
            nl("No"),
        ),
        (nl("Does the newcomer do work of someone who was dismissed in the last year?"), nl("No")),
        (nl("Is this work that must be done every week, whoever does it?"), nl("Yes")),
        (nl("Has the works council agreed?"), nl("No, not yet")),
    ]
    for question, answer in answers:
        group(page, question).get_by_role("radio", name=answer, exact=True).check()
    submit(page, guard, nl("Send for review"))

    assert urlsplit(page.url).path == "/organisation"
    expect(page.get_by_role("status").first).to_contain_text(
        nl("Sent. The municipality checks your place, usually within a week.")
    )
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=TITLE, exact=True))
    expect(row.get_by_role("cell").nth(1)).to_have_text(nl("Waiting for review"))
    expect(page.locator("main")).to_contain_text(nl("Nothing right now."))
    record(problems, page)


# the consultant: verify the organisation, publish the place


def verify_organisation(page, guard, problems) -> None:
    page.locator("main").get_by_role("link", name=nl("Organisations to check"), exact=True).click()
    page.wait_for_load_state()
    guard.check(page)
    assert urlsplit(page.url).path == "/organisations/unverified"
    item = page.locator(".record-list__item").filter(
        has=page.get_by_role("heading", name=EMPLOYER["organisation"], exact=True)
    )
    expect(item).to_contain_text(EMPLOYER["kvk"])
    record(problems, page)
    item.get_by_role(
        "button", name=nl("Verify %(name)s") % {"name": EMPLOYER["organisation"]}, exact=True
    ).click()
    page.wait_for_load_state()
    guard.check(page)
    expect(page.get_by_role("status").first).to_contain_text(
        nl("%(name)s is verified.") % {"name": EMPLOYER["organisation"]}
    )
    expect(page.get_by_role("heading", name=EMPLOYER["organisation"], exact=True)).to_have_count(0)
    record(problems, page)


def publish(page, guard, problems, place_id: int) -> None:
    visit(page, guard, "/caseload")
    page.locator("main").get_by_role("link", name=nl("Places to check"), exact=True).click()
    page.wait_for_load_state()
    guard.check(page)
    assert urlsplit(page.url).path == "/review/"
    warnings = {
        nl("Structural work that must be done anyway"),
        nl("The works council has not agreed yet"),
    }
    item = page.locator(".record-list__item").filter(
        has=page.get_by_role("link", name=TITLE, exact=True)
    )
    expect(item).to_contain_text(EMPLOYER["organisation"])
    assert (
        set(item.get_by_role("list", name=nl("Warnings")).get_by_role("listitem").all_inner_texts())
        == warnings
    )
    record(problems, page)

    item.get_by_role("link", name=TITLE, exact=True).click()
    page.wait_for_load_state()
    guard.check(page)
    assert urlsplit(page.url).path == f"/review/{place_id}"
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert set(page.locator("main .flag-list li").all_inner_texts()) == warnings
    answers = facts(page, nl("Answers to the displacement questions"))
    assert answers[nl("Is this work that must be done every week, whoever does it?")] == nl("Yes")
    assert answers[nl("Supervisor")] == "Kees Jansen"
    record(problems, page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "review-place-desktop.png", full_page=True)

    group(page, nl("Decision")).get_by_role("radio", name=nl("Publish"), exact=True).check()
    submit(page, guard, nl("Save the decision"))
    assert urlsplit(page.url).path == "/review/"
    expect(page.get_by_role("status").first).to_contain_text(
        nl("Your decision on “%(title)s” is saved: %(decision)s.")
        % {"title": TITLE, "decision": nl("Publish")}
    )
    expect(page.locator("main")).to_contain_text(nl("There is nothing to check right now."))
    record(problems, page)


def find_as_visitor(page, guard, problems, place_id: int) -> None:
    visit(page, guard, "/places")
    link = page.locator("main").get_by_role("link", name=TITLE, exact=True)
    expect(link).to_have_count(1)
    record(problems, page)
    link.click()
    page.wait_for_load_state()
    guard.check(page)
    assert re.fullmatch(rf"/places/{place_id}/[\w-]+", urlsplit(page.url).path), page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".pre-heading")).to_have_text(EMPLOYER["organisation"])
    expect(page.locator("main")).not_to_contain_text(
        nl("Only you and the municipality see this page. Status: %(status)s.")
        % {"status": nl("Published")}
    )
    shown = facts(page, nl("The facts"))
    assert shown[nl("Dutch needed")] == "A2"
    assert shown[nl("Spots left")] == nl("%(free)d of %(total)d") % {"free": 2, "total": 2}
    record(problems, page)


def tags_are_suggested(page, guard, problems, employer: str, password: str) -> None:
    """The next employer to post a place is offered the tags the published place uses, as spelt."""
    log_in(page, guard, employer, password)
    visit(page, guard, "/organisation/places/new")
    for label, tags in [
        (nl("Skills that help (optional)"), ("handig", "klantcontact")),
        (nl("Certificate or course that comes with it (optional)"), ("VCA",)),
    ]:
        field = form(page).get_by_label(label, exact=True)
        for tag in tags:  # among the suggestions (other tests publish places with tags too)
            expect(field).to_have_accessible_description(
                re.compile(re.escape(nl("Often used:")) + rf" (.*, )?{re.escape(tag)}(, |$)")
            )
    record(problems, page)


def test_an_employer_posts_a_place_and_a_consultant_publishes_it(page, guard, live_server):
    page.set_default_timeout(10_000)
    problems: list[str] = []
    start = date.today() + timedelta(days=14)

    register(page, guard, problems)
    place_id = fill_work_step(page, guard, problems)
    fill_language_step(page, guard, problems)
    fill_time_step(page, guard, problems, start)
    fill_location_step(page, guard, problems)
    fill_support_step(page, guard, problems, place_id)
    check_and_send(page, guard, problems, start)
    log_out(page, guard)

    log_in(page, guard, live_server.emails["consultant"], live_server.password)
    verify_organisation(page, guard, problems)
    publish(page, guard, problems, place_id)
    log_out(page, guard)

    find_as_visitor(page, guard, problems, place_id)
    tags_are_suggested(page, guard, problems, live_server.emails["employer"], live_server.password)
    assert not problems, "\n\n".join(problems)


# no JavaScript needed


def test_the_place_form_works_without_javascript(guarded_context, live_server):
    context, guard = guarded_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, guard, live_server.emails["employer"], live_server.password)
    visit(page, guard, "/organisation/places/new")
    fill(page, nl("Title of the place"), "Sorteren in de kringloopwinkel")
    select(page, nl("Kind of place"), nl("Volunteer work"))
    save_and_continue(page, guard)
    place_id = expect_step(page, "language", nl("Language"))

    group(page, nl("How much Dutch is needed?")).get_by_role(
        "radio", name=nl("No Dutch: we show what to do, or use another language"), exact=True
    ).check()
    languages = group(page, nl("Other languages spoken at the place (optional)"))
    languages.get_by_role("checkbox", name=nl("Tigrinya"), exact=True).check()
    submit(page, guard, nl("Save and stop for now"))
    assert urlsplit(page.url).path == "/organisation"
    expect(page.get_by_role("status").first).to_have_text(nl("Saved."))
    draft = page.get_by_role("row").filter(
        has=page.get_by_role("link", name="Sorteren in de kringloopwinkel", exact=True)
    )
    expect(draft.get_by_role("cell").nth(1)).to_have_text(nl("Draft"))

    visit(page, guard, f"/places/{place_id}/edit/language")  # what was saved comes back
    expect(
        group(page, nl("How much Dutch is needed?")).get_by_role(
            "radio", name=nl("No Dutch: we show what to do, or use another language")
        )
    ).to_be_checked()
    expect(languages.get_by_role("checkbox", name=nl("Tigrinya"))).to_be_checked()
    expect(languages.get_by_role("checkbox", name=nl("English"))).not_to_be_checked()
