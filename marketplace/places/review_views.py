"""The consultants' review of places: the queue, oldest first, and one decision per place."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import db
from marketplace.accounts.models import Role
from marketplace.domain import DomainError
from marketplace.forms import choices
from marketplace.labels import LABELS, label
from marketplace.permissions import roles
from marketplace.places import services
from marketplace.places.forms import DisplacementForm, ReviewForm, outline
from marketplace.places.models import Place, PlaceStatus, ReviewDecision
from marketplace.places.rules import current_values, review_flags

bp = Blueprint("review", __name__, url_prefix="/review")

NEW_PLACE_DECISIONS = (
    ReviewDecision.PUBLISHED,
    ReviewDecision.CHANGES_REQUESTED,
    ReviewDecision.REJECTED,
)
CHANGE_DECISIONS = (ReviewDecision.CHANGE_APPROVED, ReviewDecision.CHANGE_REJECTED)


@bp.route("/")
@roles(Role.CONSULTANT)
def queue():
    """Places waiting for a check, oldest first, with their warnings."""
    places = services.review_queue(db.session)
    return render_template(
        "review/queue.html", items=[(place, review_flags(place)) for place in places]
    )


@bp.route("/<int:place_id>", methods=["GET", "POST"])
@roles(Role.CONSULTANT)
def place(place_id: int):
    """Read a place with its displacement answers and warnings, and decide."""
    place = db.get_or_404(Place, place_id)
    decisions = _decisions_for(place)
    if not decisions:
        abort(404)  # nothing to review here (any more)
    form = ReviewForm()
    form.decision.choices = choices((d.value, LABELS[ReviewDecision][d]) for d in decisions)
    if form.validate_on_submit():
        try:
            services.decide(
                db.session,
                current_user,
                place,
                ReviewDecision(form.decision.data),
                form.comment.data,
            )
        except DomainError as error:
            db.session.rollback()
            target = form.comment if error.field == "comment" else form.decision
            target.errors = [*target.errors, error.message]
        else:
            flash(
                _(
                    "Your decision on “%(title)s” is saved: %(decision)s.",
                    title=place.title,
                    decision=label(ReviewDecision(form.decision.data)),
                ),
                "success",
            )
            return redirect(url_for("review.queue"))
    changes = {
        field: value
        for field, value in current_values(place).items()
        if field in (place.pending_changes or {})
    }
    field_labels = {name: text for _step, _title, fields in outline() for name, text in fields}
    displacement = DisplacementForm(formdata=None, meta={"csrf": False})
    return render_template(
        "review/place.html",
        place=place,
        form=form,
        flags=review_flags(place),
        changes=changes,
        field_labels=field_labels,
        displacement=[(f.name, f.label.text) for f in displacement],
    )


def _decisions_for(place: Place) -> tuple[ReviewDecision, ...]:
    if place.status == PlaceStatus.SUBMITTED:
        return NEW_PLACE_DECISIONS
    if place.changes_submitted_at is not None:
        return CHANGE_DECISIONS
    return ()
