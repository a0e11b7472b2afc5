"""Every page in a real browser: WCAG 2.1 AA by axe-core at desktop and phone width, no
horizontal scrolling at 375 px, no JavaScript needed, the language menu, and form errors.
Each visited page is also checked for CSP violations and console errors (``guard``)."""

from __future__ import annotations

from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, app_code, translator

pytestmark = pytest.mark.browser

nl = translator("nl")  # the default language: what a Dutch browser sees
en = translator("en")

AXE_SCRIPT = Axe().axe_script
WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 800}

ANONYMOUS_PAGES = [
    "/",
    "/login",
    "/register",
    "/password/forgot",
    "/about",
    "/privacy",
    "/accessibility",
]
MISSING_PAGE = "/no-such-page"

#: each role's landing page, and the pages it must reach from the header and dashboard links
DASHBOARDS = {
    "newcomer": "/me",
    "employer": "/organisation",
    "consultant": "/caseload",
    "admin": "/admin/",
}
ROLE_PAGES = {
    "newcomer": {
        "/me",
        "/me/path",
        "/me/profile",
        "/me/profile/history",
        "/me/places",
        "/me/feedback",
        "/me/data",
        "/me/notices",
        "/account",
        "/account/password",
    },
    "employer": {"/organisation", "/organisation/candidates", "/account", "/account/password"},
    "consultant": {
        "/caseload",
        "/caseload/new",
        "/caseload/erasure-requests",
        "/dashboards/caseload",
        "/dashboards/municipality",
        "/me/notices",
        "/organisations/unverified",
        "/account",
        "/account/password",
        "/account/two-step",
    },
    "admin": {
        "/admin/",
        "/admin/users",
        "/admin/users/new",
        "/admin/caseloads",
        "/dashboards/municipality",
        "/organisations/unverified",
        "/account",
        "/account/password",
        "/account/two-step",
    },
}


def visit(page, guard, path: str, status: int = 200) -> None:
    """Open a page, check its status, and that it raised no CSP violation or console error."""
    if status != 200:
        guard.expect_status(urljoin(guard.base_url, path), status)
    response = page.goto(path)
    assert response is not None, path
    assert response.status == status, f"{path}: status {response.status}"
    guard.check(page)


def axe(page) -> AxeResults:
    """axe-core's WCAG 2.1 A/AA rules on the page as it is now (injected once per page)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    return AxeResults(page.evaluate("options => axe.run(document, options)", WCAG_AA))


def assert_accessible(page) -> None:
    results = axe(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def page_problems(page) -> list[str]:
    """axe-core at desktop width, then the same page at 375 px: axe again, and no sideways
    scrolling. Returns what is wrong, so that one test can report every page at once."""
    problems = []
    for name, size in [("desktop", DESKTOP), ("phone", PHONE)]:
        page.set_viewport_size(size)
        results = axe(page)
        if results.violations_count:
            problems.append(f"{page.url} ({name}):\n{results.generate_report()}")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        problems.append(f"{page.url} is {width} px wide at {PHONE['width']} px")
    page.set_viewport_size(DESKTOP)
    return problems


def log_in(page, guard, email: str, password: str) -> None:
    """Sign in through the real form, as a person would (labels in Dutch, the default)."""
    visit(page, guard, "/login")
    submit_login(page, guard, email, password, nl)


def submit_login(page, guard, email: str, password: str, language) -> None:
    page.get_by_label(language("E-mail address"), exact=True).fill(email)
    page.get_by_label(language("Password"), exact=True).fill(password)
    page.locator("main form").get_by_role("button", name=language("Log in")).click()
    page.wait_for_load_state()
    guard.check(page)
    if urlsplit(page.url).path == "/mfa":  # consultants and administrators: the second step
        code_label = language("Code from your authenticator app")
        page.get_by_label(code_label, exact=True).fill(app_code(email))
        page.locator("main form").get_by_role("button", name=language("Log in")).click()
        page.wait_for_load_state()
        guard.check(page)


def log_out(page, guard, language=nl) -> None:
    page.locator("header").get_by_role("button", name=language("Log out")).click()
    page.wait_for_load_state()
    guard.check(page)


def same_site_links(page, origin: str) -> set[str]:
    """The paths of the links in the header and the main content (not the footer)."""
    hrefs = page.eval_on_selector_all(  # a download (or a JSON file) is not a page to visit
        "header a[href]:not([download]):not([type]), main a[href]:not([download]):not([type])",
        "links => links.map(a => a.href)",
    )
    return {
        urlsplit(href).path
        for href in hrefs
        if href.startswith(origin) and not urlsplit(href).fragment
    }


# (a) and (d): anonymous pages


def test_anonymous_pages_are_accessible_and_fit_a_phone(page, guard):
    problems = []
    for path in ANONYMOUS_PAGES:
        visit(page, guard, path)
        expect(page.locator("html")).to_have_attribute("lang", "nl")
        problems += page_problems(page)
    visit(page, guard, MISSING_PAGE, status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Page not found"))
    problems += page_problems(page)
    assert not problems, "\n\n".join(problems)


# (b) and (d): every page each role reaches


@pytest.mark.parametrize("role", list(DASHBOARDS))
def test_role_pages_are_accessible_and_fit_a_phone(page, guard, live_server, role):
    log_in(page, guard, live_server.emails[role], live_server.password)
    assert urlsplit(page.url).path == DASHBOARDS[role]

    problems, seen, queue = [], set(), deque([(DASHBOARDS[role], 0)])
    while queue:
        path, depth = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        visit(page, guard, path)
        landed = urlsplit(page.url).path  # e.g. /login sends a signed-in user to the dashboard
        if landed != path and landed in seen:
            continue
        seen.add(landed)
        problems += page_problems(page)
        if depth < 2:
            queue.extend((link, depth + 1) for link in same_site_links(page, live_server.url))

    assert not problems, "\n\n".join(problems)
    missing = ROLE_PAGES[role] - seen
    assert not missing, f"{role} cannot reach {missing} from the header and dashboard links"
    if "/organisations/unverified" in seen:  # the list that was checked is not empty
        visit(page, guard, "/organisations/unverified")
        expect(page.get_by_role("heading", level=2)).to_have_text(
            live_server.unverified_organisation
        )


# (c) no JavaScript needed


def test_log_in_and_out_without_javascript(guarded_context, live_server):
    context, guard = guarded_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, guard, live_server.emails["consultant"], live_server.password)
    assert urlsplit(page.url).path == DASHBOARDS["consultant"]
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("My caseload"))

    log_out(page, guard)
    assert urlsplit(page.url).path == "/logout"
    expect(page.locator("header").get_by_role("link", name=nl("Log in"))).to_be_visible()
    visit(page, guard, DASHBOARDS["consultant"])  # the session has really ended
    assert urlsplit(page.url).path == "/login"


def test_log_out_confirms_it(page, guard, live_server):
    log_in(page, guard, live_server.emails["consultant"], live_server.password)
    log_out(page, guard)
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("You are logged out"))
    assert_accessible(page)


# (e) the language menu


def switch_language(page, guard, code: str, language) -> None:
    page.get_by_label(language("Language"), exact=True).select_option(code)
    page.locator("form.language-menu").get_by_role("button").click()
    page.wait_for_load_state()
    guard.check(page)


def test_language_menu_switches_to_english(page, guard):
    visit(page, guard, "/about")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    switch_language(page, guard, "en", nl)
    assert urlsplit(page.url).path == "/about"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(en("About this site"))
    expect(page.get_by_label(en("Language"), exact=True)).to_have_value("en")
    visit(page, guard, "/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)


def test_signed_in_users_language_choice_is_kept_at_the_next_login(page, guard, live_server):
    log_in(page, guard, live_server.emails["language"], live_server.password)
    switch_language(page, guard, "en", nl)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    log_out(page, guard, en)
    page.context.clear_cookies()  # a new visit: only the account remembers the language

    visit(page, guard, "/login")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    submit_login(page, guard, live_server.emails["language"], live_server.password, nl)
    assert urlsplit(page.url).path == DASHBOARDS["newcomer"]
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switch_language(page, guard, "nl", en)  # leave the account as it was
    expect(page.locator("html")).to_have_attribute("lang", "nl")


def test_language_chosen_before_login_is_kept_after_login(page, guard, live_server):
    visit(page, guard, "/login")
    switch_language(page, guard, "en", nl)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    submit_login(page, guard, live_server.emails["newcomer"], live_server.password, en)
    assert urlsplit(page.url).path == DASHBOARDS["newcomer"]
    expect(page.locator("html")).to_have_attribute("lang", "en", timeout=1000)


# (f) form errors


def test_empty_login_shows_an_error_summary_linked_to_the_fields(page, guard):
    visit(page, guard, "/login")
    page.locator("main form").get_by_role("button", name=nl("Log in")).click()
    page.wait_for_load_state()
    guard.check(page)

    summary = page.get_by_role("alert")
    expect(summary).to_have_count(1)
    expect(summary.get_by_role("heading", level=2)).to_have_text(nl("Please check the following"))
    expect(summary.get_by_role("link")).to_have_count(2)
    fields = [
        ("email", nl("E-mail address"), nl("Fill in your e-mail address.")),
        ("password", nl("Password"), nl("Fill in your password.")),
    ]
    for field_id, label, message in fields:
        link = summary.get_by_role("link", name=f"{label}: {message}", exact=True)
        expect(link).to_have_attribute("href", f"#{field_id}")
        field = page.get_by_label(label, exact=True)
        expect(field).to_have_id(field_id)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(message)

    summary.get_by_role("link", name=f"{nl('Password')}: {nl('Fill in your password.')}").click()
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type("x")
    expect(page.locator("#password")).to_have_value("x")
    problems = page_problems(page)  # the page with its errors: accessible, fits a phone
    assert not problems, "\n\n".join(problems)


# screenshots to look at


def test_screenshots_of_home_and_consultant_dashboard(page, guard, live_server):
    ARTIFACTS.mkdir(exist_ok=True)
    for name, size in [("desktop", DESKTOP), ("phone", PHONE)]:
        page.set_viewport_size(size)
        visit(page, guard, "/")
        page.screenshot(path=ARTIFACTS / f"home-{name}.png", full_page=True)
    log_in(page, guard, live_server.emails["consultant"], live_server.password)
    for name, size in [("desktop", DESKTOP), ("phone", PHONE)]:
        page.set_viewport_size(size)
        visit(page, guard, DASHBOARDS["consultant"])
        page.screenshot(path=ARTIFACTS / f"consultant-dashboard-{name}.png", full_page=True)


# the checks themselves


def test_the_guard_sees_csp_violations_and_console_errors(guarded_context):
    """The per-page checks are not vacuous: an inline style and script on a page are caught."""
    context, guard = guarded_context()
    page = context.new_page()

    def add_inline_code(route):
        response = route.fetch()
        body = response.text().replace(
            "</main>", '<p style="color: red">x</p><script>document.title = "x";</script></main>'
        )
        route.fulfill(response=response, body=body)

    page.route("**/about", add_inline_code)
    page.goto("/about")
    page.wait_for_timeout(100)
    with pytest.raises(AssertionError, match="Content-Security-Policy violations"):
        guard.check(page)
    assert {v["directive"] for v in guard.csp_violations} == {"style-src-attr", "script-src-elem"}
    assert any("Content Security Policy" in error for error in guard.errors)

    guard.csp_violations.clear()
    guard.errors.clear()
    page.evaluate("window.__cspViolations = []")
