"""Escaping switched off in Python code: ``Markup`` and ``|safe`` (security.md R22).

The template scan (test_templates_csp_clean.py) covers ``templates/``; this one parses every
``marketplace/**/*.py`` with ``ast``. ``Markup`` may appear only in the reviewed files below,
and there only around one string literal (a fixed piece of HTML whose values go in through
``Markup.format``, which escapes them). ``Markup`` around a built string is never allowed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.security.test_templates_csp_clean import TEMPLATE_RULES

PACKAGE = Path(__file__).resolve().parents[2] / "marketplace"
SOURCES = sorted(PACKAGE.rglob("*.py"))
BUILT = "Markup() of a built string"
LITERAL = "Markup() of a literal"
IMPORT = "imports Markup"

#: reviewed uses: file (relative to marketplace/) -> (findings allowed, why they are safe)
ALLOWLIST: dict[str, tuple[frozenset[str], str]] = {
    "charts.py": (
        frozenset({IMPORT, LITERAL}),
        "server-drawn SVG: every Markup() wraps a constant SVG fragment, every value (titles, "
        "labels, numbers, ids) goes in through Markup.format, which escapes it, and the parts "
        "are joined with Markup('').join, which escapes anything that is not Markup",
    ),
    "dashboards/tables.py": (
        frozenset({IMPORT}),
        "type hints only: chart_of passes charts.bar_chart's result on, never makes Markup",
    ),
}


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def scan_python(source: str) -> set[str]:
    """What a module does that could switch HTML escaping off."""
    findings: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and any(a.name == "Markup" for a in node.names):
            findings.add(IMPORT)
        elif isinstance(node, ast.Call) and _name(node.func) == "Markup":
            literal = [isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args]
            findings.add(LITERAL if literal == [True] and not node.keywords else BUILT)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            for name in ("|safe filter", "autoescape false"):  # Jinja source kept in Python
                if TEMPLATE_RULES[name].search(node.value):
                    findings.add(name)
    return findings


@pytest.mark.parametrize(
    ("sample", "finding"),
    [
        ("from markupsafe import Markup", IMPORT),
        ("from flask import Markup as M", IMPORT),
        ("Markup(f'<b>{name}</b>')", BUILT),
        ("Markup('<b>' + name + '</b>')", BUILT),
        ("markupsafe.Markup(name)", BUILT),
        ("Markup('<b>%s</b>' % name)", BUILT),
        ("Markup('<b>{}</b>').format(name)", LITERAL),
        ("render_template_string('{{ text|safe }}')", "|safe filter"),
        ("TEMPLATE = '{% autoescape false %}{{ x }}{% endautoescape %}'", "autoescape false"),
    ],
)
def test_the_scan_finds_each_way_to_switch_escaping_off(sample, finding):
    assert finding in scan_python(sample)


def test_the_scan_accepts_code_that_escapes():
    assert scan_python("from markupsafe import escape\nescape(name)\n'a | b is safe'") == set()


def test_there_is_code_to_scan():
    assert len(SOURCES) > 50 and PACKAGE / "charts.py" in SOURCES


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_markup_appears_only_where_reviewed(path):
    name = str(path.relative_to(PACKAGE))
    allowed = ALLOWLIST.get(name, (frozenset(), ""))[0]
    assert scan_python(path.read_text(encoding="utf-8")) - allowed == set()


def test_the_allowlist_is_current_and_never_allows_built_markup():
    for name, (allowed, reason) in ALLOWLIST.items():
        assert BUILT not in allowed and reason
        assert scan_python((PACKAGE / name).read_text(encoding="utf-8")) == allowed, name
