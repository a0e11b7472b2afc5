"""Placing: the consultant's placements page for a newcomer, and the host's candidates.

Every step goes through ``workflow.take``; these views only show the steps the reader may
take now (``workflow.steps_for``) and turn a refusal into a message.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace import clock, db
from marketplace.accounts.models import Role
from marketplace.domain import DomainError
from marketplace.forms import show_error
from marketplace.newcomers.casefile import file_of, opens
from marketplace.newcomers.profile_parts import shared_view
from marketplace.newcomers.services import profile_by_ref
from marketplace.permissions import require, roles
from marketplace.placements import checkins, workflow
from marketplace.placements.forms import CheckInForm, HostViewForm, ProposeForm, StepForm
from marketplace.placements.models import OPEN_STATUSES, CheckIn, Placement
from marketplace.placements.services import hosted_placements, placements_of
from marketplace.places.models import Place
from marketplace.places.services import places_by_id
from marketplace.places.slugs import slugify
from marketplace.search import sync
from marketplace.search.matching import matches_for
from marketplace.search.output import newcomer_ref
from marketplace.transactions import commit_despite_error

bp = Blueprint("placing", __name__)
PROPOSALS = 10

#: the button of each step, as the consultant or host reads it
STEP_WORDS = {
    workflow.Step.INTRODUCE: _l("Plan the introduction"),
    workflow.Step.HOST_ACCEPT: _l("Yes, we want to go on"),
    workflow.Step.HOST_DECLINE: _l("No, we do not go on"),
    workflow.Step.APPROVE: _l("Approve (takes a spot)"),
    workflow.Step.START: _l("Started"),
    workflow.Step.COMPLETE: _l("Finished"),
    workflow.Step.END_EARLY: _l("Ended early"),
    workflow.Step.DECLINE: _l("Do not go on"),
    workflow.Step.WITHDRAW: _l("Withdraw"),
}
#: the steps that ask for a date, and those that ask for a reason
WITH_DATE = {
    workflow.Step.INTRODUCE,
    workflow.Step.START,
    workflow.Step.COMPLETE,
    workflow.Step.END_EARLY,
}


@bp.route("/caseload/<ref>/placements")
@roles(Role.CONSULTANT)
def of_newcomer(ref: str):
    """A newcomer's placements with the next steps, and places to propose (audit-logged)."""
    profile = file_of(ref, "placements")
    sync.catch_up()
    placements = placements_of(db.session, profile)
    already = {p.place_id for p in placements if p.status in OPEN_STATUSES}
    matches = [
        m
        for m in matches_for(db.session, profile, clock.today(), PROPOSALS + len(already))
        if m.place_id not in already
    ][:PROPOSALS]
    places = places_by_id(db.session, [m.place_id for m in matches])
    return render_template(
        "placements/of_newcomer.html",
        profile=profile,
        ref=newcomer_ref(profile),
        placements=placements,
        matches=[(places[m.place_id], m) for m in matches if m.place_id in places],
        steps_for=workflow.steps_for,
        step_words=STEP_WORDS,
        with_date=WITH_DATE,
        needs_reason=workflow.NEEDS_REASON,
        form=StepForm(),
    )


@bp.route("/places/<int:place_id>/propose", methods=["POST"])
@roles(Role.CONSULTANT)
def propose(place_id: int):
    """Propose a place to a newcomer of the caseload; the newcomer gets a message and decides."""
    place = db.get_or_404(Place, place_id)
    form = ProposeForm()
    profile = profile_by_ref(db.session, form.newcomer.data or "")
    if not form.validate_on_submit() or not opens(profile, "placements"):
        flash(_("Choose a newcomer of your caseload."), "error")
        return redirect(url_for("places.detail", place_id=place.id, slug=slugify(place.title)))
    try:
        workflow.propose(
            db.session, current_user, profile, place, clock.today(), request.remote_addr
        )
    except DomainError as error:
        db.session.rollback()
        opens(profile, "placements")
        commit_despite_error()
        flash(str(error.message), "error")
    else:
        flash(_("Proposed. The newcomer gets a message and decides."), "success")
    return redirect(url_for("placing.of_newcomer", ref=newcomer_ref(profile)))


@bp.route("/caseload/placements/<int:placement_id>/<step>", methods=["POST"])
@roles(Role.CONSULTANT)
def take_step(placement_id: int, step: str):
    """One step of a placement by the newcomer's consultant."""
    placement = _take(placement_id, step)
    ended = placement.has_ended and step in (workflow.Step.COMPLETE, workflow.Step.END_EARLY)
    if ended and placement.outcome is None:  # record the outcome now, so it is not forgotten
        return redirect(url_for("outcomes.record", placement_id=placement.id))
    return redirect(url_for("placing.of_newcomer", ref=newcomer_ref(placement.profile)))


@bp.route("/organisation/placements/<int:placement_id>/<step>", methods=["POST"])
@roles(Role.EMPLOYER)
def host_step(placement_id: int, step: str):
    """The host's yes or no after the introduction."""
    _take(placement_id, step)
    return redirect(url_for("placing.candidates"))


def _take(placement_id: int, step: str) -> Placement:
    """Take the step if this user may (404 otherwise), with a message either way; a place
    with no free spot left answers 409 with a page that says so."""
    placement = db.get_or_404(Placement, placement_id)
    require(step in set(workflow.Step))
    chosen = workflow.Step(step)
    require(workflow.acts_as(current_user, placement, workflow.RULES[chosen].actor))
    form = StepForm()
    if form.validate_on_submit():
        try:
            workflow.take(
                db.session,
                current_user,
                placement,
                chosen,
                reason=form.reason.data,
                on=form.on.data,
                ip=request.remote_addr,
            )
        except DomainError as error:
            db.session.rollback()
            if error.message == workflow.PLACE_FULL:
                _refuse_place_full(placement)
            flash(str(error.message), "error")
        else:
            flash(_("Done: %(step)s.", step=STEP_WORDS[chosen]), "success")
    else:
        for errors in form.errors.values():
            flash(str(errors[0]), "error")
    return placement


def _refuse_place_full(placement: Placement):
    """409: the last spot went to someone else; the refusal stays in the audit log."""
    workflow.audit_step(
        db.session,
        current_user,
        placement,
        workflow.Step.APPROVE,
        result="place_full",
        ip=request.remote_addr,
    )
    commit_despite_error()
    page = render_template(
        "placements/place_full.html",
        message=workflow.PLACE_FULL,
        place=placement.place,
        ref=newcomer_ref(placement.profile),
    )
    abort(make_response(page, 409))


@bp.route("/caseload/placements/<int:placement_id>/check-in", methods=["GET", "POST"])
@roles(Role.CONSULTANT)
def check_in(placement_id: int):
    """Record a talk about how an active placement goes (the newcomer's file: audit-logged)."""
    placement = db.get_or_404(Placement, placement_id)
    require(opens(placement.profile, "check-in"))
    form = CheckInForm()
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            answers = checkins.CheckInAnswers(
                **{name: form[name].data for name in checkins.CheckInAnswers.__dataclass_fields__}
                | {"ladder_rung": int(form.ladder_rung.data)}
            )
            try:
                checkins.record_check_in(
                    db.session, current_user, placement, answers, clock.today()
                )
            except DomainError as error:
                db.session.rollback()
                opens(placement.profile, "check-in")
                show_error(form, error)
            else:
                flash(_("The check-in is saved."), "success")
                return redirect(url_for("placing.of_newcomer", ref=newcomer_ref(placement.profile)))
        commit_despite_error()  # nothing was saved, but the opening of the file stays logged
    return render_template(
        "placements/check_in.html",
        placement=placement,
        ref=newcomer_ref(placement.profile),
        form=form,
        map_hours=checkins.map_hours(db.session, placement.profile),
    ), status


@bp.route("/organisation/check-ins/<int:check_in_id>/view", methods=["POST"])
@roles(Role.EMPLOYER)
def host_view(check_in_id: int):
    """The host adds how they see it to a check-in at their place."""
    found = db.get_or_404(CheckIn, check_in_id)
    require(workflow.acts_as(current_user, found.placement, workflow.Actor.HOST))
    form = HostViewForm()
    if form.validate_on_submit():
        try:
            checkins.add_host_view(db.session, current_user, found, form.view.data)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            flash(_("Thank you. The consultant reads your view."), "success")
    else:
        for errors in form.errors.values():
            flash(str(errors[0]), "error")
    return redirect(url_for("placing.candidates"))


@bp.route("/organisation/candidates")
@roles(Role.EMPLOYER)
def candidates():
    """The newcomers at the organisation's places, with only what each chose to share."""
    found = hosted_placements(db.session, current_user.organisation_id)
    return render_template(
        "placements/candidates.html",
        placements=found,
        shared={p.id: shared_view(p.profile) for p in found},
        view_form=HostViewForm(),
        steps_for=workflow.steps_for,
        step_words=STEP_WORDS,
        needs_reason=workflow.NEEDS_REASON,
        form=StepForm(),
    )
