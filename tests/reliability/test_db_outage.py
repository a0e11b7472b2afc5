"""A database outage gives a short 503 page, and the app recovers by itself (security.md R46).

PostgreSQL: a real cluster is stopped under a running gunicorn and started again.
SQLite: a second connection holds the database's lock longer than the busy timeout.
"""

from __future__ import annotations

import secrets
import shutil
import sqlite3
import threading
import time

import pytest
import requests
import sqlalchemy as sa

from marketplace import db, migrate
from tests.conftest import PRODUCTION_DATA_KEY, make_test_app
from tests.factories import make_organisation, make_place
from tests.reliability.servers import Gunicorn, PostgresCluster

#: what the user reads on the 503 page (English asked for through Accept-Language)
OUTAGE_TITLE = "The service is not available right now"
#: what an error page must never show: a trace, SQL, driver or connection details
LEAKS = ("Traceback", 'File "', "SELECT", "sqlalchemy", "sqlalche.me", "psycopg", "sqlite3",
         "Connection refused", "database is locked", "postgres")  # fmt: skip
ENGLISH = {"Accept-Language": "en"}


def assert_outage_page(response, body: str) -> None:
    assert response.status_code == 503, body[:500]
    assert int(response.headers["Retry-After"]) > 0
    assert OUTAGE_TITLE in body
    for leak in LEAKS:
        assert leak not in body, f"the 503 page shows {leak!r}"


# --- PostgreSQL under gunicorn --------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    cluster = PostgresCluster()
    try:
        cluster.create()
        yield cluster
    finally:
        cluster.close()


@pytest.fixture(scope="module")
def place_path(cluster, tmp_path_factory):
    """Migrate the cluster's database and publish one place; the place's public URL path."""
    app = make_test_app(cluster.url, tmp_path_factory.mktemp("outage-setup"))
    try:
        with app.app_context():
            migrate.upgrade()
            place = make_place(make_organisation())
            db.session.commit()
            return f"/places/{place.id}"
    finally:
        app.extensions["db"].engine.dispose()


@pytest.mark.postgres
def test_connections_get_the_configured_timeouts(cluster, tmp_path):
    """The statement and connect timeouts reach every PostgreSQL connection the app opens."""
    app = make_test_app(cluster.url, tmp_path, DB_STATEMENT_TIMEOUT_MS=2500, DB_CONNECT_TIMEOUT=3)
    engine = app.extensions["db"].engine
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "2500ms"
            parameters = conn.connection.dbapi_connection.info.get_parameters()
            assert parameters["connect_timeout"] == "3"
            started = time.monotonic()
            with pytest.raises(sa.exc.OperationalError, match="statement timeout"):
                conn.exec_driver_sql("SELECT pg_sleep(10)")
            assert time.monotonic() - started < 5
    finally:
        engine.dispose()


def production_env(cluster: PostgresCluster, tmp_path) -> dict[str, str]:
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATA_ENCRYPTION_KEYS": PRODUCTION_DATA_KEY,
        "DATABASE_URL": cluster.url,
        "TRUSTED_HOSTS": "127.0.0.1",
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "MAIL_OUTBOX_DIR": str(tmp_path / "mail"),
    }


def get(server: Gunicorn, path: str) -> tuple[requests.Response, str, float]:
    started = time.monotonic()
    response = requests.get(server.url + path, headers=ENGLISH, timeout=10)
    return response, response.text, time.monotonic() - started


@pytest.mark.postgres
def test_postgres_outage_gives_503_and_recovers_without_restart(cluster, place_path, tmp_path):
    """Stop PostgreSQL hard under gunicorn: 503 pages at once; start it: 200 again, same workers."""
    paths = ("/healthz", "/places", place_path)
    server = Gunicorn(production_env(cluster, tmp_path), tmp_path / "gunicorn.log")
    try:
        server.wait_until_serving("/healthz")
        for _ in range(3):  # both workers hold pooled connections when the database goes
            for path in paths:
                assert get(server, path)[0].status_code == 200, path
        workers = server.worker_pids()
        assert len(workers) == 2

        cluster.stop("immediate")
        slowest = 0.0
        for path in ("/healthz", place_path) * 2:
            response, body, seconds = get(server, path)
            assert_outage_page(response, body)
            slowest = max(slowest, seconds)
        assert slowest < 5, f"a 503 took {slowest:.2f} s"
        print(f"slowest 503 during the outage: {slowest:.3f} s")
        # The search listing reads the search index; it may still answer, but never with a 500.
        response, body, _ = get(server, "/places")
        assert response.status_code in (200, 503)
        assert not any(leak in body for leak in LEAKS)

        cluster.start()
        started = time.monotonic()
        waiting = set(paths)
        while waiting and time.monotonic() - started < 20:
            waiting = {path for path in waiting if get(server, path)[0].status_code != 200}
            time.sleep(0.2 if waiting else 0)
        assert not waiting, f"still failing 20 s after the restart: {sorted(waiting)}"
        print(f"all pages 200 again {time.monotonic() - started:.3f} s after pg_ctl start")
        for path in paths * 2:
            assert get(server, path)[0].status_code == 200, path

        assert server.worker_pids() == workers, "gunicorn workers were restarted"
        log = server.log()
        assert "Error handling request" not in log, log  # an exception escaped the app
        assert "WORKER TIMEOUT" not in log, log
        assert "[parameters:" not in log, log  # query values can be personal data
    finally:
        server.close()


# --- SQLite: a lock held longer than the busy timeout ---------------------------------------

BUSY_TIMEOUT = 1


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory):
    """A SQLite file migrated once, with one published place; each test works on a copy."""
    tmp = tmp_path_factory.mktemp("outage-sqlite")
    app = make_test_app(f"sqlite:///{tmp / 'template.sqlite3'}", tmp)
    with app.app_context():
        migrate.upgrade()
        place = make_place(make_organisation())
        db.session.commit()
    app.extensions["db"].engine.dispose()  # the last connection folds the WAL into the file
    return tmp / "template.sqlite3", f"/places/{place.id}"


@pytest.fixture
def sqlite_app(sqlite_template, tmp_path):
    """An app on a SQLite file with a 1 s busy timeout; errors handled as in production."""
    template, place_path = sqlite_template
    path = shutil.copy(template, tmp_path / "outage.sqlite3")
    app = make_test_app(
        f"sqlite:///{path}", tmp_path, SQLITE_BUSY_TIMEOUT=BUSY_TIMEOUT, PROPAGATE_EXCEPTIONS=False
    )
    app.config["PLACE_PATH"] = place_path
    app.config["DATABASE_FILE"] = str(path)
    yield app
    app.extensions["db"].engine.dispose()


def timed_request(app, method: str, path: str, **kwargs):
    """The response to one request in a thread, and its time; fails if it takes over 10 s."""
    outcome = {}

    def send():
        started = time.monotonic()
        outcome["response"] = app.test_client().open(
            path, method=method, headers=ENGLISH, follow_redirects=True, **kwargs
        )
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive(), f"{method} {path} still hangs after 10 s"
    return outcome["response"], outcome["seconds"]


def assert_503_after_busy_timeout(app, method: str, path: str, **kwargs) -> None:
    response, seconds = timed_request(app, method, path, **kwargs)
    assert_outage_page(response, response.get_data(as_text=True))
    # at least the busy timeout (1 s), and well short of the 5 s default: the setting reached
    assert BUSY_TIMEOUT * 0.9 <= seconds < 4.5, f"answered after {seconds:.2f} s"


def login_form(email: str = "nobody@example.nl") -> dict:
    return {"data": {"email": email, "password": "not the password at all"}}


def test_sqlite_writer_waits_the_busy_timeout_then_gets_503(sqlite_app):
    """Another connection holds BEGIN EXCLUSIVE: a request that writes gets 503, then works."""
    holder = sqlite3.connect(sqlite_app.config["DATABASE_FILE"], isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        assert_503_after_busy_timeout(sqlite_app, "POST", "/login", **login_form())
        # In WAL mode readers still see the last committed data while a writer holds the lock.
        response, _ = timed_request(sqlite_app, "GET", sqlite_app.config["PLACE_PATH"])
        assert response.status_code == 200
    finally:
        holder.close()
    response, _ = timed_request(sqlite_app, "POST", "/login", **login_form())
    assert response.status_code == 200  # the login form again, with "wrong e-mail or password"


def test_sqlite_reader_locked_out_gets_503_then_200(sqlite_app):
    """A connection in exclusive locking mode keeps even readers out: 503 pages, then 200."""
    sqlite_app.extensions["db"].engine.dispose()  # exclusive mode needs the file to itself
    holder = sqlite3.connect(sqlite_app.config["DATABASE_FILE"], isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        for path in ("/healthz", sqlite_app.config["PLACE_PATH"]):
            assert_503_after_busy_timeout(sqlite_app, "GET", path)
        assert_503_after_busy_timeout(sqlite_app, "POST", "/login", **login_form())
    finally:
        holder.close()
    for path in ("/healthz", "/places", sqlite_app.config["PLACE_PATH"]):
        response, _ = timed_request(sqlite_app, "GET", path)
        assert response.status_code == 200, path


def test_a_lock_error_in_the_log_shows_no_query_values(sqlite_app):
    """The error a lock timeout raises (which logs keep) names the SQL but not its values."""
    canary = "canary-4f1e@example.nl"
    holder = sqlite3.connect(sqlite_app.config["DATABASE_FILE"], isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        engine = sqlite_app.extensions["db"].engine
        with pytest.raises(sa.exc.OperationalError) as raised, engine.begin() as conn:
            conn.execute(sa.text("UPDATE user_account SET name = :name"), {"name": canary})
    finally:
        holder.close()
    assert "database is locked" in str(raised.value)
    assert canary not in str(raised.value)


def test_the_503_page_also_answers_when_the_commit_fails(sqlite_app, monkeypatch):
    """The database goes away between the page and its commit: 503, not 500 (production mode)."""

    def lost(_session):
        raise sa.exc.OperationalError("COMMIT", {}, Exception("server closed the connection"))

    response, _ = timed_request(sqlite_app, "GET", "/healthz")
    assert response.status_code == 200
    monkeypatch.setattr(sa.orm.Session, "commit", lost)
    response, _ = timed_request(sqlite_app, "GET", "/healthz")
    assert_outage_page(response, response.get_data(as_text=True))
