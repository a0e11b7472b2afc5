"""The newcomer's feedback pages: on the place of a placement, and on the service."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import clock, db
from marketplace.accounts.models import Role
from marketplace.domain import DomainError
from marketplace.feedback import services
from marketplace.feedback.forms import QUESTIONS, FeedbackForm
from marketplace.feedback.models import FeedbackAbout
from marketplace.forms import show_error
from marketplace.newcomers.services import profile_of
from marketplace.permissions import can_act_for_newcomer, require, roles
from marketplace.placements.models import Placement

bp = Blueprint("feedback", __name__)


def _sent() -> object:
    flash(
        _("Thank you for your feedback. It helps us make the places and our help better."),
        "success",
    )
    return redirect(url_for("newcomers.dashboard"))


def _refused(form: FeedbackForm, error: DomainError) -> None:
    db.session.rollback()
    show_error(form, error)


def _page(template: str, about: FeedbackAbout, **context):
    """The form page; after a POST it is shown again only because something was wrong."""
    status = 400 if request.method == "POST" else 200
    return render_template(
        template,
        about=about.value,
        questions=QUESTIONS[about],
        min_respondents=services.MIN_RESPONDENTS,
        **context,
    ), status


@bp.route("/me/placements/<int:placement_id>/feedback", methods=["GET", "POST"])
@roles(Role.NEWCOMER)
def place_feedback(placement_id: int):
    """The newcomer rates the place of their placement, during it and after it."""
    placement = db.get_or_404(Placement, placement_id)
    require(can_act_for_newcomer(current_user, placement.profile))
    today = clock.today()
    form = FeedbackForm(FeedbackAbout.PLACE)
    if form.validate_on_submit():
        try:
            services.give_place_feedback(db.session, current_user, placement, form.answers(), today)
        except DomainError as error:
            _refused(form, error)
        else:
            return _sent()
    return _page(
        "feedback/place.html",
        FeedbackAbout.PLACE,
        form=form,
        placement=placement,
        refusal=services.why_no_place_feedback(db.session, placement, today),
        earlier=services.feedback_on_placement(db.session, placement),
    )


@bp.route("/me/feedback", methods=["GET", "POST"])
@roles(Role.NEWCOMER)
def service_feedback():
    """The newcomer rates the municipality's help and this website."""
    profile = profile_of(db.session, current_user)
    require(can_act_for_newcomer(current_user, profile))
    today = clock.today()
    form = FeedbackForm(FeedbackAbout.SERVICE)
    if form.validate_on_submit():
        try:
            services.give_service_feedback(db.session, current_user, profile, form.answers(), today)
        except DomainError as error:
            _refused(form, error)
        else:
            return _sent()
    return _page(
        "feedback/service.html",
        FeedbackAbout.SERVICE,
        form=form,
        refusal=services.why_no_service_feedback(db.session, profile, today),
        earlier=services.service_feedback_of(db.session, profile),
    )
