"""Pages of the second login step: setting up the authenticator app, giving its code or a
recovery code, and managing both from the account page."""

from __future__ import annotations

import io

import segno
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from marketplace import db
from marketplace.accounts import mfa, services
from marketplace.accounts.mfa_forms import CodeForm, PasswordCheckForm, RecoveryCodeForm
from marketplace.accounts.models import User
from marketplace.accounts.urls import dashboard_url, safe_next
from marketplace.accounts.views import attempt, sign_in
from marketplace.permissions import SECOND_STEP_ROLES, before_second_step, roles

bp = Blueprint("mfa", __name__)


def _user() -> User:
    return current_user._get_current_object()


def _ip() -> str:
    return request.remote_addr or ""


def _continue():
    """Where to go after the second step: the page asked for, or the start page."""
    return redirect(safe_next(request.args.get("next")) or dashboard_url(_user()))


def _passed(message: str | None = None):
    """The second step is done: a new session token, with the step recorded on it."""
    sign_in(_user(), mfa_passed=True)
    if message:
        flash(message, "info")
    return _continue()


@bp.route("/mfa", methods=["GET", "POST"])
@roles(*SECOND_STEP_ROLES)
@before_second_step
def verify():
    """Give the code from the authenticator app."""
    user = _user()
    if not mfa.is_enrolled(user):
        return redirect(url_for("mfa.setup", next=request.args.get("next")))
    form = CodeForm()
    passed, _ = attempt(form, lambda: mfa.verify(db.session, user, form.code.data, _ip()))
    if passed:
        return _passed()
    status = 400 if form.errors else 200
    return render_template("accounts/mfa_verify.html", form=form), status


@bp.route("/mfa/recovery", methods=["GET", "POST"])
@roles(*SECOND_STEP_ROLES)
@before_second_step
def recovery():
    """Use a recovery code when the phone with the app is lost."""
    user = _user()
    if not mfa.is_enrolled(user):
        return redirect(url_for("mfa.setup", next=request.args.get("next")))
    form = RecoveryCodeForm()
    passed, left = attempt(
        form, lambda: mfa.verify_recovery_code(db.session, user, form.code.data, _ip())
    )
    if passed:
        message = ngettext(
            "You have %(num)d recovery code left. Make new ones on your account page.",
            "You have %(num)d recovery codes left. Make new ones on your account page.",
            left,
        )
        return _passed(message)
    status = 400 if form.errors else 200
    return render_template("accounts/mfa_recovery.html", form=form), status


@bp.route("/mfa/setup", methods=["GET", "POST"])
@roles(*SECOND_STEP_ROLES)
@before_second_step
def setup():
    """Set up the authenticator app: scan the code (or type the key), then give a code."""
    user = _user()
    if mfa.is_enrolled(user):
        return redirect(url_for("mfa.verify", next=request.args.get("next")))
    secret = mfa.proposed_secret(db.session, user)
    form = CodeForm()
    confirmed, codes = attempt(
        form, lambda: mfa.confirm_enrolment(db.session, user, form.code.data, _ip())
    )
    if confirmed:
        sign_in(user, mfa_passed=True)
        return render_template(
            "accounts/mfa_recovery_codes.html",
            codes=codes,
            next_url=safe_next(request.args.get("next")) or dashboard_url(user),
        )
    status = 400 if form.errors else 200
    return render_template(
        "accounts/mfa_setup.html", form=form, secret=mfa.readable_secret(secret)
    ), status


@bp.route("/mfa/setup/qr.svg")
@roles(*SECOND_STEP_ROLES)
@before_second_step
def qr_code():
    """The QR code for the app, as an image (the key is also on the page as text)."""
    user = _user()
    if mfa.is_enrolled(user) or user.totp_secret is None:
        return redirect(url_for("mfa.setup"))
    qr = segno.make(mfa.provisioning_uri(user, user.totp_secret), error="m")
    image = io.BytesIO()
    qr.save(image, kind="svg", scale=5, border=2, title=_("QR code for your authenticator app"))
    return Response(image.getvalue(), mimetype="image/svg+xml")


@bp.route("/account/two-step", methods=["GET"])
@roles(*SECOND_STEP_ROLES)
def manage():
    """The account's second step: recovery codes left, new codes, a new phone."""
    return render_template(
        "accounts/mfa_manage.html",
        left=mfa.recovery_codes_left(db.session, _user()),
        form=PasswordCheckForm(),
    )


def _password_confirmed(form: PasswordCheckForm):
    """None when the password was given again correctly; otherwise the page again (400)."""
    user = _user()
    confirmed, _ = attempt(
        form, lambda: services.confirm_password(db.session, user, form.password.data, _ip())
    )
    if confirmed:
        return None
    left = mfa.recovery_codes_left(db.session, user)
    return render_template("accounts/mfa_manage.html", left=left, form=form), 400


@bp.route("/account/two-step/recovery-codes", methods=["POST"])
@roles(*SECOND_STEP_ROLES)
def new_recovery_codes():
    """Replace the recovery codes (after giving the password again); shown once."""
    form = PasswordCheckForm()
    refused = _password_confirmed(form)
    if refused is not None:
        return refused
    codes = mfa.new_recovery_codes(db.session, _user(), _ip())
    return render_template(
        "accounts/mfa_recovery_codes.html", codes=codes, next_url=url_for("mfa.manage")
    )


@bp.route("/account/two-step/reset", methods=["POST"])
@roles(*SECOND_STEP_ROLES)
def reset():
    """A new phone: forget the old app (after giving the password again) and set up anew."""
    form = PasswordCheckForm()
    refused = _password_confirmed(form)
    if refused is not None:
        return refused
    user = _user()
    mfa.reset(db.session, user, user, _ip(), by_self=True)
    sign_in(user)  # every other session ended; this one waits for the new app
    flash(_("Set up your authenticator app again. Your old codes no longer work."), "info")
    return redirect(url_for("mfa.setup"))
