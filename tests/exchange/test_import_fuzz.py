"""`flask data import` on any file: a clean refusal or a clean import, never a crash (R28, R44).

Hypothesis breaks the sample document at the level of values (text with NUL, lone surrogates,
bidi marks, formula cells such as ``=cmd|' /C calc'!A0``, 1 MB strings, huge numbers, wrong
types, unknown or missing keys) and of bytes (a byte order mark, CRLF line ends, a key given
twice, invalid UTF-8, a cut-off file, the same records as a ``;`` or ``,`` separated CSV file,
random bytes). Each file is imported into a database that already holds the sample:

- the command ends with an import summary or with the list of problems, never with a traceback;
- a refused file leaves every table the import writes exactly as it was;
- an accepted file, imported a second time, changes nothing (idempotent by ref).

Already covered elsewhere: the sample imported twice (test_import.py), a failure injected at
record k (test_import.py), formula escaping in CSV exports (tests/dashboards/test_exports.py).
``FUZZ_EXAMPLES`` (default 25) sets the number of files; this test runs four times that many.
"""

from __future__ import annotations

import csv
import io
import json
import os

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.exchange.sample import TOUCHED_TABLES, checksum, sample_document, write

EXAMPLES = 4 * int(os.environ.get("FUZZ_EXAMPLES", "25"))
ALL_TABLES = (*TOUCHED_TABLES, "import_run")

FORMULAS = ("=cmd|' /C calc'!A0", "+31 6 1234", "-2+3", "@SUM(A1:A9)", '=HYPERLINK("x")')
#: characters a text may hold (bidi marks, BOM, quotes, separators) and lone surrogates
tricky = st.text(
    st.sampled_from("\u200f\u202e\u2066\ufeff\ud800\udfff\"';,\r\n\t=+-@a"), max_size=6
)
json_text = st.one_of(
    st.text(st.characters(codec=None, exclude_categories=()), max_size=40),
    tricky,
    st.sampled_from(("\x00", "a\x00b", "\x1b[31m", "\x7f")),
    st.sampled_from(FORMULAS),
    st.sampled_from(("", " ", "x" * 1_000_000, "\u0627" * 100_000)),
)
json_value = st.one_of(
    json_text,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from((10**30, -1, 0, 1e308, -0.0, 2.5)),
    st.booleans(),
    st.none(),
    st.lists(json_text, max_size=3),
    st.dictionaries(json_text, json_text, max_size=2),
)


@st.composite
def broken_document(draw) -> dict:
    """The sample with one to three values, keys or records broken."""
    document = sample_document()
    for _ in range(draw(st.integers(1, 3))):
        section = draw(st.sampled_from(("organisations", "places", "newcomers")))
        record = draw(st.sampled_from(document[section]))
        key = draw(st.sampled_from(sorted(record)))
        value = record[key]
        actions = ("near",) * 4 + ("value", "remove", "unknown", "new ref", "twice")
        action = draw(st.sampled_from(actions))
        if action == "near" and isinstance(value, str):  # valid text with tricky characters
            record[key] = draw(tricky) + value + draw(tricky)
        elif action == "near" and isinstance(value, int | float):  # out of range, or too big
            record[key] = draw(st.one_of(st.integers(-(2**70), 2**70), st.floats()))
        elif action in ("value", "near"):
            record[key] = draw(json_value)
        elif action == "remove":
            del record[key]
        elif action == "unknown":
            record[draw(json_text)] = draw(json_value)
        elif action == "new ref":
            record["ref"] = draw(st.from_regex(r"[A-Za-z0-9._-]{1,64}", fullmatch=True))
        else:
            document[section].append(dict(record))
    return document


def as_csv(document: dict, delimiter: str) -> str:
    """The places as a spreadsheet would save them: what an operator might feed by mistake."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=sorted(document["places"][0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows({k: p.get(k) for k in writer.fieldnames} for p in document["places"])
    return out.getvalue()


@st.composite
def import_file(draw) -> bytes:
    """A broken document written out in one of the ways a file reaches an operator."""
    document = draw(broken_document())
    form = draw(st.sampled_from(("json",) * 6 + ("crlf", "crlf", "twice", "csv", "cut", "bytes")))
    if form == "bytes":
        return draw(st.binary(max_size=300))
    if form == "csv":
        text = as_csv(document, draw(st.sampled_from((";", ","))))
    else:
        # escaped, a lone surrogate stays in the text; raw, it makes the bytes invalid UTF-8
        escaped = draw(st.sampled_from((True, True, True, False)))
        text = json.dumps(document, ensure_ascii=escaped, indent=2)
    if form == "crlf":
        text = text.replace("\n", "\r\n")
    elif form == "twice":  # a key given twice in one object
        text = text.replace('"ref": ', '"ref": "dup", "ref": ', 1)
    raw = text.encode("utf-8", "surrogatepass")  # a lone surrogate becomes invalid UTF-8
    if form == "cut":
        raw = raw[: draw(st.integers(0, len(raw)))]
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + raw


def sample_with(section: str, key: str, value) -> bytes:
    """The sample with one value changed, as an ASCII JSON file (a surrogate stays escaped)."""
    document = sample_document()
    document[section][0][key] = value
    return json.dumps(document).encode()


#: files that once crashed the import; Hypothesis runs them first, every time
CRASHED_ONCE = (
    sample_with("organisations", "city", "Utrecht\ud800"),  # UnicodeEncodeError on write
    sample_with("places", "spots", 10**30),  # OverflowError: too large for an INTEGER
    sample_with("places", "duration_weeks", 2**63),
)


def imported(runner, path):
    """Run the command; an exception other than the refusal's exit is a crash."""
    result = runner.invoke(args=["data", "import", str(path)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"import crashed: {result.exception!r}") from result.exception
    return result


def test_any_file_is_imported_whole_or_refused_whole(app, db_session, runner, tmp_path):
    assert imported(runner, write(tmp_path, sample_document())).exit_code == 0
    connection = db_session.connection()
    db_session.commit()  # the sample stays: fuzzed files update it as well as add to it

    @settings(max_examples=EXAMPLES, deadline=None, database=None)
    @given(raw=import_file())
    @example(raw=CRASHED_ONCE[0])
    @example(raw=CRASHED_ONCE[1])
    @example(raw=CRASHED_ONCE[2])
    def run(raw):
        path = write(tmp_path, raw, "fuzzed.json")
        savepoint = connection.begin_nested()
        try:
            # a context of its own: the command's session is not the test's, and its
            # rollback ends inside this example's savepoint
            with app.app_context():
                check_import(runner, path, connection)
        finally:
            savepoint.rollback()

    run()


def check_import(runner, path, connection) -> None:
    """Refused: nothing written. Accepted: a second import of the same file changes nothing."""
    before = checksum(connection, ALL_TABLES)
    result = imported(runner, path)
    if result.exit_code != 0:
        assert "nothing was imported" in result.stderr
        assert checksum(connection, ALL_TABLES) == before, "a refused file wrote rows"
        return
    once = checksum(connection)
    assert imported(runner, path).exit_code == 0, "accepted once, refused the second time"
    assert checksum(connection) == once, "importing the same file twice changed rows"
