"""A signed-in search on a SQLite file answers at once.

A signed-in request takes SQLite's write lock at its start; the search's catch-up reads in a
second session of the same request, which must not wait for that lock (it would time out after
the busy timeout and stall every signed-in search).
"""

from __future__ import annotations

import time

from marketplace import db, migrate
from marketplace.accounts.models import Role
from tests.conftest import AuthActions, make_test_app
from tests.factories import make_user


def test_a_signed_in_search_does_not_wait_for_its_own_write_lock(tmp_path):
    app = make_test_app(
        f"sqlite:///{tmp_path / 'lock.sqlite3'}", tmp_path, SEARCH_CATCH_UP_SECONDS=0.0
    )
    with app.app_context():
        migrate.upgrade()
        email = make_user(Role.NEWCOMER).email
        db.session.commit()
    browser = app.test_client()
    AuthActions(browser).login(email)

    started = time.monotonic()
    response = browser.get("/places?q=kok")

    assert response.status_code == 200
    assert time.monotonic() - started < app.config["SQLITE_BUSY_TIMEOUT"] / 2
