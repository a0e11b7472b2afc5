"""The database timeouts are operator settings: set in the environment, used by the engine
(security.md R46)."""

from __future__ import annotations

from config import DevelopmentConfig, ProductionConfig, settings_for
from marketplace.db import engine_options

PG_URL = "postgresql+psycopg://db/app"


def test_the_timeouts_come_from_the_environment_and_reach_the_engine():
    environ = {
        "DB_STATEMENT_TIMEOUT_MS": "2500",
        "DB_CONNECT_TIMEOUT": "3",
        "SQLITE_BUSY_TIMEOUT": "0.5",
    }
    settings = settings_for(DevelopmentConfig, environ)

    postgres = engine_options(PG_URL, settings)["connect_args"]
    assert postgres == {"connect_timeout": 3, "options": "-c statement_timeout=2500"}
    sqlite = engine_options("sqlite:///app.sqlite3", settings)["connect_args"]
    assert sqlite == {"timeout": 0.5}


def test_without_the_environment_the_timeouts_keep_their_defaults():
    settings = settings_for(ProductionConfig, {})
    postgres = engine_options(PG_URL, settings)["connect_args"]
    assert postgres["options"] == "-c statement_timeout=15000"
    assert postgres["connect_timeout"] == 5
