"""Account pages: sign in and out, passwords, invitations, employer sign-up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_user, logout_user

from marketplace import db
from marketplace.accounts import forms, mfa, services
from marketplace.accounts.mfa_forms import PasswordCheckForm
from marketplace.accounts.models import Role, TokenPurpose
from marketplace.accounts.sessions import SESSION_KEY, revoke_session, start_session
from marketplace.accounts.urls import dashboard_url, safe_next
from marketplace.audit.services import record_event
from marketplace.domain import DomainError
from marketplace.errors import render_error
from marketplace.forms import show_error
from marketplace.permissions import (
    ANY_ROLE,
    before_second_step,
    needs_second_step,
    roles,
    second_step_passed,
)
from marketplace.transactions import commit_despite_error

bp = Blueprint("accounts", __name__)


def sign_in(user, mfa_passed: bool = False) -> None:
    """Start a fresh session: a new cookie and a new server-side token (no fixation).

    Also after the second step, which raises what the session may do (R19). A language the
    visitor chose before signing in becomes the account's language.
    """
    language = session.get("language")
    revoke_session(db.session, session.get(SESSION_KEY))
    session.clear()
    session[SESSION_KEY] = start_session(db.session, user, mfa_passed=mfa_passed)
    if language:
        services.set_language(db.session, user, language)
    login_user(user)


def too_many_attempts(retry_after: int):
    """The 429 page; the refusal is audited, so the transaction is kept."""
    commit_despite_error()
    body, code = render_error(429)
    return body, code, {"Retry-After": str(retry_after)}


def attempt(form, check: Callable[[], Any]) -> tuple[bool, Any]:
    """Run a check of a secret (a password given again, a code) for a posted form.

    Returns (True, what the check returned), or (False, None) when the form was not posted or
    the check failed: its message then shows at the field, and the failed try is kept for the
    throttle and the audit log. Too many tries answer 429 at once.
    """
    if not form.validate_on_submit():
        return False, None
    try:
        return True, check()
    except (services.LoginThrottled, mfa.MfaThrottled) as error:
        abort(make_response(too_many_attempts(error.retry_after)))
    except DomainError as error:
        commit_despite_error()
        show_error(form, error)
    return False, None


def _show_domain_error(form, error: DomainError) -> None:
    """Undo what the failed service did, and show its message at the right field."""
    db.session.rollback()
    show_error(form, error)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with e-mail address and password."""
    if current_user.is_authenticated:
        return redirect(dashboard_url(current_user))
    form = forms.LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                db.session, form.email.data, form.password.data, request.remote_addr or ""
            )
        except services.LoginThrottled as error:
            return too_many_attempts(error.retry_after)
        except services.LoginFailed as error:
            form.form_errors.append(error.message)
        else:
            sign_in(user)
            next_url = safe_next(request.args.get("next"))
            if needs_second_step(user):
                step = "mfa.verify" if user.mfa_enabled_at else "mfa.setup"
                return redirect(url_for(step, next=next_url))
            return redirect(next_url or dashboard_url(user))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@roles(*ANY_ROLE)
@before_second_step
def logout():
    """Sign out: the session ends on the server too, so a copied cookie stops working."""
    record_event(db.session, "authn_logout", actor=current_user, subject_user_id=current_user.id)
    revoke_session(db.session, session.get(SESSION_KEY))
    logout_user()
    session.clear()
    # A page, not a redirect with a flash: the browser drops every cookie with this response.
    response = make_response(render_template("accounts/logged_out.html"))
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@bp.route("/account/password", methods=["GET", "POST"])
@roles(*ANY_ROLE)
def change_password():
    """Change your password; your other sessions end."""
    form = forms.ChangePasswordForm()
    form.account_email = current_user.email
    if form.validate_on_submit():
        try:
            services.change_password(
                db.session,
                current_user,
                form.current_password.data,
                form.new_password.data,
                keep_token=session.get(SESSION_KEY),
                ip=request.remote_addr or "",
            )
        except services.LoginThrottled as error:
            return too_many_attempts(error.retry_after)
        except DomainError as error:
            _show_domain_error(form, error)
        else:
            user = current_user._get_current_object()
            sign_in(user, mfa_passed=second_step_passed())  # a new session token too
            flash(
                _("Your password has been changed. You are logged out everywhere else."), "success"
            )
            return redirect(dashboard_url(current_user))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/account/confirm", methods=["GET", "POST"])
@roles(*ANY_ROLE)
def confirm_password():
    """Give the password again before something that needs a recent login (a data download)."""
    form = PasswordCheckForm()
    user = current_user._get_current_object()
    ip = request.remote_addr or ""
    confirmed, _ = attempt(
        form, lambda: services.confirm_password(db.session, user, form.password.data, ip)
    )
    if confirmed:
        sign_in(user, mfa_passed=second_step_passed())  # a new session: signed in just now
        return redirect(safe_next(request.args.get("next")) or dashboard_url(user))
    status = 400 if form.errors else 200
    return render_template("accounts/confirm_password.html", form=form), status


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    """Ask for a reset link; the answer is the same whether the address is known or not."""
    form = forms.ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(db.session, form.email.data, request.remote_addr)
        return render_template("accounts/reset_sent.html")
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Set a new password with the link from the e-mail."""
    try:
        services.find_valid_token(db.session, token, TokenPurpose.PASSWORD_RESET)
    except services.InvalidToken as error:
        return render_template("accounts/link_invalid.html", message=error.message), 404
    form = forms.ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(db.session, token, form.password.data)
        except DomainError as error:
            _show_domain_error(form, error)
        else:
            flash(_("Your password has been changed. You can log in now."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """Start using an account: choose a language, then a password."""
    try:
        invitation = services.find_valid_token(db.session, token, TokenPurpose.INVITATION)
    except services.InvalidToken as error:
        return render_template("accounts/link_invalid.html", message=error.message), 404
    if "language" not in session and invitation.user.language in current_app.config["LANGUAGES"]:
        # the page opens in the language the consultant noted; the newcomer can choose another
        session["language"] = invitation.user.language
        refresh()
    form = forms.AcceptInvitationForm(language=session.get("language", invitation.user.language))
    form.account_email = invitation.user.email
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(
                db.session, token, form.password.data, form.language.data
            )
        except DomainError as error:
            _show_domain_error(form, error)
        else:
            session["language"] = user.language  # the choice on this page wins
            sign_in(user)
            flash(_("Welcome! Your account is ready."), "success")
            if user.role == Role.NEWCOMER:
                return redirect(url_for("newcomers.welcome"))
            return redirect(dashboard_url(user))
    return render_template("accounts/accept_invitation.html", form=form, user=invitation.user)


@bp.route("/register", methods=["GET", "POST"])
def register_employer():
    """An employer signs up with their organisation."""
    if current_user.is_authenticated:
        return redirect(dashboard_url(current_user))
    form = forms.EmployerRegistrationForm()
    if form.validate_on_submit():
        try:
            user = services.register_employer(
                db.session,
                name=form.name.data,
                email=form.email.data,
                password=form.password.data,
                language=session.get("language", "nl"),
                organisation_name=form.organisation_name.data,
                organisation_kind=form.organisation_kind.data,
                kvk=form.kvk.data,
                postcode=form.postcode.data,
                city=form.city.data,
            )
        except DomainError as error:
            _show_domain_error(form, error)
        else:
            sign_in(user)
            flash(_("Your account is ready. We will check your organisation soon."), "success")
            return redirect(dashboard_url(user))
    return render_template("accounts/register.html", form=form)


@bp.route("/account", methods=["GET"])
@roles(*ANY_ROLE)
def account():
    """Your account: language, password, signing out."""
    return render_template("accounts/account.html", roles=Role)
