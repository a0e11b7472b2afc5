"""Newcomer pages: the newcomer's own start page, and the consultant's caseload."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import clock, db
from marketplace.accounts.models import Role
from marketplace.domain import DomainError
from marketplace.feedback.services import STAGE_OF
from marketplace.forms import show_error
from marketplace.geo.services import municipalities
from marketplace.newcomers import forms, services
from marketplace.newcomers.caseload import attention_for
from marketplace.newcomers.caseload_filters import (
    CaseloadFilterForm,
    municipalities_in,
)
from marketplace.newcomers.intake import usual_municipality
from marketplace.permissions import can_act_for_newcomer, require, roles
from marketplace.placements import services as placements
from marketplace.placements import timeline
from marketplace.placements.models import Placement
from marketplace.places.models import Place
from marketplace.places.services import is_public, places_by_id
from marketplace.plans.path import RUNGS, expectations
from marketplace.plans.services import plan_in_force
from marketplace.search import sync
from marketplace.search.matching import explain, matches_for, near_misses_for
from marketplace.search.output import newcomer_ref

bp = Blueprint("newcomers", __name__)

#: how many places "For you" shows, and how many near misses below them
FOR_YOU = 10
NEAR_MISSES = 5


@bp.route("/me")
@roles(Role.NEWCOMER)
def dashboard():
    """The newcomer's start page, with their placements and the next step of each."""
    profile = services.profile_of(db.session, current_user)
    plan = plan_in_force(db.session, profile) if profile else None
    ahead = [e for e in expectations(plan, clock.today()) if not e.done]  # passed ones first
    return render_template(
        "newcomers/dashboard.html",
        profile=profile,
        next_date=ahead[0] if ahead else None,
        placements=placements.placements_of(db.session, profile) if profile else [],
        next_step=timeline.next_step,
    )


@bp.route("/me/welcome")
@roles(Role.NEWCOMER)
def welcome():
    """The first page after the invitation: what this site is, who sees what, what to do."""
    profile = services.profile_of(db.session, current_user)
    return render_template("newcomers/welcome.html", profile=profile)


@bp.route("/me/places")
@roles(Role.NEWCOMER)
def for_you():
    """The places that fit the newcomer best, with the reasons, and the near misses."""
    profile = services.profile_of(db.session, current_user)
    sync.catch_up()
    matches = matches_for(db.session, profile, clock.today(), FOR_YOU)
    near = near_misses_for(db.session, profile, clock.today(), NEAR_MISSES)
    places = places_by_id(db.session, [m.place_id for m in matches] + [n.place_id for n in near])
    return render_template(
        "newcomers/for_you.html",
        profile=profile,
        matches=[(places[m.place_id], m) for m in matches if m.place_id in places],
        near=[(places[n.place_id], n) for n in near if n.place_id in places],
        travel_mode=profile.travel_mode.value if profile.travel_mode else None,
    )


@bp.route("/me/places/<int:place_id>")
@roles(Role.NEWCOMER)
def why(place_id: int, form: forms.InterestForm | None = None, status: int = 200):
    """For one place: does it fit, what is in the way, and showing interest in it."""
    place = db.get_or_404(Place, place_id)
    require(is_public(place, clock.today()))
    profile = services.profile_of(db.session, current_user)
    found, place_fit = explain(db.session, profile, place, clock.today())
    return render_template(
        "newcomers/why.html",
        place=place,
        misses=found,
        fit=place_fit,
        travel_mode=profile.travel_mode.value if profile.travel_mode else None,
        form=form or forms.InterestForm(),
        placement=placements.open_placement(db.session, profile, place),
    ), status


@bp.route("/me/places/<int:place_id>/interest", methods=["POST"])
@roles(Role.NEWCOMER)
def show_interest(place_id: int):
    """The newcomer would like this place; their consultant takes the next step."""
    place = db.get_or_404(Place, place_id)
    form = forms.InterestForm()
    if form.validate_on_submit():
        profile = services.profile_of(db.session, current_user)
        try:
            placements.show_interest(
                db.session, current_user, profile, place, form.message.data, request.remote_addr
            )
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            flash(
                _("Thank you. Your consultant will see your interest and contact you."), "success"
            )
            return redirect(url_for("newcomers.dashboard"))
    return why(place_id, form=form, status=400)


@bp.route("/me/placements/<int:placement_id>/withdraw", methods=["POST"])
@roles(Role.NEWCOMER)
def withdraw(placement_id: int):
    """The newcomer steps back from a placement that was not approved yet."""
    placement = db.get_or_404(Placement, placement_id)
    require(can_act_for_newcomer(current_user, placement.profile))
    try:
        placements.withdraw(db.session, current_user, placement, request.remote_addr)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("You withdrew. You can show interest again later."), "success")
    return redirect(url_for("newcomers.placement", placement_id=placement.id))


@bp.route("/me/placements/<int:placement_id>")
@roles(Role.NEWCOMER)
def placement(placement_id: int, form: forms.AnswerForm | None = None, status: int = 200):
    """One placement: every step so far, the next step and who takes it, and the choices."""
    found = db.get_or_404(Placement, placement_id)
    require(can_act_for_newcomer(current_user, found.profile))
    return render_template(
        "newcomers/placement.html",
        placement=found,
        steps=timeline.steps(found),
        next_step=timeline.next_step(found),
        withdrawable=placements.WITHDRAWABLE,
        feedback_open=found.status in STAGE_OF,
        place_public=is_public(found.place, clock.today()),
        form=form or forms.AnswerForm(),
    ), status


@bp.route("/me/placements/<int:placement_id>/answer", methods=["POST"])
@roles(Role.NEWCOMER)
def answer(placement_id: int):
    """The newcomer's yes or no to a proposal: their decision, never the consultant's."""
    found = db.get_or_404(Placement, placement_id)
    require(can_act_for_newcomer(current_user, found.profile))
    form = forms.AnswerForm()
    if form.validate_on_submit():
        yes = form.answer.data == "yes"
        try:
            placements.answer_proposal(
                db.session, current_user, found, yes, form.reason.data, request.remote_addr
            )
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            flash(
                _("Thank you. Your consultant now plans a first meeting with the place.")
                if yes
                else _("Thank you for letting us know. We will not go ahead with this place."),
                "success",
            )
            return redirect(url_for("newcomers.placement", placement_id=found.id))
    return placement(placement_id, form=form, status=400)


@bp.route("/caseload")
@roles(Role.CONSULTANT)
def caseload():
    """The consultant's start page: their newcomers, who needs attention first, filters."""
    profiles = services.caseload(db.session, current_user)
    form = CaseloadFilterForm(request.args, municipalities_in(profiles))
    weeks = current_app.config["CASELOAD_NO_PLACEMENT_WEEKS"]
    rows = attention_for(db.session, profiles, clock.today(), weeks)
    valid = form.validate()
    return render_template(
        "newcomers/caseload.html",
        form=form,
        rows=[row for row in rows if form.keeps(row)] if valid else [],
        total=len(rows),
        needing_attention=sum(1 for row in rows if row.items),
        newcomer_ref=newcomer_ref,
        rungs=RUNGS,
    ), 200 if valid else 400


@bp.route("/caseload/new", methods=["GET", "POST"])
@roles(Role.CONSULTANT)
def new_newcomer():
    """Add a newcomer: their account, the start of their profile, and an invitation link."""
    form = forms.NewNewcomerForm()
    if not form.is_submitted():
        form.municipality.data = usual_municipality(db.session, current_user)
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
                municipality=form.municipality.data,
            )
        except DomainError as error:
            db.session.rollback()
            target = form.municipality if error.field == "municipality" else form.email
            target.errors = [*target.errors, error.message]
        else:
            return render_template(
                "newcomers/invited.html", profile=profile, link=link, ref=newcomer_ref(profile)
            )
    return render_template(
        "newcomers/new.html", form=form, municipalities=municipalities(db.session)
    )
