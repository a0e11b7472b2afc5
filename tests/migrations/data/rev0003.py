"""Runs of the place import."""

from __future__ import annotations

from marketplace import models as m
from tests.migrations.data import AT, insert, row


def load(conn) -> None:
    insert(
        conn,
        "import_run",
        id=301,
        file_name="plaatsen-2026.csv",
        started_at=AT,
        finished_at=AT,
        counts='{"created": 3, "skipped": 1}',
    )


def at_head(session) -> None:
    run = session.get(m.ImportRun, 301)
    assert (run.file_name, run.counts) == ("plaatsen-2026.csv", {"created": 3, "skipped": 1})


def after_downgrade(conn) -> None:
    assert row(conn, "import_run", 301, "file_name") == ("plaatsen-2026.csv",)
