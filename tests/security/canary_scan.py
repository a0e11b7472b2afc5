"""The session-wide canary leak scan (security.md R36), a pytest plugin.

From the start of the test session to its end it watches every log record (a handler on the
root logger) and every response of every app (Flask's ``request_finished`` signal), and it
notes every search index directory an app used. Each response and record is checked at once
and only problems are kept, plus the cookie values set and the long tokens seen in logs,
URLs and error pages. At the end it reads the index files, matches cookies against tokens,
and fails the session, naming what leaked where. The rules are in ``leak_rules.py``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import appcontext_pushed, g, request, request_finished

from tests.security import leak_rules

TESTS = Path(__file__).resolve().parents[1]
#: the app loggers whose every record (down to DEBUG) the scan reads
WATCHED_LOGGERS = ("marketplace", "werkzeug", "gunicorn")
#: how many problems the report prints (all are counted)
SHOWN = 40


class LeakScan(logging.Handler):
    """Collects problems over a session; it is also the root logger handler."""

    def __init__(self, passwords: tuple[str, ...]):
        super().__init__(logging.DEBUG)
        self.passwords = passwords
        self.problems: dict[str, None] = {}
        self.cookies: set[str] = set()
        self.tokens: dict[str, str] = {}
        self.index_dirs: set[str] = set()
        self.test = "(outside a test)"
        self.counts = {"records": 0, "responses": 0}

    def note(self, problems: list[str]) -> None:
        for problem in problems:
            self.problems.setdefault(f"{problem}  [{self.test}]")

    def remember_tokens(self, text: str, where: str) -> None:
        for token in leak_rules.LONG_TOKEN.findall(text):
            self.tokens.setdefault(token, f"{where}  [{self.test}]")

    # -- log records ---------------------------------------------------------------------

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + logging.Formatter().formatException(record.exc_info)
            text += " " + " ".join(
                f"{k}={v}" for k, v in vars(record).items() if k not in _STANDARD_ATTRIBUTES
            )
        except Exception:  # noqa: BLE001  (a broken record is pytest's to report, not ours)
            return
        self.counts["records"] += 1
        where = f"a log record of {record.name}"
        self.note(leak_rules.secrets_in(text, where, self.passwords))
        self.remember_tokens(text, where)

    # -- responses -----------------------------------------------------------------------

    def on_response(self, sender, response, **_extra) -> None:
        seen = _seen(response)
        self.counts["responses"] += 1
        self.note(leak_rules.response_problems(seen, self.passwords))
        self.cookies |= leak_rules.cookie_values(seen.set_cookies)
        self.remember_tokens(seen.url, f"the URL {seen.url}")
        self.remember_tokens(seen.location, f"the redirect of {seen.url}")
        if seen.status >= 400 and seen.body:
            self.remember_tokens(seen.body, f"the error page {seen.status} {seen.url}")

    def on_app_context(self, sender, **_extra) -> None:
        directory = sender.config.get("SEARCH_INDEX_DIR")
        if directory:
            self.index_dirs.add(str(directory))

    # -- the end ---------------------------------------------------------------------------

    def finish(self) -> list[str]:
        for token, where in self.tokens.items():
            if token in self.cookies:
                self.problems.setdefault(f"a session cookie value in {where}")
        for directory in sorted(self.index_dirs):
            if Path(directory).is_dir():
                self.note(leak_rules.index_problems(Path(directory)))
        return list(self.problems)


_STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}


def _role() -> str | None:
    """The signed-in user's role, if the request loaded the user; never queries."""
    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    state = sa.inspect(user, raiseerr=False)
    role = state.dict.get("role") if state is not None else getattr(user, "role", None)
    return str(role) if role is not None else None


def _seen(response) -> leak_rules.Seen:
    body = None
    readable = not response.direct_passthrough and not response.is_streamed
    if readable and response.mimetype in leak_rules.TEXT_TYPES:
        body = response.get_data(as_text=True)
    return leak_rules.Seen(
        url=request.full_path.rstrip("?"),
        status=response.status_code,
        endpoint=request.endpoint,
        role=_role(),
        location=response.headers.get("Location", ""),
        set_cookies=tuple(response.headers.getlist("Set-Cookie")),
        mimetype=response.mimetype or "",
        body=body,
    )


_scan: LeakScan | None = None
_levels: dict[str, int] = {}


def pytest_sessionstart(session: pytest.Session) -> None:
    global _scan
    _scan = LeakScan(leak_rules.known_passwords(TESTS))
    logging.getLogger().addHandler(_scan)
    for name in WATCHED_LOGGERS:
        logger = logging.getLogger(name)
        _levels[name] = logger.level
        logger.setLevel(logging.DEBUG)
    request_finished.connect(_scan.on_response)
    appcontext_pushed.connect(_scan.on_app_context)


def pytest_runtest_logstart(nodeid: str, location) -> None:
    if _scan is not None:
        _scan.test = nodeid


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    global _scan
    scan, _scan = _scan, None
    if scan is None:
        return
    request_finished.disconnect(scan.on_response)
    appcontext_pushed.disconnect(scan.on_app_context)
    logging.getLogger().removeHandler(scan)
    for name, level in _levels.items():
        logging.getLogger(name).setLevel(level)
    scan.test = "(session end)"
    problems = scan.finish()
    if not problems:
        return
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"canary leak scan (R36): {len(problems)} leak(s)", *problems[:SHOWN]]
    if len(problems) > SHOWN:
        lines.append(f"... and {len(problems) - SHOWN} more")
    if reporter is not None:
        reporter.line("")
        reporter.write_sep("=", "canary leak scan failed", red=True)
        for line in lines:
            reporter.write_line(line)
    else:
        print("\n".join(lines))  # noqa: T201
