"""The export and the erasure are complete by construction: a new table or column fails here
until someone decides whether it is exported, and whether erasure removes or keeps it."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import marketplace.models  # noqa: F401  (every table)
from marketplace.db import Base
from marketplace.privacy.erasure import ERASED, KEPT, neutral_value
from marketplace.privacy.export import (
    NOT_EXPORTED,
    OMITTED_COLUMNS,
    PARENT_TABLES,
    exported_tables,
)
from tests.privacy.canary import make_canary

ROOT = Path(__file__).resolve().parents[2]

TABLES = Base.metadata.tables


def tables_about_a_person() -> set[str]:
    """Accounts and profiles, and every table linked to them or to a table exported with them."""
    found = {"user_account", "newcomer_profile"}
    grew = True
    while grew:
        grew = False
        spreading = found - set(NOT_EXPORTED)
        for table in TABLES.values():
            targets = {key.column.table.name for key in table.foreign_keys}
            if table.name not in found and targets & spreading:
                found.add(table.name)
                grew = True
    return found


def test_every_table_about_a_person_is_exported_or_left_out_with_a_reason():
    undecided = tables_about_a_person() - exported_tables() - set(NOT_EXPORTED)
    assert undecided == set(), "add these tables to the export or to NOT_EXPORTED"
    assert {"placement", "plan", "outcome", "check_in", "follow_up"} <= exported_tables()


def test_the_lists_name_real_tables_and_columns_once():
    assert set(NOT_EXPORTED) <= set(TABLES), "NOT_EXPORTED names a table that is gone"
    assert exported_tables() <= set(TABLES)
    assert exported_tables().isdisjoint(NOT_EXPORTED)
    assert all(str(reason) for reason in NOT_EXPORTED.values())
    for table, column in OMITTED_COLUMNS:
        assert column in TABLES[table].c, f"OMITTED_COLUMNS names {table}.{column}, gone"


def _personal_columns() -> set[str]:
    return {
        f"{table}.{column.name}"
        for table in exported_tables()
        for column in TABLES[table].columns
        if column.info["pii"] in ("personal", "special")
    }


def _covered(parts) -> list[str]:
    """The columns the parts cover; a whole table covers all its personal columns."""
    columns = []
    for part in parts:
        for target in part.covers:
            table, _dot, column = target.partition(".")
            assert table in exported_tables(), f"{target}: not a table about the person"
            if column:
                assert column in TABLES[table].c, f"{target} does not exist"
                columns.append(target)
            else:
                columns += [c for c in _personal_columns() if c.startswith(f"{table}.")]
    return columns


def test_erasure_decides_for_every_personal_column_exactly_once():
    """Each personal value is either erased or kept with a reason, never both, never neither."""
    erased, kept = _covered(ERASED), _covered(KEPT)
    decided = [c for c in erased + kept if c in _personal_columns()]
    assert sorted(set(_personal_columns()) - set(decided)) == [], "not in ERASED or KEPT"
    assert sorted({c for c in decided if decided.count(c) > 1}) == [], "in ERASED and KEPT"
    assert all(str(part.why) for part in KEPT), "everything kept needs a reason"


def test_every_erased_column_has_a_value_to_become():
    row = SimpleNamespace(id=7)
    for part in ERASED:
        for target in part.covers:
            table, _dot, column = target.partition(".")
            if column:
                value = neutral_value(TABLES[table].c[column], row)
                assert value is None or not TABLES[table].c[column].nullable


def _page_keys() -> set[str]:
    """The keys the export gives each column, as the page shows them."""
    keys = set()
    for table in exported_tables():
        for column in TABLES[table].columns:
            if column.info["pii"] == "secret" or (table, column.name) in OMITTED_COLUMNS:
                continue
            target = next(iter(column.foreign_keys), None)
            if target is None:
                keys.add(column.name)
            elif target.column.table.name not in PARENT_TABLES:
                keys.add(column.name.removesuffix("_id"))
    return keys


def test_the_page_names_every_field_in_words(db_session, client, auth):
    canary = make_canary(db_session, "alpha")
    auth.login(canary.user.email)
    page = client.get("/me/data").get_data(as_text=True)
    terms = set(re.findall(r"<dt>\s*([^<]*?)\s*</dt>", page))
    assert terms & _page_keys() == set(), "add words for these fields to privacy/_words.html"
    assert {"Postcode", "Step on the ladder", "In your own words", "Who"} <= terms


def _audit_actions() -> set[str]:
    """Every action name written to the audit log as a plain string in the code."""
    found = set()
    for path in (ROOT / "marketplace").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            called = getattr(node, "func", None)
            name = getattr(called, "id", getattr(called, "attr", None))
            arguments = node.args if isinstance(node, ast.Call) else []
            named = len(arguments) > 1 and isinstance(arguments[1], ast.Constant)
            if name == "record_event" and named:
                found.add(arguments[1].value)
    return found


def test_every_audit_action_has_words_on_the_data_page():
    words = (ROOT / "templates" / "privacy" / "_words.html").read_text(encoding="utf-8")
    actions = words[words.index("{% set actions") :]
    missing = {action for action in _audit_actions() if f'"{action}":' not in actions}
    assert len(_audit_actions()) > 20
    assert not missing, f"the data page shows these log actions as raw codes: {sorted(missing)}"
