"""The participation-placement marketplace: the application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import INSTANCE_DIR, KNOWN_DEV_KEYS, Config, config_from_environment, settings_for


def create_app(config_class: type[Config] | None = None, **overrides: Any) -> Flask:
    """Build the app: load settings, wire each subsystem, register blueprints, CLI and errors."""
    config_class = config_class or config_from_environment()
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_mapping(settings_for(config_class))
    app.config.update(overrides)
    _check_production_settings(app)
    if app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"])  # type: ignore[method-assign]

    from marketplace import (
        cli,
        clock,
        db,
        encryption,
        errors,
        forms,
        headers,
        i18n,
        labels,
        logs,
        mail,
        permissions,
        transactions,
    )
    from marketplace.accounts import sessions
    from marketplace.notices import views as notices
    from marketplace.search import reasons, sync

    clock.init_app(app)
    logs.init_app(app)
    db.init_app(app)
    encryption.init_app(app)
    transactions.init_app(app)
    i18n.init_app(app)
    labels.init_app(app)
    reasons.init_app(app)
    forms.init_app(app)
    sessions.init_app(app)
    permissions.init_app(app)
    headers.init_app(app)
    errors.init_app(app)
    mail.init_app(app)
    sync.init_app(app)
    notices.init_app(app)
    _register_blueprints(app)
    cli.init_app(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from marketplace.accounts.mfa_views import bp as mfa_bp
    from marketplace.accounts.urls import dashboard_url
    from marketplace.accounts.views import bp as accounts_bp
    from marketplace.admin.assignments import bp as assignments_bp
    from marketplace.admin.views import bp as admin_bp
    from marketplace.dashboards.views import bp as dashboards_bp
    from marketplace.feedback.views import bp as feedback_bp
    from marketplace.newcomers.api import bp as api_bp
    from marketplace.newcomers.intake_views import bp as intake_bp
    from marketplace.newcomers.profile_views import bp as profile_bp
    from marketplace.newcomers.views import bp as newcomers_bp
    from marketplace.notices.views import bp as notices_bp
    from marketplace.organisations.views import bp as organisations_bp
    from marketplace.pages.views import bp as pages_bp
    from marketplace.placements.outcome_views import bp as outcomes_bp
    from marketplace.placements.views import bp as placing_bp
    from marketplace.places.review_views import bp as review_bp
    from marketplace.places.slugs import slugify
    from marketplace.places.views import bp as places_bp
    from marketplace.plans.consultant_views import bp as plans_bp
    from marketplace.plans.views import bp as path_bp
    from marketplace.privacy.views import bp as privacy_bp
    from marketplace.search.output import newcomer_ref

    blueprints = (
        pages_bp,
        accounts_bp,
        mfa_bp,
        organisations_bp,
        places_bp,
        review_bp,
        newcomers_bp,
        notices_bp,
        feedback_bp,
        profile_bp,
        intake_bp,
        path_bp,
        plans_bp,
        placing_bp,
        outcomes_bp,
        privacy_bp,
        admin_bp,
        assignments_bp,
        dashboards_bp,
        api_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    app.jinja_env.globals["dashboard_url"] = dashboard_url
    app.jinja_env.globals["newcomer_ref"] = newcomer_ref
    app.jinja_env.filters["slug"] = slugify


def _check_production_settings(app: Flask) -> None:
    """Refuse to run production with a weak secret key, debug on or no trusted hosts."""
    if not app.config.get("PRODUCTION"):
        return
    key = app.config.get("SECRET_KEY") or ""
    # 32 random url-safe characters hold about 26 different ones; a made-up key far fewer
    if key in KNOWN_DEV_KEYS or len(key) < 32 or len(set(key)) < 16:
        raise RuntimeError(
            "Production needs SECRET_KEY: at least 32 random characters, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
        )
    if app.config.get("DEBUG") or app.config.get("TESTING"):
        raise RuntimeError("Production never runs with DEBUG or TESTING on.")
    if not app.config.get("TRUSTED_HOSTS"):
        raise RuntimeError(
            "Production needs TRUSTED_HOSTS: the host names this site answers to, "
            "comma-separated (e.g. TRUSTED_HOSTS=participatie.utrecht.nl)."
        )
    if not app.config.get("PROXY_FIX_X_FOR"):
        app.logger.warning(
            "PROXY_FIX_X_FOR is 0: the client address is the socket's. Behind a reverse "
            "proxy every visitor then shares the proxy's address and its login limit."
        )
    if app.config["DATABASE_URL"].startswith("sqlite"):
        app.logger.warning("Production is running on SQLite; use PostgreSQL for several workers.")
