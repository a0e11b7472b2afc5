"""Alembic, configured from the app: migrations are the only way the schema changes."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(app: Flask | None = None) -> AlembicConfig:
    """An Alembic config whose database is the app's (no alembic.ini needed)."""
    app = app or current_app
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", app.config["DATABASE_URL"].replace("%", "%%"))
    config.attributes["engine"] = app.extensions["db"].engine
    config.attributes["data_keys"] = app.extensions["data_keys"]  # for encrypting migrations
    return config


def upgrade(revision: str = "head", app: Flask | None = None) -> None:
    command.upgrade(alembic_config(app), revision)


def downgrade(revision: str, app: Flask | None = None) -> None:
    command.downgrade(alembic_config(app), revision)
