"""Administration: every account, creating staff accounts, deactivating and reactivating,
switching off a lost authenticator app."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import db
from marketplace.accounts import mfa, services
from marketplace.accounts.forms import ConfirmForm, CreateStaffForm
from marketplace.accounts.models import Role, User
from marketplace.domain import DomainError
from marketplace.organisations.services import unverified_organisations
from marketplace.permissions import roles

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@roles(Role.ADMIN)
def dashboard():
    """The administrator's start page."""
    counts = dict(
        db.session.execute(sa.select(User.role, sa.func.count()).group_by(User.role)).all()
    )
    return render_template(
        "admin/dashboard.html",
        counts=counts,
        roles=Role,
        unverified=unverified_organisations(db.session),
    )


@bp.route("/users")
@roles(Role.ADMIN)
def users():
    """Every account, by role and name."""
    rows = db.session.scalars(sa.select(User).order_by(User.role, User.name)).all()
    return render_template("admin/users.html", users=rows, form=ConfirmForm())


@bp.route("/users/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def new_user():
    """Create a consultant or administrator; they set their own password from a link."""
    form = CreateStaffForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                db.session,
                email=form.email.data,
                name=form.name.data,
                role=Role(form.role.data),
                language=form.language.data,
            )
            link = services.invite(db.session, current_user, user)
        except DomainError as error:
            db.session.rollback()
            form.email.errors = [*form.email.errors, error.message]
        else:
            return render_template("admin/invited.html", user=user, link=link)
    return render_template("admin/new_user.html", form=form)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@roles(Role.ADMIN)
def toggle_active(user_id: int):
    """Deactivate an account (its sessions end at once) or activate it again."""
    user = db.get_or_404(User, user_id)
    try:
        services.set_active(db.session, current_user, user, not user.active)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        message = (
            _("%(name)s can log in again.")
            if user.active
            else _("%(name)s cannot log in any more.")
        )
        flash(message % {"name": user.name}, "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/two-step", methods=["POST"])
@roles(Role.ADMIN)
def reset_second_step(user_id: int):
    """Switch off someone's authenticator app (lost phone, no recovery codes left).

    They set up a new one at their next login; their sessions end now.
    """
    user = db.get_or_404(User, user_id)
    try:
        mfa.reset(db.session, current_user, user, request.remote_addr)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(
            _("%(name)s sets up the second login step again at the next login.")
            % {"name": user.name},
            "success",
        )
    return redirect(url_for("admin.users"))
