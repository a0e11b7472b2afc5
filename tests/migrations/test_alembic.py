"""Migrations are the only schema path: head equals the models, every step goes down and up."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.orm import Session

import marketplace.models  # noqa: F401  (every table)
from marketplace.db import Base, create_db_engine
from marketplace.migrate import MIGRATIONS_DIR, alembic_config
from tests.conftest import make_test_app
from tests.migrations import data
from tests.postgres import postgres_url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh_app(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    else:
        url = postgres_url()
        engine = create_db_engine(url)
        with engine.begin() as conn:  # start from an empty schema
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    app = make_test_app(url, tmp_path)
    yield app
    app.extensions["db"].engine.dispose()


def _differences(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_upgrade_head_produces_exactly_the_models(fresh_app):
    config = alembic_config(fresh_app)
    command.upgrade(config, "head")
    assert _differences(fresh_app.extensions["db"].engine) == []


def test_every_revision_goes_down_and_up(fresh_app):
    config = alembic_config(fresh_app)
    engine = fresh_app.extensions["db"].engine
    revisions = list(ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions("base", "heads"))
    revisions.reverse()  # oldest first
    for revision in revisions:
        command.upgrade(config, revision.revision)
        command.downgrade(config, revision.down_revision or "base")
        command.upgrade(config, revision.revision)
    tables = set(sa.inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    command.downgrade(config, "base")
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}


def test_a_fresh_install_has_no_accounts(fresh_app):
    command.upgrade(alembic_config(fresh_app), "head")
    with fresh_app.extensions["db"].engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM user_account")).scalar() == 0


def test_upgrade_with_data(fresh_app):
    """R47: rows written at each revision survive every later upgrade with their values (and
    the defaults of new columns), and come back intact when the database goes down again."""
    config = alembic_config(fresh_app)
    engine = fresh_app.extensions["db"].engine
    for revision in data.REVISIONS:
        command.upgrade(config, revision)
        with engine.begin() as conn:
            data.fixture(revision).load(conn)
    command.upgrade(config, "head")
    with fresh_app.app_context(), Session(engine) as session:  # the app holds the data keys
        for revision in data.REVISIONS:
            data.fixture(revision).at_head(session)
    for revision in reversed(data.REVISIONS):
        command.downgrade(config, revision)
        with engine.connect() as conn:
            data.fixture(revision).after_downgrade(conn)
    command.downgrade(config, "base")
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}


def test_every_revision_has_a_data_fixture():
    revisions = ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions("base", "heads")
    assert sorted(r.revision for r in revisions) == list(data.REVISIONS)
