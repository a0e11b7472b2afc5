"""The profile pages: the newcomer's own, and the same pages for their consultant.

Both see the same parts with the same "who can see this"; both can change a part; every
change is in the history the newcomer reads. A consultant's every opening is audit-logged.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import db
from marketplace.accounts.models import Role
from marketplace.domain import DomainError
from marketplace.forms import show_error
from marketplace.newcomers import profile_services as services
from marketplace.newcomers.casefile import file_of, opens
from marketplace.newcomers.profile_forms import form_for, values_from
from marketplace.newcomers.profile_parts import FIELD_LABELS, PARTS, field_text, history_text
from marketplace.newcomers.services import profile_of
from marketplace.permissions import can_edit_profile, require, roles
from marketplace.search.output import newcomer_ref
from marketplace.transactions import commit_despite_error

bp = Blueprint("profile", __name__)
bp.add_app_template_filter(history_text, "history_value")


def _urls(profile) -> dict:
    """Where this reader's profile links go: the newcomer's own pages or the consultant's."""
    if current_user.role == Role.NEWCOMER:
        return {
            "show": url_for("profile.mine"),
            "history": url_for("profile.history_mine"),
            "edit": lambda part: url_for("profile.edit_mine", part=part),
        }
    ref = newcomer_ref(profile)
    return {
        "show": url_for("profile.of_newcomer", ref=ref),
        "history": url_for("profile.history_of_newcomer", ref=ref),
        "edit": lambda part: url_for("profile.edit_for_newcomer", ref=ref, part=part),
    }


def _show(profile):
    changes = services.changes_of(db.session, profile)
    return render_template(
        "profile/show.html",
        profile=profile,
        parts=PARTS.values(),
        field_labels=FIELD_LABELS,
        field_text=field_text,
        last_change=changes[0] if changes else None,
        urls=_urls(profile),
    )


def _edit(profile, part: str):
    require(part in PARTS and can_edit_profile(current_user, profile, PARTS[part]))
    seen = services.newest_change(db.session, profile)
    posted = request.method == "POST"
    form = form_for(part, profile, seen, request.form if posted else None)
    status = 400 if posted else 200
    if posted and form.validate():
        try:
            changes = services.update_part(
                db.session,
                current_user,
                profile,
                part,
                values_from(part, form),
                seen=int(form.seen.data) if (form.seen.data or "").isdecimal() else None,
            )
        except services.ChangedMeanwhile as error:
            _undo(profile, part)
            form = form_for(part, profile, services.newest_change(db.session, profile))
            form.form_errors.append(error.message)
            status = 409
        except DomainError as error:
            _undo(profile, part)
            show_error(form, error)
        else:
            flash(_("Saved.") if changes else _("Nothing was changed."), "success")
            return redirect(_urls(profile)["show"])
    if status >= 400:
        commit_despite_error()  # nothing was changed, but a consultant's opening stays logged
    return render_template(
        "profile/edit.html", profile=profile, part=PARTS[part], form=form, urls=_urls(profile)
    ), status


def _undo(profile, part: str) -> None:
    """Drop what a refused save changed; the consultant's opening of the file is logged again."""
    db.session.rollback()
    opens(profile, f"profile/{part}")


def _history(profile):
    return render_template(
        "profile/history.html",
        profile=profile,
        changes=services.changes_of(db.session, profile),
        field_labels=FIELD_LABELS,
        urls=_urls(profile),
    )


def _own_profile():
    profile = profile_of(db.session, current_user)
    require(profile is not None)
    return profile


@bp.route("/me/profile")
@roles(Role.NEWCOMER)
def mine():
    """The newcomer's own profile, part by part, with who can see each part."""
    return _show(_own_profile())


@bp.route("/me/profile/<part>", methods=["GET", "POST"])
@roles(Role.NEWCOMER)
def edit_mine(part: str):
    return _edit(_own_profile(), part)


@bp.route("/me/profile/history")
@roles(Role.NEWCOMER)
def history_mine():
    """Every change to the profile, and who made it."""
    return _history(_own_profile())


@bp.route("/caseload/<ref>/profile")
@roles(Role.CONSULTANT)
def of_newcomer(ref: str):
    """A newcomer's profile as their consultant sees it (every opening is audit-logged)."""
    return _show(file_of(ref, "profile"))


@bp.route("/caseload/<ref>/profile/<part>", methods=["GET", "POST"])
@roles(Role.CONSULTANT)
def edit_for_newcomer(ref: str, part: str):
    return _edit(file_of(ref, f"profile/{part}"), part)


@bp.route("/caseload/<ref>/profile/history")
@roles(Role.CONSULTANT)
def history_of_newcomer(ref: str):
    return _history(file_of(ref, "profile/history"))
