"""My data: the newcomer's readable page and JSON download, and erasure on request."""

from __future__ import annotations

import json

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import db
from marketplace.accounts.models import Role
from marketplace.accounts.sessions import fresh_login_required
from marketplace.audit.services import record_event
from marketplace.clock import today
from marketplace.domain import DomainError
from marketplace.forms import show_error
from marketplace.permissions import can_decide_erasure, require, roles
from marketplace.privacy import erasure, export, forms
from marketplace.privacy.models import ErasureRequest

bp = Blueprint("privacy", __name__)


@bp.route("/me/data")
@roles(Role.NEWCOMER)
def my_data():
    """Everything stored about the newcomer, as a page in sections."""
    return render_template("privacy/my_data.html", data=export.collect(db.session, current_user))


@bp.route("/me/data.json")
@roles(Role.NEWCOMER)
@fresh_login_required
def my_data_json():
    """Everything stored about the newcomer, as a JSON file to keep; the download is logged."""
    document = export.export_newcomer(db.session, current_user)
    record_event(
        db.session, "newcomer_data_export", actor=current_user, subject_user_id=current_user.id
    )
    response = current_app.response_class(
        json.dumps(document, ensure_ascii=False, indent=2), mimetype="application/json"
    )
    filename = f"my-data-{today().isoformat()}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/me/data/erase", methods=["GET", "POST"])
@roles(Role.NEWCOMER)
def erase():
    """What erasure removes and what is kept, and asking for it (or the request that waits)."""
    form = forms.ErasureRequestForm()
    if form.validate_on_submit():
        try:
            erasure.request_erasure(db.session, current_user, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            flash(_("We sent your request to your consultant."), "success")
            return redirect(url_for("privacy.erase"))
    return render_template(
        "privacy/erase.html",
        form=form,
        pending=erasure.open_request_of(db.session, current_user),
        erased=erasure.ERASED,
        kept=erasure.KEPT,
    ), (400 if request.method == "POST" else 200)


@bp.route("/me/data/erase/cancel", methods=["POST"])
@roles(Role.NEWCOMER)
def cancel_erasure():
    """The newcomer takes back their request to erase their data."""
    if forms.ConfirmForm().validate_on_submit():
        try:
            erasure.cancel_erasure(db.session, current_user)
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("You cancelled your request. Your data stays as it is."), "success")
    return redirect(url_for("privacy.erase"))


@bp.route("/caseload/erasure-requests")
@roles(Role.CONSULTANT)
def erasure_requests():
    """The open requests to erase data from the consultant's own caseload (each read logged)."""
    waiting = erasure.open_requests_for(db.session, current_user)
    for erasure_request, user in waiting:
        record_event(
            db.session,
            "newcomer_erasure_request_read",
            actor=current_user,
            subject_user_id=user.id,
            obj=erasure_request,
            ip=request.remote_addr,
            page="erasure-requests",
        )
    return render_template(
        "privacy/erasure_requests.html",
        waiting=waiting,
        erased=erasure.ERASED,
        kept=erasure.KEPT,
    )


@bp.route("/caseload/erasure-requests/<int:request_id>/carry-out", methods=["POST"])
@roles(Role.CONSULTANT)
def carry_out(request_id: int):
    """The consultant erases the newcomer's data as asked; the records in KEPT stay."""
    erasure_request = db.get_or_404(ErasureRequest, request_id)
    profile = erasure.profile_of_request(db.session, erasure_request)
    require(can_decide_erasure(current_user, profile))
    if forms.ConfirmForm().validate_on_submit():
        try:
            erasure.carry_out_erasure(db.session, current_user, erasure_request)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            flash(_("The data is erased. The account is closed."), "success")
    return redirect(url_for("privacy.erasure_requests"))
