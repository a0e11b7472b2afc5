"""The same file imported twice at the same moment: one import creates, the other finds every
record by its ref and changes nothing (security.md R44). No record is stored twice and no
import fails. Each import runs as `flask data import` does: in an app context without a
request, with its own thread, session and transaction, released together by a barrier, on a
SQLite file and on PostgreSQL."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from marketplace import db
from marketplace.exchange.importer import import_document
from tests.concurrency import at_once
from tests.exchange.sample import count, sample_document

IMPORTS = 3


def test_the_same_file_imported_at_once_stores_every_record_once(race_app):
    raw = json.dumps(sample_document()).encode()
    created: list[int] = []
    failures: list[BaseException] = []

    def run(ready) -> None:
        with race_app.app_context():  # a command's context, as `flask data import` has
            session = db.session
            ready()  # all at once; each transaction starts after it
            try:
                done = import_document(session, raw, "sample.json")
                session.commit()
                created.append(sum(section["created"] for section in done.counts.values()))
            except BaseException as error:  # noqa: BLE001 (reported below)
                session.rollback()
                failures.append(error)

    at_once(run, [()] * IMPORTS, finish_within=120)

    assert failures == []
    records = len(sample_document()["organisations"]) + len(sample_document()["places"])
    records += len(sample_document()["newcomers"])
    assert sorted(created) == [0] * (IMPORTS - 1) + [records]
    with race_app.app_context(), Session(race_app.extensions["db"].engine) as check:
        assert count(check, "newcomer_profile") == len(sample_document()["newcomers"])
        assert count(check, "place") == len(sample_document()["places"])
        assert count(check, "import_run") == IMPORTS
