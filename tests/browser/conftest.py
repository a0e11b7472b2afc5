"""Real-browser fixtures: Debian's Chromium through Playwright, against a live server.

One browser and one server serve the whole session. The server runs the app on its own
migrated SQLite file (no SAVEPOINT binding: a real server thread commits for real), seeded
with one user per role. Every page a test visits is watched for Content-Security-Policy
violations, JavaScript errors and console errors; see ``PageGuard``.
"""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.support import Translations
from werkzeug.serving import WSGIRequestHandler, make_server

from marketplace import db, migrate
from marketplace.accounts.models import Role, User
from marketplace.newcomers.services import profile_of
from marketplace.placements.models import Placement, PlacementStatus
from tests.conftest import make_test_app
from tests.factories import PASSWORD, make_organisation, make_place, make_user, totp_code

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-default-apps",
    "--disable-extensions",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
TRANSLATIONS = ROOT / "marketplace" / "translations"

#: Injected through CDP before any page script, so the page's CSP cannot block it. It keeps
#: each violation on the page (``window.__cspViolations``) and hands it to Python as well,
#: so that a violation on a page the test has already left is not lost.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const violation = {
    directive: event.effectiveDirective, blocked: event.blockedURI,
    source: event.sourceFile, line: event.lineNumber, page: document.location.href,
  };
  window.__cspViolations.push(violation);
  if (window.__recordCspViolation) window.__recordCspViolation(violation);
});
"""


def translator(language: str):
    """``gettext`` for one language from the compiled catalog, to find the text a page shows.

    A msgid that the (complete) Dutch catalog does not know fails at once: the source text was
    reworded, and the test must follow instead of silently looking for the old words.
    """
    catalogs = {}
    for code in {language, "nl"}:
        compiled = TRANSLATIONS / code / "LC_MESSAGES" / "messages.mo"
        if not compiled.exists():
            pytest.fail(f"{compiled} is missing: run `make translations` first", pytrace=False)
        catalogs[code] = Translations.load(str(TRANSLATIONS), [code])
    known = catalogs["nl"]._catalog

    def gettext(message: str) -> str:
        if message not in known:
            raise KeyError(f"not in the catalog (reworded?): {message!r}")
        return catalogs[language].gettext(message)

    return gettext


def _chromium_available() -> bool:
    return Path(CHROMIUM).is_file() or shutil.which(CHROMIUM) is not None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Use Debian's Chromium; under CI a missing browser fails the run instead of skipping."""
    if not _chromium_available():
        message = f"Chromium is not installed at {CHROMIUM} (set CHROMIUM_PATH)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


#: the app the live server serves (one per test session)
_LIVE_APPS: list = []


def app_code(email: str) -> str:
    """A code of the authenticator app of a consultant or administrator of the live server."""
    with _LIVE_APPS[-1].app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        code = totp_code(user)
        db.session.commit()  # totp_code may forget the step used, as if time had passed
    return code


@dataclass
class LiveServer:
    url: str
    password: str
    #: one user per role, by role name, plus "language": a newcomer whose language tests change
    emails: dict[str, str]
    unverified_organisation: str
    #: the served app, for a journey that needs records no page makes yet (in its own context)
    app: object = None


class _QuietHandler(WSGIRequestHandler):
    """No line per request on stderr; errors are still logged."""

    def log_request(self, *args, **kwargs) -> None:
        pass


class _ServerThread(threading.Thread):
    def __init__(self, app):
        super().__init__(daemon=True, name="live-server")
        self.server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def run(self) -> None:
        self.server.serve_forever()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.join(timeout=5)


def _seed(app) -> tuple[dict[str, str], str]:
    """One user per role, with the relations their pages show; committed for real."""
    with app.app_context():
        consultant = make_user(Role.CONSULTANT, email="consultant@example.nl")
        newcomer = make_user(Role.NEWCOMER, email="newcomer@example.nl")
        profile_of(db.session, newcomer).consultant_id = consultant.id
        employer = make_user(
            Role.EMPLOYER,
            email="employer@example.nl",
            organisation=make_organisation("Kringloop De Ruil", verified=True),
        )
        admin = make_user(Role.ADMIN, email="admin@example.nl")
        # a consultant who has not set up the authenticator app yet
        make_user(Role.CONSULTANT, email="new.consultant@example.nl", mfa=False)
        # a placement after its introduction: the host's and the consultant's step forms show
        place = make_place(employer.organisation, title="Helpen in de kringloopwinkel", spots=2)
        db.session.add(
            Placement(
                profile_id=profile_of(db.session, newcomer).id,
                place_id=place.id,
                status=PlacementStatus.INTRODUCED,
            )
        )
        switcher = make_user(Role.NEWCOMER, email="language@example.nl")
        unverified = make_organisation("Buurthuis De Brug", verified=False)
        db.session.commit()
        emails = {user.role.value: user.email for user in (newcomer, employer, consultant, admin)}
        return {
            **emails,
            "language": switcher.email,
            "new consultant": "new.consultant@example.nl",
        }, unverified.name


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app served on 127.0.0.1 in a daemon thread, with CSRF on as in production."""
    tmp = tmp_path_factory.mktemp("browser")
    app = make_test_app(f"sqlite:///{tmp / 'browser.sqlite3'}", tmp, WTF_CSRF_ENABLED=True)
    with app.app_context():
        migrate.upgrade()
    emails, unverified = _seed(app)
    _LIVE_APPS.append(app)
    thread = _ServerThread(app)
    thread.start()
    try:
        yield LiveServer(thread.url, PASSWORD, emails, unverified, app)
    finally:
        thread.stop()
        app.extensions["db"].engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_server):
    """pytest-base-url's fixture: ``page.goto("/login")`` opens the live server."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A browser set to Dutch, like most visitors' (Accept-Language picks the language)."""
    return {**browser_context_args, "locale": "nl-NL"}


@dataclass
class PageGuard:
    """What went wrong on the pages of one browser context, collected as it happens."""

    base_url: str
    javascript: bool = True
    csp_violations: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: (url, status) of responses the test asked for on purpose, such as a 404 page
    expected_statuses: set[tuple[str, int]] = field(default_factory=set)
    _statuses: dict[str, int] = field(default_factory=dict)

    def watch(self, context) -> None:
        context.expose_binding(
            "__recordCspViolation", lambda _source, violation: self.csp_violations.append(violation)
        )
        context.add_init_script(script=CSP_LISTENER)
        context.on("page", self._watch_page)
        for page in context.pages:
            self._watch_page(page)

    def _watch_page(self, page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("response", lambda response: self._statuses.update({response.url: response.status}))

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        if (url, self._statuses.get(url)) in self.expected_statuses:
            return  # "Failed to load resource: 404" for the 404 page the test asked for
        self.errors.append(f"console error on {url}: {message.text}")

    def expect_status(self, url: str, status: int) -> None:
        """The test asks for this error response on purpose; its console message is fine."""
        self.expected_statuses.add((url, status))

    def check(self, page) -> None:
        """Fail on anything seen so far, reading the current page's own record too."""
        on_page = page.evaluate("window.__cspViolations || []") if self.javascript else []
        violations = self.csp_violations + [v for v in on_page if v not in self.csp_violations]
        assert not violations, f"Content-Security-Policy violations on {page.url}: {violations}"
        assert not self.errors, f"Errors in the browser on {page.url}: {self.errors}"


def _final_check(watcher: PageGuard, context) -> None:
    for page in context.pages:
        if not page.is_closed():
            page.wait_for_timeout(50)  # let a late violation event arrive
            watcher.check(page)


@pytest.fixture
def guard(context, page, base_url):
    """Watches the plugin's ``context`` and ``page`` for the whole test."""
    watcher = PageGuard(base_url)
    watcher.watch(context)
    yield watcher
    _final_check(watcher, context)


@pytest.fixture
def guarded_context(browser, browser_context_args, base_url):
    """Make an extra watched context, e.g. without JavaScript: ``context, guard = make(...)``."""
    made = []

    def make(**kwargs):
        context = browser.new_context(**{**browser_context_args, **kwargs})
        watcher = PageGuard(base_url, javascript=kwargs.get("java_script_enabled", True))
        watcher.watch(context)
        made.append((context, watcher))
        return context, watcher

    yield make
    try:
        for context, watcher in made:
            _final_check(watcher, context)
    finally:
        for context, _ in made:
            context.close()
