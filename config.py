"""Configuration classes. The environment is read by `settings_for`, and nowhere else."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

#: keys that must never be used as a production SECRET_KEY
#: the data key of development and tests, published here and so refused in production
DEVELOPMENT_DATA_KEY = "ZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItcHJvZC11c2U="  # noqa: S105
KNOWN_DEV_KEYS = {"", "dev", "development", "change-me", "secret", "insecure-development-key"}


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY: str | None = None
    DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'marketplace.sqlite3'}"
    SEARCH_INDEX_DIR = str(INSTANCE_DIR / "search-index")
    #: this host's name for its outbox cursor (each host keeps its own index copy); default:
    #: the machine's host name
    SEARCH_HOST_NAME: str | None = None
    #: how long a request waits for the index writer after its commit before leaving the
    #: change to the next write or to `flask search sync` (seconds)
    SEARCH_APPLY_TIMEOUT = 0.5
    #: apply the outbox at the end of each request that wrote to it; turn off where a
    #: dedicated indexer (`flask search sync` in a loop or cron) is the only index writer
    SEARCH_APPLY_AFTER_REQUEST = True
    #: how often (seconds) a process looks for outbox entries left by a crash or another host
    #: before a search; changes made by a request are applied right after it anyway
    SEARCH_CATCH_UP_SECONDS = 1.0
    #: a gap in the outbox ids younger than this may still be an open transaction (PostgreSQL
    #: hands out ids before commit), so the cursor waits at the gap until it is this old
    SEARCH_OUTBOX_GAP_SECONDS = 300
    MAIL_OUTBOX_DIR = str(INSTANCE_DIR / "mail")
    MAIL_SERVER = None
    MAIL_PORT = 587
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_USE_TLS = True
    MAIL_SENDER = "Participatie <noreply@participatie.example>"
    #: the address links in e-mails point to, e.g. https://participatie.utrecht.nl
    PUBLIC_URL = "http://127.0.0.1:5000"
    #: how many proxies in front of the app set X-Forwarded-For (0: use the socket address)
    PROXY_FIX_X_FOR = 0
    TRUSTED_HOSTS: list[str] | None = None

    #: the interface languages (docs/translations.md says which catalogs await a native review)
    LANGUAGES = ["nl", "en", "ar", "tr", "ti", "fa"]
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "marketplace" / "translations")

    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_IDLE_MINUTES = 30
    SESSION_ABSOLUTE_HOURS = 12
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    #: remember-me is not used (sessions.py); should it ever be, it lasts at most 30 days (R17)
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 3600

    PASSWORD_MIN_LENGTH = 15
    # Argon2id at the OWASP minimum (m=19 MiB, t=2, p=1).
    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_COST = 19 * 1024
    ARGON2_PARALLELISM = 1
    LOGIN_FAILURES_PER_ACCOUNT = 5
    LOGIN_FAILURES_PER_IP = 30
    LOGIN_WINDOW_MINUTES = 15
    LOGIN_LOCK_AFTER = 100
    #: wrong second-step codes per account in LOGIN_WINDOW_MINUTES before a 429
    MFA_FAILURES_PER_ACCOUNT = 5
    #: the name the authenticator app shows next to the account
    MFA_ISSUER = "Participatieplekken"
    RESET_TOKEN_MINUTES = 60
    #: how long after signing in a data download needs no password again (R19)
    FRESH_LOGIN_MINUTES = 15
    INVITATION_DAYS = 14

    SQLITE_BUSY_TIMEOUT = 5
    DB_CONNECT_TIMEOUT = 5
    DB_STATEMENT_TIMEOUT_MS = 15000
    #: where `flask geo import` fetches the postcode file when no path is given
    GEONAMES_URL = "https://download.geonames.org/export/zip/NL.zip"
    #: pin "today" (ISO date) for demonstrations and browser tests; None is the real date
    FIXED_TODAY = None
    #: days before a deadline or an appointment on which the newcomer is reminded
    REMINDER_DAYS = (14, 3, 1)
    #: the caseload flags a newcomer without any approved placement this many weeks after the
    #: intake (or the start of their integration), so nobody waits unseen
    CASELOAD_NO_PLACEMENT_WEEKS = 12
    #: how long records are kept (security.md R38); the privacy officer sets these periods
    #: (Wet inburgering 2021, selectielijst gemeenten) and `flask privacy purge` applies them
    RETENTION = {
        "newcomer_file_years": 5,
        "closed_account_years": 2,
        "check_in_notes_years": 2,
        "feedback_years": 2,
        "notice_days": 365,
        "sign_in_days": 30,
        "mail_file_days": 30,
    }
    #: parts of a person's data left out of their download and data page, as the privacy
    #: officer decided under the law (GDPR art. 15(4), art. 23 and the UAVG): "table.column" to
    #: the ground, in the newcomer's words. The export names each one and why. None by default.
    EXPORT_LEGAL_EXCEPTIONS: dict[str, str] = {}
    #: key of the audit log's pseudonyms for internet addresses; None: derived from SECRET_KEY
    AUDIT_IP_KEY: str | None = None
    #: where `flask backup create` writes and `flask backup prune` deletes (copy them off-site)
    BACKUP_DIR = str(INSTANCE_DIR / "backups")
    #: a Fernet key that encrypts backups; production refuses to write a backup without one
    BACKUP_ENCRYPTION_KEY: str | None = None
    #: `flask backup prune` deletes backups older than this many days (the newest is kept)
    BACKUP_KEEP_DAYS = 35
    #: Fernet keys, comma-separated and newest first, that encrypt the health and family
    #: constraints in the database (R39); `flask keys generate` makes one, `flask keys
    #: reencrypt` moves every value to the first key before an old key is removed
    DATA_ENCRYPTION_KEYS: str | None = None
    #: "json" (one JSON object per line, R40) or "text"; None: json, except under TESTING
    LOG_FORMAT: str | None = None
    LOG_LEVEL = "INFO"
    PRODUCTION = False


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = True
    SECRET_KEY = "insecure-development-key"  # noqa: S105  (refused in production)
    DATA_ENCRYPTION_KEYS = DEVELOPMENT_DATA_KEY


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-key-not-for-production-use-0123456789"  # noqa: S105
    DATA_ENCRYPTION_KEYS = DEVELOPMENT_DATA_KEY
    DATABASE_URL = "sqlite://"
    WTF_CSRF_ENABLED = False
    SEARCH_CATCH_UP_SECONDS = 0.0  # a test searches right after it changed places
    MAIL_SERVER = None
    # Cheap hashing keeps the suite fast; ProductionConfig's parameters are asserted separately.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1


class ProductionConfig(Config):
    ENV_NAME = "production"
    DEBUG = False
    TESTING = False
    PRODUCTION = True
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-session"
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


#: the keys written in this file are public, so never a production key
KNOWN_DEV_KEYS |= {DevelopmentConfig.SECRET_KEY, TestingConfig.SECRET_KEY}

CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_environment() -> type[Config]:
    """The configuration class named by APP_ENV (default: development)."""
    name = os.environ.get("APP_ENV", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"APP_ENV must be one of {sorted(CONFIGS)}, not {name!r}")
    return CONFIGS[name]


#: settings an operator may set from the environment, with how to read each
ENVIRONMENT_SETTINGS = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "SEARCH_INDEX_DIR": str,
    "SEARCH_HOST_NAME": str,
    "SEARCH_APPLY_AFTER_REQUEST": lambda v: v.lower() in ("1", "true", "yes"),
    "MAIL_OUTBOX_DIR": str,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_USE_TLS": lambda v: v.lower() in ("1", "true", "yes"),
    "MAIL_SENDER": str,
    "PUBLIC_URL": str,
    "PROXY_FIX_X_FOR": int,
    "TRUSTED_HOSTS": lambda v: [h.strip() for h in v.split(",") if h.strip()] or None,
    "GEONAMES_URL": str,
    "FIXED_TODAY": str,
    "AUDIT_IP_KEY": str,
    "BACKUP_DIR": str,
    "BACKUP_ENCRYPTION_KEY": str,
    "DATA_ENCRYPTION_KEYS": str,
    "BACKUP_KEEP_DAYS": int,
    "LOG_FORMAT": str,
    "LOG_LEVEL": str,
    "SQLITE_BUSY_TIMEOUT": float,  # seconds a SQLite writer waits for a lock (R46)
    "DB_CONNECT_TIMEOUT": int,  # seconds to reach PostgreSQL before a 503
    "DB_STATEMENT_TIMEOUT_MS": int,  # PostgreSQL statement_timeout, milliseconds
}


def settings_for(config_class: type[Config], environ: dict[str, str] | None = None) -> dict:
    """The settings of a config class with the environment's values laid over them, read now."""
    environ = os.environ if environ is None else environ
    _refuse_non_production_in_production(config_class, environ)
    values = {k: getattr(config_class, k) for k in dir(config_class) if k.isupper()}
    if config_class is TestingConfig:
        return values  # tests pass their overrides to create_app, never through the environment
    for name, parse in ENVIRONMENT_SETTINGS.items():
        if environ.get(name):
            values[name] = parse(environ[name])
    return values


def _refuse_non_production_in_production(config_class: type[Config], environ) -> None:
    """Refuse a development or testing configuration where the environment says production."""
    said = {environ.get(name, "").strip().lower() for name in ("APP_ENV", "FLASK_ENV")}
    if "production" in said and not config_class.PRODUCTION:
        raise RuntimeError(
            f"APP_ENV or FLASK_ENV is production, so {config_class.__name__} may not be used: "
            "start with ProductionConfig (APP_ENV=production)."
        )
