"""Alembic environment: the database comes from the app's config (see marketplace/migrate.py)."""

from __future__ import annotations

from alembic import context

import marketplace.models  # noqa: F401  (every table on the metadata)
from marketplace.db import Base

config = context.config
target_metadata = Base.metadata


def _engine():
    engine = config.attributes.get("engine")
    if engine is not None:
        return engine
    from marketplace import create_app

    app = create_app()
    config.attributes["data_keys"] = app.extensions["data_keys"]
    return app.extensions["db"].engine


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    with _engine().connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(connection, on=False)
        try:
            _run(connection)
        finally:
            if sqlite:
                _sqlite_foreign_keys(connection, on=True)


def _sqlite_foreign_keys(connection, on: bool) -> None:
    """Batch mode copies a table and drops the old one; with foreign keys on, SQLite's DROP
    TABLE deletes (CASCADE) or refuses (RESTRICT) the rows of other tables that refer to it,
    so they are off while migrating. The PRAGMA only works outside a transaction, so it goes
    straight to the driver (the engine's "begin" hook would wrap it in BEGIN)."""
    raw = connection.connection.driver_connection
    raw.execute("PRAGMA foreign_keys=ON" if on else "PRAGMA foreign_keys=OFF")


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only change tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
