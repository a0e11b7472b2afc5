"""The privacy officer's data classification in docs/operations.md is generated from the models
and must match them: a new table or column, or a changed class, fails here until the guide is
rewritten."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

import marketplace.models  # noqa: F401  (every table)
from marketplace.db import Base
from marketplace.privacy.classification import (
    END,
    START,
    TABLES,
    TableUse,
    classification_markdown,
)
from marketplace.privacy.retention import RULES

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
REWRITE = "flask privacy classification --write docs/operations.md"


def _between_markers(text: str) -> str:
    return text.split(START, 1)[1].split(END, 1)[0].removeprefix("\n")


def _small_metadata() -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table(
        "person",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, info={"pii": "none"}),
        sa.Column("name", sa.String(50), info={"pii": "personal"}),
        sa.Column("limit", sa.String(20), info={"pii": "special"}),
        sa.Column("password_hash", sa.String(200), info={"pii": "secret"}),
    )
    return metadata


PERSON = TableUse("a test table", "the person", ("notice",))


def test_operations_guide_holds_the_current_classification():
    text = GUIDE.read_text(encoding="utf-8")
    assert START in text and END in text, f"docs/operations.md lost its markers; run `{REWRITE}`"
    assert _between_markers(text) == classification_markdown(), (
        f"docs/operations.md's data classification is out of date: run `{REWRITE}`"
    )


def test_every_table_is_described_and_no_description_is_stale():
    assert set(TABLES) == set(Base.metadata.tables)


def test_a_table_without_a_description_is_refused():
    with pytest.raises(ValueError, match="person"):
        classification_markdown(_small_metadata(), uses={})


def test_retention_is_named_by_the_rules_of_the_purge_job():
    rule_names = {rule.key for rule in RULES}
    assert {name for use in TABLES.values() for name in use.rules} <= rule_names
    invented = TableUse("a test table", "the person", ("forever",))
    with pytest.raises(ValueError, match="forever"):
        classification_markdown(_small_metadata(), uses={"person": invented})


def test_each_column_is_listed_with_its_class_and_the_table_summed_up():
    text = classification_markdown(_small_metadata(), uses={"person": PERSON})
    assert "| `person` | 1 | 1 | 1 | a test table | the person | `notice` |" in text
    for row in (
        "`id` | none",
        "`name` | personal",
        "`limit` | special",
        "`password_hash` | secret",
    ):
        assert f"| {row} |" in text


def test_the_real_special_category_columns_are_shown_as_special_and_encrypted():
    text = classification_markdown()
    limits = text.split("#### `newcomer_limit`")[1].split("####")[0]
    assert "| `kind` | special, encrypted (R39) |" in limits
    assert "| `profile_id` | none |" in limits
    assert "| `newcomer_limit` | 0 | 1 | 0 |" in text


def test_a_column_without_a_class_is_refused():
    metadata = _small_metadata()
    sa.Table("person_extra", metadata, sa.Column("note", sa.Text))
    uses = {"person": PERSON, "person_extra": PERSON}
    with pytest.raises(ValueError, match=r"person_extra\.note"):
        classification_markdown(metadata, uses=uses)


def test_the_command_rewrites_only_the_marked_part(runner, tmp_path):
    guide = tmp_path / "operations.md"
    guide.write_text(f"# Guide\n\nBefore.\n{START}\nold table\n{END}\nAfter.\n", encoding="utf-8")

    result = runner.invoke(args=["privacy", "classification", "--write", str(guide)])
    assert result.exit_code == 0, result.output
    assert "updated" in result.output
    text = guide.read_text(encoding="utf-8")
    assert text.startswith("# Guide\n\nBefore.\n")
    assert text.endswith(f"{END}\nAfter.\n")
    assert "old table" not in text
    assert _between_markers(text) == classification_markdown()

    again = runner.invoke(args=["privacy", "classification", "--write", str(guide)])
    assert again.exit_code == 0 and "already up to date" in again.output
    assert guide.read_text(encoding="utf-8") == text


def test_the_command_refuses_a_file_without_markers(runner, tmp_path):
    guide = tmp_path / "operations.md"
    guide.write_text("# Guide\n", encoding="utf-8")
    result = runner.invoke(args=["privacy", "classification", "--write", str(guide)])
    assert result.exit_code != 0
    assert START in result.output
    assert guide.read_text(encoding="utf-8") == "# Guide\n"


def test_the_command_prints_the_classification(runner):
    result = runner.invoke(args=["privacy", "classification"])
    assert result.exit_code == 0
    assert result.output == classification_markdown()
