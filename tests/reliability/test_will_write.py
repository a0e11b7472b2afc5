"""A command that writes takes SQLite's write lock for its next transaction only (db.will_write).

So two imports wait for each other instead of one failing, while a read after the command's
commit holds no lock that the search index's catch-up (or a web request) would wait for.
"""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa

from marketplace import db, migrate
from tests.conftest import make_test_app


def _another_writer_gets_in(path) -> bool:
    """Whether a second connection can take the write lock now (without waiting)."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


def test_will_write_holds_the_lock_for_the_next_transaction_only(tmp_path):
    path = tmp_path / "writer.sqlite3"
    app = make_test_app(f"sqlite:///{path}", tmp_path)
    with app.app_context():
        migrate.upgrade()
    with app.app_context():
        db.session.execute(sa.text("SELECT 1"))  # a command that only reads takes no lock
        assert _another_writer_gets_in(path)
        db.session.commit()

        db.will_write()
        db.session.execute(sa.text("SELECT 1"))  # the import's first query
        assert not _another_writer_gets_in(path)
        db.session.commit()

        db.session.execute(sa.text("SELECT 1"))  # a read after its commit
        assert _another_writer_gets_in(path)
        db.session.rollback()
    app.extensions["db"].engine.dispose()
