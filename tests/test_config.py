"""The factory and configuration: production refuses unsafe settings (R17, R31)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from config import (
    DevelopmentConfig,
    ProductionConfig,
    TestingConfig,
    config_from_environment,
    settings_for,
)
from marketplace import clock, create_app
from tests.conftest import PRODUCTION_SECRET_KEY, production_settings


def _production(tmp_path, **overrides):
    settings = production_settings(
        **{
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
            "TRUSTED_HOSTS": ["participatie.example.nl"],
            **overrides,
        }
    )
    return create_app(ProductionConfig, **settings)


@pytest.mark.parametrize(
    "key",
    [
        None,
        "",
        "dev",
        "insecure-development-key",
        "short-key",
        TestingConfig.SECRET_KEY,  # published in config.py
        "k" * 40,  # long, but not random
        "participatie-utrecht-participatie-utrecht",
    ],
)
def test_production_refuses_a_missing_or_weak_secret_key(tmp_path, monkeypatch, key):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        _production(tmp_path, SECRET_KEY=key)


def test_production_never_runs_in_debug(tmp_path):
    with pytest.raises(RuntimeError, match="DEBUG"):
        _production(tmp_path, DEBUG=True)


@pytest.mark.parametrize("hosts", [None, []])
def test_production_refuses_to_start_without_trusted_hosts(tmp_path, hosts):
    with pytest.raises(RuntimeError, match="TRUSTED_HOSTS"):
        _production(tmp_path, TRUSTED_HOSTS=hosts)
    environ = {"TRUSTED_HOSTS": " , "}  # only separators: not set at all
    assert settings_for(ProductionConfig, environ)["TRUSTED_HOSTS"] is None


def test_production_cookies_are_secure_host_only_and_lax(tmp_path):
    app = _production(tmp_path)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.debug is False


def test_settings_come_from_the_environment_when_the_app_is_made(monkeypatch):
    environ = {
        "DATABASE_URL": "postgresql+psycopg://db/app",
        "PROXY_FIX_X_FOR": "1",
        "TRUSTED_HOSTS": "a.example, b.example",
        "MAIL_USE_TLS": "false",
    }
    settings = settings_for(DevelopmentConfig, environ)
    assert settings["DATABASE_URL"] == "postgresql+psycopg://db/app"
    assert settings["PROXY_FIX_X_FOR"] == 1
    assert settings["TRUSTED_HOSTS"] == ["a.example", "b.example"]
    assert settings["MAIL_USE_TLS"] is False
    assert settings_for(DevelopmentConfig, {})["DATABASE_URL"].startswith("sqlite:///")


def test_tests_are_never_steered_by_the_environment():
    assert settings_for(TestingConfig, {"DATABASE_URL": "postgresql://prod"})["DATABASE_URL"] == (
        "sqlite://"
    )


def test_app_env_chooses_the_configuration(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    assert config_from_environment() is ProductionConfig
    monkeypatch.setenv("APP_ENV", "staging")
    with pytest.raises(RuntimeError, match="APP_ENV"):
        config_from_environment()


def test_the_factory_creates_no_tables(tmp_path):
    import sqlalchemy as sa

    app = create_app(TestingConfig, DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert sa.inspect(app.extensions["db"].engine).get_table_names() == []


def test_a_pinned_date_is_read_at_start_and_refused_in_production():
    app = create_app(TestingConfig, FIXED_TODAY="2026-12-01")
    with app.app_context():
        assert clock.today() == date(2026, 12, 1)
    with pytest.raises(RuntimeError, match="FIXED_TODAY must be a date"):
        create_app(TestingConfig, FIXED_TODAY="1 december")
    with pytest.raises(RuntimeError, match="never in production"):
        create_app(
            TestingConfig,
            FIXED_TODAY="2026-12-01",
            PRODUCTION=True,
            TESTING=False,
            SECRET_KEY=PRODUCTION_SECRET_KEY,
            TRUSTED_HOSTS=["participatie.example.nl"],
        )


def test_today_is_the_date_in_the_netherlands(monkeypatch):
    class LateEvening(datetime):
        @classmethod
        def now(cls, tz=None):  # 23:30 UTC on 30 November is already 1 December in Amsterdam
            return datetime(2026, 11, 30, 23, 30, tzinfo=UTC).astimezone(tz)

    monkeypatch.setattr(clock, "datetime", LateEvening)
    with create_app(TestingConfig).app_context():
        assert clock.today() == date(2026, 12, 1)
