"""Public pages that anyone may open, and the language switch."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import db
from marketplace.accounts.forms import LanguageForm
from marketplace.accounts.services import set_language
from marketplace.accounts.urls import safe_next

bp = Blueprint("pages", __name__)


@bp.route("/")
def home():
    """What this site is, for whom, and where to start."""
    return render_template("pages/home.html")


@bp.route("/about")
def about():
    """Who runs this site, and the sources of its data."""
    return render_template("pages/about.html")


@bp.route("/privacy")
def privacy():
    """The privacy statement."""
    return render_template("pages/privacy.html")


@bp.route("/accessibility")
def accessibility():
    """The accessibility statement."""
    return render_template("pages/accessibility.html")


@bp.route("/healthz")
def health():
    """For load balancers: 200 when the database answers, 503 when it does not."""
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}


@bp.route("/language", methods=["POST"], endpoint="set_language")
def set_language_view():
    """Switch the interface language; remembered for the user, or for this visit."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["language"] = form.language.data
        if current_user.is_authenticated:
            set_language(db.session, current_user, form.language.data)
    else:
        flash(_("Choose one of the languages in the list."), "error")
    return redirect(safe_next(request.form.get("next")) or "/")
