"""No crash and no write on any input to any form (security.md R28).

For every POST endpoint of the matrix, Hypothesis takes the valid data of ``test_csrf`` and
breaks one to three fields: arbitrary text with lone surrogates, NUL, right-to-left marks, long
and very long strings, missing and repeated keys, wrong types, unknown keys, other encodings.
Nothing may answer 5xx (under TESTING an exception propagates: that is a failure too), and an
input the app refuses (a 4xx, or the form shown again with errors) must leave every table as it
was. A second pass with PROPAGATE_EXCEPTIONS off checks the status users would get.

``FUZZ_EXAMPLES`` (default 50, as security.md sets) is the examples per form; the second pass
runs a fifth of them.
"""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from marketplace.organisations.models import Organisation
from tests.conftest import make_test_app
from tests.security.authz_matrix import MATRIX
from tests.security.fuzz_support import (
    POST_ENDPOINTS,
    changed_tables,
    one_example,
    post,
    prepared,
    shows_refusal,
)
from tests.security.test_csrf import VALID_POSTS, acting_role

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))

# --- what goes into a field --------------------------------------------------------------------

#: characters that break naive code: NUL and other controls, bidi marks, lone surrogates, BOM
TRICKY = "\x00\x01\x08\x0b\x1b\x7f\u200b\u200e\u200f\u202a\u202e\u2066\u2069\ufeff\ud800\udfff"
SPECIAL_VALUES = (
    "",
    " ",
    "\x00",
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "-9223372036854775809",
    "99999999999999999999999999",
    "0x1F",
    "true",
    "null",
    "[]",
    '{"role": "admin"}',
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "31-12-2026",
    "' OR '1'='1",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://evil.example")',
    "../../etc/passwd",
    "%00",
    "admin",
    "approved",
    "@example.nl",
    "a@b",
    "\u202eFDP.exe",
)
#: a few very long values: below the form size limit, at it, and well past it (1 MB)
HUGE_VALUES = ("x" * 100_000, "\u0627" * 200_000, "A" * 1_000_000)
#: keys a form should ignore, among them columns a crafted request might try to set
EXTRA_KEYS = ("role", "status", "id", "user_id", "organisation_id", "active", "__proto__", "")

any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)
tricky_text = st.text(st.sampled_from(TRICKY + "aé ,;"), max_size=30)
wrong_types = st.one_of(
    st.integers().map(str), st.floats().map(str), st.dates().map(str), st.booleans().map(str)
)


@st.composite
def hostile(draw, valid: str = "") -> str:
    """A value for one field: random, special, tricky, of another type, or wrapped valid."""
    kind = draw(st.sampled_from(("any", "special", "tricky", "type", "wrapped", "huge")))
    if kind == "any":
        return draw(any_text)
    if kind == "special":
        return draw(st.sampled_from(SPECIAL_VALUES))
    if kind == "tricky":
        return draw(tricky_text)
    if kind == "type":
        return draw(wrong_types)
    if kind == "wrapped":
        return draw(tricky_text) + valid + draw(tricky_text)
    return draw(st.sampled_from(HUGE_VALUES))


@st.composite
def broken_form(draw, target) -> tuple[list[tuple[str, str]], str]:
    """The valid pairs with one to three fields broken, and how they are encoded."""
    pairs = list(target.valid)
    names = list(target.names) or list(EXTRA_KEYS)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(names))
        current = next((value for key, value in pairs if key == name), "")
        action = draw(st.sampled_from(("replace", "remove", "repeat", "extra", "offered")))
        if action in ("replace", "remove"):
            pairs = [(key, value) for key, value in pairs if key != name]
        if action == "replace":
            pairs.append((name, draw(hostile(current))))
        elif action == "repeat":
            at = draw(st.integers(0, len(pairs)))
            pairs.insert(at, (name, draw(st.one_of(st.just(current), hostile(current)))))
        elif action == "extra":
            key = draw(st.one_of(st.sampled_from(EXTRA_KEYS), any_text))
            pairs.append((key, draw(hostile())))
        elif action == "offered" and target.options.get(name):
            # another value the form itself offers: reaches the rules behind the validators
            pairs = [(key, value) for key, value in pairs if key != name]
            pairs.append((name, draw(st.sampled_from(target.options[name]))))
    encoding = draw(st.sampled_from(("urlencoded",) * 8 + ("multipart", "json")))
    if encoding != "urlencoded":
        pairs = [(_encodable(key), _encodable(value)) for key, value in pairs]
    return pairs, encoding


def _encodable(text: str) -> str:
    """What these encoders can send: no lone surrogates, and under the test client's 500 kB
    (past it Werkzeug spools the body to a temporary file it never closes)."""
    return text.encode("utf-8", "replace").decode("utf-8")[:30_000]


# --- the tests ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_app(migrated_app, tmp_path_factory):
    """A testing app on the migrated database: exceptions propagate."""
    return make_test_app(migrated_app.config["DATABASE_URL"], tmp_path_factory.mktemp("fuzz"))


@pytest.fixture(scope="module")
def quiet_app(migrated_app, tmp_path_factory):
    """The same, but an unhandled error becomes the 500 page users would see."""
    tmp = tmp_path_factory.mktemp("fuzz-quiet")
    return make_test_app(migrated_app.config["DATABASE_URL"], tmp, PROPAGATE_EXCEPTIONS=False)


def check_example(target, pairs, encoding) -> None:
    """One broken form: no 5xx, no unhandled exception, and a refusal writes nothing."""
    with one_example(target):
        try:
            response = post(target, pairs, encoding)
            response.close()
        except Exception as exc:  # TESTING propagates what a user would get as a 500
            raise AssertionError(f"POST {target.url} raised {type(exc).__name__}: {exc}") from exc
        status = response.status_code
        assert status < 500, f"POST {target.url} answered {status}"
        if shows_refusal(response):
            changed = changed_tables(target)
            assert changed == [], f"refused with {status}, yet these tables changed: {changed}"


def fuzz(app, endpoint: str, examples: int) -> None:
    with prepared(app, endpoint) as target:

        @settings(max_examples=examples, deadline=None, database=None)
        @given(form=broken_form(target))
        def run(form):
            check_example(target, *form)

        run()


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_no_form_input_crashes_or_writes_when_refused(fuzz_app, endpoint):
    fuzz(fuzz_app, endpoint, EXAMPLES)


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_no_form_input_gives_a_server_error_page(quiet_app, endpoint):
    fuzz(quiet_app, endpoint, max(3, EXAMPLES // 5))


#: inputs that once gave a 500, found by this fuzzer: (endpoint, fields changed in the valid data)
CRASHED_ONCE = [
    ("feedback.service_feedback", {"meaningful": " "}),  # int(" ") after Optional()
    ("intake.record", {"limits": ""}),  # PracticalLimit(""): Optional() hid the bad choice
    ("intake.record", {"limits": ["", "diagnosis"]}),  # the same, with an unknown choice
]


@pytest.mark.parametrize(("endpoint", "changes"), CRASHED_ONCE, ids=lambda v: str(v))
def test_inputs_that_once_crashed(fuzz_app, endpoint, changes):
    with prepared(fuzz_app, endpoint) as target:
        pairs = [(name, value) for name, value in target.valid if name not in changes]
        for name, value in changes.items():
            pairs += [(name, v) for v in (value if isinstance(value, list) else [value])]
        check_example(target, pairs, "urlencoded")


def test_every_post_endpoint_is_fuzzed():
    """A new form in the matrix is fuzzed as soon as it has valid data and a role that posts."""
    matrix_posts = {endpoint for endpoint, method in MATRIX if method == "POST"}
    assert set(POST_ENDPOINTS) == matrix_posts
    assert matrix_posts - set(VALID_POSTS) == set(), "give these valid data in VALID_POSTS"
    for endpoint in matrix_posts:
        access = MATRIX[(endpoint, "POST")]
        assert access.public or acting_role(access) is not None


def test_the_check_sees_a_write(fuzz_app):
    """The unchanged-database check has teeth: a row written in an example is seen."""
    with prepared(fuzz_app, "places.new") as target, one_example(target):
        assert changed_tables(target) == []
        target.connection.execute(
            sa.insert(Organisation).values(name="Stiekem", kind="employer", city="Utrecht")
        )
        assert changed_tables(target) == ["organisation"]
