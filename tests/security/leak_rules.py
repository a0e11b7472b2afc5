"""Where canary markers, test passwords and session cookies must never show up (R36, R04, R35).

Pure functions over what a response, a log record or a file holds; each returns a list of
problems in words. ``canary_scan.py`` applies them to the whole test session and
``test_canary_leaks.py`` to a crawl of every page as every role.
"""

from __future__ import annotations

import base64
import functools
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tests.factories import PASSWORD
from tests.privacy.canary import PATTERN, marker_source

#: the classifications (column ``info["pii"]``) whose values must not leak
SENSITIVE = frozenset({"personal", "special", "secret"})
#: what an employer and an administrator never see, on any page (R04, R35)
NEVER_SHOWN = frozenset({"special", "secret"})

#: The personal values an employer may see, by page, and why (R04, R35). A newcomer chooses
#: which parts of their profile the employer hosting their placement sees
#: (``shares_with_employers``, see newcomers/profile_parts.SHAREABLE); the candidates page
#: shows those parts and nothing else. Contact details (e-mail, phone, address) are never
#: shown to employers, not even after approval: the municipality arranges the introduction.
EMPLOYER_MAY_SEE: dict[str, dict[tuple[str, str], str]] = {
    "placing.candidates": {
        ("user_account", "name"): "shared when the newcomer chose 'name'",
        ("newcomer_profile", "languages"): "shared when the newcomer chose 'languages'",
        ("newcomer_profile", "skills"): "shared when the newcomer chose 'skills'",
        ("newcomer_profile", "experience"): "shared when the newcomer chose 'experience'",
        ("newcomer_profile", "education_field"): "part of 'education', shared by choice",
        ("newcomer_profile", "work_goals"): "shared when the newcomer chose 'work_goals'",
        ("newcomer_profile", "interests"): "shared when the newcomer chose 'interests'",
        ("newcomer_profile", "motivation"): "shared when the newcomer chose 'motivation'",
        ("check_in", "host_view"): "the employer's own words about the check-in",
    },
}

TEXT_TYPES = frozenset({"text/html", "text/csv", "application/json", "text/plain"})
HTML_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
#: a value long enough to be a cookie: base64url, dots, bars (Flask and Flask-Login cookies)
LONG_TOKEN = re.compile(r"[A-Za-z0-9_\-.|]{24,}")
#: test files whose passwords must not leak either: NAME_PASSWORD = "..." at module level
PASSWORD_CONSTANT = re.compile(r'^[A-Z_]*PASSWORD\s*=\s*"([^"\n]{8,})"', re.MULTILINE)


@functools.cache
def classify(marker: str) -> tuple[str | None, str | None, str]:
    """(table, column, classification) of a marker, remembered."""
    return marker_source(marker.lower())


def sensitive_markers(text: str) -> list[tuple[str, str | None, str | None, str]]:
    """Each marker of a personal, special or secret value in the text, once."""
    found = []
    for marker in dict.fromkeys(m.group(0).lower() for m in PATTERN.finditer(text)):
        table, column, pii = classify(marker)
        if pii in SENSITIVE:
            found.append((marker, table, column, pii))
    return found


def known_passwords(root: Path) -> tuple[str, ...]:
    """The password of the factories and every PASSWORD constant of the test files."""
    found = {PASSWORD}
    for path in root.rglob("*.py"):
        found.update(PASSWORD_CONSTANT.findall(path.read_text(encoding="utf-8")))
    return tuple(sorted(found))


def secrets_in(text: str, where: str, passwords: Iterable[str]) -> list[str]:
    """Every sensitive marker and test password in a text that must hold none."""
    problems = [
        f"{pii} value {marker} in {where}" for marker, _t, _c, pii in sensitive_markers(text)
    ]
    problems += [f"a test password in {where}" for p in passwords if p in text]
    return problems


def session_payload(cookie_value: str) -> str:
    """What a Flask session cookie carries (signed, not encrypted), as text; '' if not one."""
    compressed = cookie_value.startswith(".")
    data = cookie_value.lstrip(".").split(".", 1)[0]
    try:
        raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
        return (zlib.decompress(raw) if compressed else raw).decode("utf-8", "replace")
    except (ValueError, zlib.error):
        return ""


def cookie_values(set_cookies: Iterable[str]) -> set[str]:
    """The values a response sets, long enough to be a session or remember-me cookie."""
    values = set()
    for header in set_cookies:
        value = header.split(";", 1)[0].partition("=")[2].strip('"')
        if len(value) >= 24:
            values.add(value)
    return values


@dataclass(frozen=True)
class Seen:
    """One response as the rules need it; ``body`` is None for files and streams."""

    url: str
    status: int
    endpoint: str | None
    role: str | None
    location: str
    set_cookies: tuple[str, ...]
    mimetype: str
    body: str | None


def employer_may_see(endpoint: str | None, table: str | None, column: str | None) -> bool:
    return (table, column) in EMPLOYER_MAY_SEE.get(endpoint or "", {})


def response_problems(seen: Seen, passwords: Iterable[str]) -> list[str]:
    """Everything sensitive in a response where it does not belong (R36, R04, R35)."""
    at = f"{seen.status} {seen.url}"
    problems = secrets_in(seen.url, f"the URL {at}", passwords)
    problems += secrets_in(seen.location, f"the redirect of {at}", passwords)
    for header in seen.set_cookies:
        value = header.split(";", 1)[0]
        shown = f"{value} {session_payload(value.partition('=')[2])}"
        problems += secrets_in(shown, f"a cookie set by {at}", passwords)
    body = seen.body
    if body is None:
        return problems
    if "<!--" in body:
        for comment in HTML_COMMENT.findall(body):
            problems += secrets_in(comment, f"an HTML comment of {at}", passwords)
    if seen.status >= 400:
        problems += secrets_in(body, f"the error page {at}", passwords)
    elif seen.role in ("employer", "admin"):
        for marker, table, column, pii in sensitive_markers(body):
            if pii in NEVER_SHOWN:
                problems.append(f"{pii} value {marker} shown to {seen.role}: {at}")
            elif seen.role == "employer" and not employer_may_see(seen.endpoint, table, column):
                problems.append(f"{pii} value {marker} shown to employer: {at}")
    return problems


def markers_in_files(directory: Path) -> dict[str, Path]:
    """Every marker in the files under a directory (e.g. a search index), with a file."""
    pattern = re.compile(PATTERN.pattern.encode(), re.IGNORECASE)
    found: dict[str, Path] = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            for match in pattern.finditer(path.read_bytes()):
                found.setdefault(match.group(0).decode().lower(), path)
    return found


def index_problems(directory: Path) -> list[str]:
    """Sensitive markers in an index directory's files (R30, R36: never indexed)."""
    problems = []
    for marker, path in markers_in_files(directory).items():
        _table, _column, pii = classify(marker)
        if pii in SENSITIVE:
            problems.append(f"{pii} value {marker} in the search index file {path}")
    return problems
