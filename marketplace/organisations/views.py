"""Organisation pages: the employer's dashboard and verification by staff."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import db
from marketplace.accounts.forms import ConfirmForm
from marketplace.accounts.models import Role
from marketplace.domain import DomainError
from marketplace.organisations import services
from marketplace.organisations.models import Organisation
from marketplace.permissions import roles

bp = Blueprint("organisations", __name__)


@bp.route("/organisation")
@roles(Role.EMPLOYER)
def dashboard():
    """The employer's start page: their organisation and what needs doing."""
    return render_template("organisations/dashboard.html", organisation=current_user.organisation)


@bp.route("/organisations/unverified")
@roles(Role.ADMIN, Role.CONSULTANT)
def unverified():
    """Organisations that still need a check, oldest first."""
    return render_template(
        "organisations/unverified.html",
        organisations=services.unverified_organisations(db.session),
        form=ConfirmForm(),
    )


@bp.route("/organisations/<int:organisation_id>/verify", methods=["POST"])
@roles(Role.ADMIN, Role.CONSULTANT)
def verify(organisation_id: int):
    """Mark an organisation as checked."""
    organisation = db.get_or_404(Organisation, organisation_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.verify_organisation(db.session, current_user, organisation)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(_("%(name)s is verified.", name=organisation.name), "success")
    return redirect(url_for("organisations.unverified"))
