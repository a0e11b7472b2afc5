"""Every POST form endpoint, prepared once and posted to many times (security.md R05, R28).

The endpoints come from the matrix (``authz_matrix.MATRIX``), the valid data from
``test_csrf.VALID_POSTS`` and the objects to post against from ``test_routes.make_sample``, so a
new form is fuzzed without a line here. ``prepared`` signs in as a role that may post, makes
the URL's objects and reads the form's field names from its page, inside one transaction;
``one_example`` wraps each post in a SAVEPOINT that is rolled back, so every example starts from
the same database without building it again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote_plus, urlsplit

import sqlalchemy as sa

from marketplace import db
from marketplace import models as _all_models  # noqa: F401  (every table in Base.metadata)
from marketplace.db import Base
from tests.conftest import AuthActions, rolled_back
from tests.security.authz_matrix import MATRIX
from tests.security.test_csrf import FORM_PAGES, VALID_POSTS, acting_role
from tests.security.test_routes import (
    BOOKKEEPING_TABLES,
    VOLATILE_COLUMNS,
    cell_url,
    sign_in,
)

#: every endpoint that takes a POST, as the matrix lists them
POST_ENDPOINTS = sorted({endpoint for endpoint, method in MATRIX if method == "POST"})

#: what a refused sign-in or password check rightly records (R12 counts failed attempts)
THROTTLE_TABLES = {"login_attempt"}
THROTTLE_COLUMNS = {("user_account", "failed_logins")}

#: markup of a form shown again with its errors (templates/_macros/forms.html)
ERROR_MARKERS = ("error-summary", "utrecht-form-field-error-message")


@dataclass
class Target:
    """One POST endpoint, ready: signed in, its objects made, its valid data and fields known."""

    app: object
    endpoint: str
    url: str
    valid: list[tuple[str, str]]
    status: int
    connection: sa.Connection
    cookie: str | None
    fields: tuple[str, ...] = ()
    options: dict[str, tuple[str, ...]] = field(default_factory=dict)
    baseline: dict[str, str] = field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        """Every field name the fuzzer knows for this form: the page's and the valid data's."""
        return tuple(dict.fromkeys([*self.fields, *(name for name, _ in self.valid)]))


@contextmanager
def prepared(app, endpoint: str) -> Iterator[Target]:
    """The endpoint signed in and made real, in a transaction rolled back at the end."""
    with rolled_back(app), app.app_context():
        dbs = db._get_session()
        access = MATRIX[(endpoint, "POST")]
        client = app.test_client()
        user = sign_in(AuthActions(client), acting_role(access))
        url = cell_url(app, dbs, endpoint, "POST", access, user)
        make_data, status = VALID_POSTS[endpoint]
        valid = [(name, str(value)) for name, value in make_data().items()]
        dbs.commit()  # into the outer transaction: every example starts from here
        connection = dbs.connection()
        fields, options = form_fields(client, endpoint, url)
        cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
        target = Target(app, endpoint, url, valid, status, connection, cookie and cookie.value)
        target.fields, target.options = fields, options
        target.baseline = table_digests(connection)
        yield target


@contextmanager
def one_example(target: Target) -> Iterator[None]:
    """Whatever the example writes is rolled back (a SAVEPOINT around the request's own)."""
    savepoint = target.connection.begin_nested()
    try:
        yield
    finally:
        savepoint.rollback()


def client_for(target: Target):
    """A fresh client with the signed-in session cookie (an example may log out or flash)."""
    client = target.app.test_client()
    if target.cookie is not None:
        client.set_cookie(target.app.config["SESSION_COOKIE_NAME"], target.cookie)
    return client


def post(target: Target, pairs: list[tuple[str, str]], encoding: str = "urlencoded"):
    """POST the pairs as a browser would (urlencoded), as multipart, or as a JSON body."""
    client = client_for(target)
    if encoding == "multipart":
        from werkzeug.datastructures import MultiDict

        return client.post(target.url, data=MultiDict(pairs), content_type="multipart/form-data")
    if encoding == "json":
        return client.post(target.url, json=dict(pairs))
    return client.post(
        target.url, data=urlencode(pairs), content_type="application/x-www-form-urlencoded"
    )


def urlencode(pairs: list[tuple[str, object]]) -> bytes:
    """Form data as bytes: keys in order, repeated keys kept, lone surrogates sent as their
    (invalid) UTF-8 bytes, as a broken client would."""
    return "&".join(f"{_quote(name)}={_quote(value)}" for name, value in pairs).encode("ascii")


def _quote(value: object) -> str:
    return quote_plus(str(value).encode("utf-8", "surrogatepass"))


def shows_refusal(response) -> bool:
    """A 4xx, or the form shown again with its errors."""
    if 400 <= response.status_code < 500:
        return True
    return response.status_code == 200 and any(
        marker in response.get_data(as_text=True) for marker in ERROR_MARKERS
    )


# --- the state of the database -------------------------------------------------------------


def table_rows(
    connection: sa.Connection, shown: Callable[[sa.Column, object], object] | None = None
) -> dict[str, list[tuple]]:
    """Every row of every table (sorted), without bookkeeping and volatile columns; ``shown``
    may replace a value by what matters of it (such as "a time during the request")."""
    skipped = BOOKKEEPING_TABLES | THROTTLE_TABLES
    left_out = VOLATILE_COLUMNS | THROTTLE_COLUMNS
    rows = {}
    for table in Base.metadata.sorted_tables:
        if table.name in skipped:
            continue
        columns = [c for c in table.columns if (table.name, c.name) not in left_out]
        result = connection.execute(sa.select(*columns))
        if shown is not None:
            result = (
                tuple(shown(c, v) for c, v in zip(columns, row, strict=True)) for row in result
            )
        rows[table.name] = sorted((tuple(row) for row in result), key=repr)
    return rows


def table_digests(connection: sa.Connection) -> dict[str, str]:
    """A row count and a hash per table: equal digests, an unchanged database."""
    return {
        name: f"{len(rows)}:{hashlib.sha256(repr(rows).encode()).hexdigest()}"
        for name, rows in table_rows(connection).items()
    }


def changed_tables(target: Target) -> list[str]:
    """The tables whose rows differ from the prepared state."""
    now = table_digests(target.connection)
    return sorted(name for name in now if now[name] != target.baseline.get(name))


# --- the form's fields, read from the page that shows it --------------------------------------


class _FormFields(HTMLParser):
    """Field names and offered values of the forms on a page, by the path each posts to."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, dict[str, list[str]]] = {}
        self._current: dict[str, list[str]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._current = self.forms.setdefault(urlsplit(a.get("action") or "").path, {})
        elif self._current is None:
            return
        elif tag in ("input", "textarea", "select", "button") and a.get("name"):
            values = self._current.setdefault(a["name"], [])
            if tag == "select":
                self._select = a["name"]
            elif a.get("value") is not None and a.get("type") != "hidden":
                values.append(a["value"])
        elif tag == "option" and self._select and a.get("value") is not None:
            self._current[self._select].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def form_page(endpoint: str, url: str) -> str:
    page = FORM_PAGES.get(endpoint, url)
    return page(url) if callable(page) else page


def form_fields(client, endpoint: str, url: str) -> tuple[tuple[str, ...], dict]:
    """The names and offered values of the form that posts to ``url``, read from its page."""
    page = form_page(endpoint, url)
    response = client.get(page)
    if response.status_code != 200:
        return (), {}
    parser = _FormFields()
    parser.feed(response.get_data(as_text=True))
    path = urlsplit(url).path
    found = parser.forms.get(path) or (parser.forms.get("", {}) if page == url else {})
    found = {name: values for name, values in found.items() if name != "csrf_token"}
    return tuple(found), {name: tuple(values) for name, values in found.items() if values}
