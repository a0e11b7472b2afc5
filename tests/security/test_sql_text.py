"""No SQL text built from strings (security.md R29).

Raw SQL reaches the database through ``text(...)`` (and ``exec_driver_sql(...)``). Its SQL must
be one literal with bound parameters (``:name``), never built with an f-string, ``%``,
``.format`` or ``+``. Every ``marketplace/**/*.py`` is parsed with ``ast``, so comments and
strings that merely mention ``text(`` do not count, and line breaks do not hide a call.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "marketplace"
SOURCES = sorted(PACKAGE.rglob("*.py"))
RAW_SQL_CALLS = {"text", "exec_driver_sql"}
SQL_KEYWORDS = {"text", "statement"}


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _is_literal(node: ast.expr) -> bool:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_literal(node.left) and _is_literal(node.right)
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_built(node: ast.expr) -> bool:
    """True when the expression puts a string together instead of being one literal."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(part, ast.FormattedValue) for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return not _is_literal(node)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format"
    return False


def built_sql(source: str, filename: str = "<sample>") -> list[str]:
    """``file:line`` of every raw-SQL call whose SQL is built from strings."""
    findings = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call) or _called_name(node) not in RAW_SQL_CALLS:
            continue
        arguments = node.args[:1] + [k.value for k in node.keywords if k.arg in SQL_KEYWORDS]
        if any(_is_built(argument) for argument in arguments):
            findings.append(f"{filename}:{node.lineno}")
    return findings


# --- the check has teeth --------------------------------------------------------------------


@pytest.mark.parametrize(
    "sample",
    [
        "sa.text(f\"SELECT * FROM place WHERE title = '{title}'\")",
        'text("SELECT * FROM place WHERE id = %s" % place_id)',
        'text("SELECT * FROM place WHERE id = %(id)s" % {"id": place_id})',
        'sqlalchemy.text("SELECT * FROM {} WHERE id = 1".format(table))',
        'sa.text("SELECT * FROM place WHERE title = \'" + title + "\'")',
        'sa.text("SELECT 1 " + ("ORDER BY " + column))',
        'sa.text(text=f"DELETE FROM {table}")',
        'conn.exec_driver_sql(f"SET statement_timeout = {ms}")',
        (
            "dbs.execute(\n    sa.text(\n"
            '        "SELECT * FROM place WHERE id = "\n        + str(place_id)\n    )\n)'
        ),
    ],
)
def test_the_check_finds_sql_built_from_strings(sample):
    assert len(built_sql(sample)) == 1


@pytest.mark.parametrize(
    "sample",
    [
        'sa.text("SELECT * FROM place WHERE id = :id").bindparams(id=place_id)',
        'sa.text("SELECT pg_advisory_xact_lock(:key)")',
        "sa.text(\"stage = 'after'\")",
        'sa.text("SELECT 1 " "FROM place")',  # adjacent literals are one literal
        'sa.text("SELECT 1 " + "FROM place")',  # two literals, nothing from outside
        'sa.text(f"SELECT 1")',  # an f-string without a value in it
        "fields.TEXT(analyzer=analyzer)",  # not SQL
        "text(stored=True, field_boost=2.0)",  # a local helper, no SQL argument
        "# sa.text(f'{x}') in a comment",
        "message = 'use text(f\"...\") never'",
    ],
)
def test_the_check_accepts_literal_sql_with_bound_parameters(sample):
    assert built_sql(sample) == []


# --- the code -------------------------------------------------------------------------------


def test_there_is_code_to_check():
    assert len(SOURCES) > 50
    assert PACKAGE / "audit" / "services.py" in SOURCES  # holds a sa.text(...) call


def test_no_sql_text_is_built_from_strings_anywhere_in_the_app():
    findings = [
        finding
        for path in SOURCES
        for finding in built_sql(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))
    ]
    assert findings == [], "use one literal with :name parameters and bind the values"
