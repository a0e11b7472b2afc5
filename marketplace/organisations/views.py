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
from marketplace.organisations.forms import InviteColleagueForm, OrganisationForm
from marketplace.organisations.models import Organisation
from marketplace.permissions import roles
from marketplace.placements.models import PlacementStatus
from marketplace.places.dashboard import employer_actions
from marketplace.places.services import organisation_places

bp = Blueprint("organisations", __name__)


@bp.route("/organisation")
@roles(Role.EMPLOYER)
def dashboard():
    """The employer's start page: their places, and what needs their action first."""
    organisation = current_user.organisation
    places = organisation_places(db.session, organisation)
    counts = services.placement_counts(db.session, organisation)
    return render_template(
        "organisations/dashboard.html",
        organisation=organisation,
        places=places,
        counts=counts,
        actions=employer_actions(places, counts),
        statuses=PlacementStatus,
    )


@bp.route("/organisation/edit", methods=["GET", "POST"])
@roles(Role.EMPLOYER)
def edit():
    """The organisation's profile, as newcomers and the municipality see it."""
    organisation = current_user.organisation
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        values = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
        if services.update_organisation(db.session, current_user, organisation, values):
            flash(
                _(
                    "Saved. Because the name or KvK number changed, the municipality checks "
                    "your organisation again."
                ),
                "warning",
            )
        else:
            flash(_("Saved."), "success")
        return redirect(url_for("organisations.dashboard"))
    return render_template("organisations/edit.html", form=form, organisation=organisation)


@bp.route("/organisation/colleagues", methods=["GET", "POST"])
@roles(Role.EMPLOYER)
def colleagues():
    """Who acts for the organisation, and inviting a colleague."""
    organisation = current_user.organisation
    form = InviteColleagueForm()
    if form.validate_on_submit():
        try:
            services.invite_colleague(
                db.session,
                current_user,
                name=form.name.data,
                email=form.email.data,
                language=form.language.data,
            )
        except DomainError as error:
            db.session.rollback()
            form.email.errors = [*form.email.errors, error.message]
        else:
            flash(
                _("We have e-mailed an invitation to %(email)s.", email=form.email.data), "success"
            )
            form = InviteColleagueForm(formdata=None)
    return render_template("organisations/colleagues.html", organisation=organisation, form=form)


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
