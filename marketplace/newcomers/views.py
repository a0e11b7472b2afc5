"""Newcomer pages: the newcomer's own start page, and the consultant's caseload."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from marketplace import db
from marketplace.accounts.models import Role
from marketplace.domain import DomainError
from marketplace.newcomers import forms, services
from marketplace.permissions import roles

bp = Blueprint("newcomers", __name__)


@bp.route("/me")
@roles(Role.NEWCOMER)
def dashboard():
    """The newcomer's start page."""
    profile = services.profile_of(db.session, current_user)
    return render_template("newcomers/dashboard.html", profile=profile)


@bp.route("/caseload")
@roles(Role.CONSULTANT)
def caseload():
    """The consultant's start page: their newcomers."""
    return render_template(
        "newcomers/caseload.html", profiles=services.caseload(db.session, current_user)
    )


@bp.route("/caseload/new", methods=["GET", "POST"])
@roles(Role.CONSULTANT)
def new_newcomer():
    """Add a newcomer: their account, the start of their profile, and an invitation link."""
    form = forms.NewNewcomerForm()
    if form.validate_on_submit():
        try:
            profile, link = services.create_newcomer(
                db.session,
                current_user,
                name=form.name.data,
                email=form.email.data,
                language=form.language.data,
                postcode=form.postcode.data,
                dutch_level=form.dutch_level.data,
                learning_route=form.learning_route.data or None,
            )
        except DomainError as error:
            db.session.rollback()
            form.email.errors = [*form.email.errors, error.message]
        else:
            return render_template("newcomers/invited.html", profile=profile, link=link)
    return render_template("newcomers/new.html", form=form)
