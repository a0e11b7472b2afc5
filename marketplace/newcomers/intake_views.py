"""The first conversation: the consultant writes it down, the newcomer reads what was written."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import clock, db
from marketplace.accounts.models import Role
from marketplace.domain import DomainError
from marketplace.forms import show_error
from marketplace.newcomers import intake as services
from marketplace.newcomers.casefile import file_of, opens
from marketplace.newcomers.intake_forms import IntakeForm, answers_from, intake_form, seen_from
from marketplace.newcomers.profile_services import ChangedMeanwhile, newest_change
from marketplace.newcomers.services import profile_of
from marketplace.permissions import require, roles
from marketplace.plans.path import RUNGS
from marketplace.transactions import commit_despite_error

bp = Blueprint("intake", __name__)
PAGE = "intake"


def _opened_form(profile) -> IntakeForm:
    """The form filled from what is saved now."""
    return intake_form(
        profile,
        services.intake_of(db.session, profile),
        services.starting_step(db.session, profile),
        newest_change(db.session, profile),
        clock.today(),
    )


@bp.route("/caseload/<ref>/intake", methods=["GET", "POST"])
@roles(Role.CONSULTANT)
def record(ref: str):
    """Write down or correct the first conversation with a newcomer (audit-logged)."""
    profile = file_of(ref, PAGE)
    form = IntakeForm() if request.method == "POST" else _opened_form(profile)
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate():
            try:
                services.record_intake(
                    db.session,
                    current_user,
                    profile,
                    answers_from(form),
                    clock.today(),
                    seen=seen_from(form),
                )
            except DomainError as error:
                db.session.rollback()
                opens(profile, PAGE)  # the opening stays logged
                if isinstance(error, ChangedMeanwhile):
                    form, status = _opened_form(profile), 409
                show_error(form, error)
            else:
                message = _(
                    "Saved. %(name)s can read it on their own page.", name=profile.user.name
                )
                flash(message, "success")
                return redirect(url_for("intake.record", ref=ref))
        commit_despite_error()  # nothing was saved, but the opening of the file stays logged
    return render_template(
        "intake/record.html",
        profile=profile,
        ref=ref,
        form=form,
        saved=services.intake_of(db.session, profile),
    ), status


@bp.route("/me/intake")
@roles(Role.NEWCOMER)
def mine():
    """What the consultant wrote about the first conversation, for the newcomer to read."""
    profile = profile_of(db.session, current_user)
    require(opens(profile, PAGE))
    return render_template(
        "intake/mine.html",
        profile=profile,
        intake=services.intake_of(db.session, profile),
        step=services.starting_step(db.session, profile),
        rungs=RUNGS,
    )
