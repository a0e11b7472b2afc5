"""Database wiring: the declarative base, the engine, and one session per request.

The request's session is committed in one place (``commit_request`` in the factory's
``after_request`` hook) and rolled back on any error. Services only flush.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, abort, current_app, g, has_app_context, has_request_context, request
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from werkzeug.local import LocalProxy

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: The privacy classes a column can have (security.md R32). ``special`` is health and family
#: constraints; ``secret`` is credentials and tokens.
PII_CLASSES = ("none", "personal", "special", "secret")


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def pii(kind: str) -> dict[str, str]:
    """Column ``info`` that classifies the column's data for privacy."""
    if kind not in PII_CLASSES:
        raise ValueError(f"unknown privacy class {kind!r}")
    return {"pii": kind}


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored as naive UTC and always returned timezone-aware (SQLite keeps no zone)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


def enum_type(enum_cls: type[enum.Enum], name: str | None = None) -> sa.Enum:
    """A portable enum column: stored as its string value, checked by the database.

    ``name`` names the CHECK constraint; give one where a table has the same enum twice.
    """
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
        name=name or enum_cls.__name__.lower(),
    )


def engine_options(url: str, config: dict[str, Any]) -> dict[str, Any]:
    """Engine options per backend: timeouts so an outage or a lock gives an error, not a hang.

    ``hide_parameters``: a logged database error shows its SQL but never the query's values,
    which can be personal data.
    """
    options: dict[str, Any] = {"pool_pre_ping": True, "hide_parameters": True}
    if url.startswith("sqlite"):
        options["connect_args"] = {"timeout": config.get("SQLITE_BUSY_TIMEOUT", 5)}
    elif url.startswith("postgresql"):
        options["connect_args"] = {
            "connect_timeout": config.get("DB_CONNECT_TIMEOUT", 5),
            "options": f"-c statement_timeout={config.get('DB_STATEMENT_TIMEOUT_MS', 15000)}",
        }
    return options


#: execution option for a connection that must not take SQLite's write lock at its start
DEFERRED_BEGIN = "sqlite_deferred_begin"


def will_write() -> None:
    """Declare, before its first query, that the next transaction of this app context writes
    (a command such as an import): on SQLite it then takes the write lock at its start, as a
    form post's does, so two writers wait for each other instead of one failing at once.
    Only that transaction: a later one (a read after the commit) takes no lock it would hold
    while the search index catches up."""
    g.db_will_write = True


def _writing_request() -> bool:
    """Whether this request may write: any form post, and any page of a signed-in browser
    (reading a newcomer's file writes an audit row; a session notes when it was last seen);
    outside a request, whether the work said it will write (``will_write``, used up here)."""
    if has_app_context() and g.pop("db_will_write", False):
        return True
    if not has_request_context():
        return False
    signed_in = current_app.config["SESSION_COOKIE_NAME"] in request.cookies
    return signed_in or request.method not in ("GET", "HEAD", "OPTIONS")


def _sqlite_pragmas(engine: sa.Engine) -> None:
    """Enforce foreign keys and let SQLAlchemy, not pysqlite, emit BEGIN (needed for SAVEPOINTs)."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # A request that may write takes SQLite's write lock at its start: two writers then
        # wait for each other (busy timeout) instead of failing at once ("database is locked")
        # when one read before the other wrote, and a conditional UPDATE (a spot, a status)
        # is decided one at a time. Anonymous pages only read, and never wait.
        # A second session of the same request (the search's catch-up) asks for a plain BEGIN:
        # waiting for the write lock its own request holds would only time out.
        deferred = conn.get_execution_options().get(DEFERRED_BEGIN, False)
        immediate = not deferred and _writing_request()
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_db_engine(url: str, config: dict[str, Any] | None = None) -> sa.Engine:
    """Create the engine for a database URL, with the per-backend settings."""
    engine = sa.create_engine(url, **engine_options(url, config or {}))
    if engine.dialect.name == "sqlite":
        _sqlite_pragmas(engine)
    return engine


class Database:
    """The app's engine and session factory, kept in ``app.extensions['db']``."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self.session_factory = sessionmaker(bind=engine, expire_on_commit=False)

    def bind_to(self, connection: sa.Connection) -> None:
        """Make every new session join ``connection`` through SAVEPOINTs (used by tests)."""
        self.session_factory = sessionmaker(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )


def init_app(app: Flask) -> None:
    """Create the engine and close the request's session when the app context ends."""
    url = app.config["DATABASE_URL"]
    app.extensions["db"] = Database(create_db_engine(url, app.config))

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.rollback()
            session.close()


def get_database() -> Database:
    return current_app.extensions["db"]


def _get_session() -> Session:
    if "db_session" not in g:
        g.db_session = get_database().session_factory()
    return g.db_session


#: The session of the current request or app context.
session: Session = LocalProxy(_get_session)  # type: ignore[assignment]


#: the largest key a database integer holds; a longer number in a URL names nothing
MAX_KEY = 2**63 - 1


def get_or_404(model: type, ident: Any) -> Any:
    """The row with this primary key in the request's session, or a 404 page."""
    if isinstance(ident, int) and not 0 < ident <= MAX_KEY:
        abort(404)
    obj = session.get(model, ident)
    if obj is None:
        abort(404)
    return obj
