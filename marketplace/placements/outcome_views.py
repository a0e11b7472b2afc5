"""The consultant's pages for the outcome of an ended placement and for its follow-ups.

Both pages are part of the newcomer's file: only their own consultant opens them, and each
opening is audit-logged. The newcomer reads the outcome in plain words on their own page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace import clock, db
from marketplace.accounts.models import Role
from marketplace.domain import DomainError
from marketplace.forms import show_error
from marketplace.newcomers.casefile import opens
from marketplace.permissions import require, roles
from marketplace.placements import outcomes
from marketplace.placements.models import FollowUp, Outcome, OutcomeResult, Placement
from marketplace.placements.outcome_forms import (
    FollowUpForm,
    OutcomeForm,
    follow_up_answers,
    follow_up_data,
    outcome_answers,
    outcome_data,
)
from marketplace.search.output import newcomer_ref
from marketplace.transactions import commit_despite_error

bp = Blueprint("outcomes", __name__)

#: how an outcome reads on the newcomer's own page
IN_PLAIN_WORDS = {
    OutcomeResult.PAID_JOB_HOST: _l("You found paid work at this place."),
    OutcomeResult.PAID_JOB: _l("You found paid work at another place."),
    OutcomeResult.EDUCATION: _l("You started an education."),
    OutcomeResult.CONTINUED_PARTICIPATION: _l("You go on at a new participation place."),
    OutcomeResult.STOPPED: _l("You stopped with this place."),
}


@bp.route("/caseload/placements/<int:placement_id>/outcome", methods=["GET", "POST"])
@roles(Role.CONSULTANT)
def record(placement_id: int):
    """Record or correct how an ended placement turned out (the newcomer's file: audit-logged)."""
    placement = db.get_or_404(Placement, placement_id)
    require(opens(placement.profile, "outcome"))
    posted = request.method == "POST"
    form = OutcomeForm(data=None if posted else outcome_data(placement.outcome))

    def save():
        outcomes.record_outcome(
            db.session,
            current_user,
            placement,
            outcome_answers(form),
            clock.today(),
            seen=form.seen(),
        )

    if posted and _saved(form, placement, "outcome", save):
        flash(_("The outcome is saved. The follow-ups are planned."), "success")
        return redirect(url_for("placing.of_newcomer", ref=newcomer_ref(placement.profile)))
    if posted and placement.outcome is not None:  # saved meanwhile: saving again corrects it
        form.outcome_id.data = str(placement.outcome.id)
    return render_template(
        "outcomes/record.html",
        placement=placement,
        ref=newcomer_ref(placement.profile),
        form=form,
        ended=placement.has_ended,
    ), (400 if posted else 200)


@bp.route("/caseload/follow-ups/<int:follow_up_id>", methods=["GET", "POST"])
@roles(Role.CONSULTANT)
def follow_up(follow_up_id: int):
    """Record or correct a follow-up after 3, 6 or 12 months (the newcomer's file: audit-logged)."""
    found = db.get_or_404(FollowUp, follow_up_id)
    placement = found.outcome.placement
    require(opens(placement.profile, "follow_up"))
    posted = request.method == "POST"
    form = FollowUpForm(data=None if posted else follow_up_data(found))

    def save():
        outcomes.record_follow_up(
            db.session, current_user, found, follow_up_answers(form), clock.today()
        )

    if posted and _saved(form, placement, "follow_up", save):
        flash(_("The follow-up is saved."), "success")
        return redirect(url_for("placing.of_newcomer", ref=newcomer_ref(placement.profile)))
    return render_template(
        "outcomes/follow_up.html",
        follow_up=found,
        placement=placement,
        ref=newcomer_ref(placement.profile),
        form=form,
        opens_on=outcomes.opens_on(found),
    ), (400 if posted else 200)


def _saved(form, placement: Placement, page: str, save: Callable[[], None]) -> bool:
    """Validate and save; on a refusal, undo everything but the logged opening of the file."""
    if form.validate():
        try:
            save()
        except DomainError as error:
            db.session.rollback()
            opens(placement.profile, page)
            show_error(form, error)
        else:
            return True
    commit_despite_error()  # nothing was saved, but the opening of the file stays logged
    return False


class Status(NamedTuple):
    state: outcomes.FollowUpState
    words: str


@bp.app_template_global()
def follow_up_status(found: FollowUp) -> Status:
    """Whether a follow-up is done, due or late, in words with its date (for the pages)."""
    state = outcomes.follow_up_state(found, clock.today())
    due = format_date(found.due_on, "long")
    if state is outcomes.FollowUpState.DONE:
        words = _("Done")
    elif state is outcomes.FollowUpState.OVERDUE:
        words = _("Late: it was due on %(date)s", date=due)
    else:
        words = _("Due on %(date)s", date=due)
    return Status(state, words)


@bp.app_template_global()
def outcome_in_plain_words(outcome: Outcome) -> str:
    """How a placement ended, as the newcomer reads it on their own page."""
    return str(IN_PLAIN_WORDS[outcome.result])
