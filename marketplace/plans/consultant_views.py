"""The plan (PIP) for the consultant: its versions, a new version, and the printed plan.

Every page about a newcomer opens their file through ``open_file``, so each opening by a
consultant is in the audit log. The newcomer prints their own plan from "My path".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace import clock, db
from marketplace.accounts.models import Role
from marketplace.domain import DomainError
from marketplace.forms import show_error
from marketplace.i18n import LANGUAGE_NAMES, RTL_LANGUAGES
from marketplace.labels import label
from marketplace.newcomers.casefile import file_of
from marketplace.newcomers.models import NewcomerProfile
from marketplace.permissions import can_act_for_newcomer, require, roles
from marketplace.plans import editing, forms
from marketplace.plans.models import Plan
from marketplace.plans.path import MAP_HOURS
from marketplace.search.output import newcomer_ref
from marketplace.transactions import commit_despite_error

bp = Blueprint("plans", __name__)

#: the fixed words of the printed plan, each said in Dutch and in the newcomer's language; the
#: sheet is the newcomer's own, so it speaks to them (as "My path" does)
PRINT_WORDS = {
    "title": _l("Personal plan for civic integration (PIP)"),
    "name": _l("Name"),
    "consultant": _l("Consultant"),
    "made_on": _l("Made on"),
    "version": _l("Version %(n)d"),
    "agreed": _l("Version %(n)d, you agreed on %(date)s"),
    "waiting": _l("Version %(n)d, waiting for your answer"),
    "in_force": _l("This version is in force since %(date)s."),
    "replaced": _l("A newer version replaced this version."),
    "learning_route": _l("Learning route"),
    "term_end": _l("End of your integration term"),
    "not_filled": _l("(not filled in)"),
    "preconditions": _l("What must be arranged first"),
    "activities": _l("What you agreed to do"),
    "hours": _l("%(done)d of %(needed)d hours done"),
    "due": _l("Ready by %(date)s"),
    "support": _l("The help you get"),
    "followup": _l("How we follow your progress"),
    "signatures": _l("Signatures"),
    "sign_newcomer": _l("Signature of the newcomer"),
    "sign_consultant": _l("Signature of the consultant"),
    "date": _l("Date"),
}


@dataclass(frozen=True)
class Column:
    """One language of the printed plan."""

    code: str
    dir: str
    name: str


def say(language: str, text: object, **params: object) -> str:
    """A fixed text, a list's word or a date in one language (not the reader's, perhaps)."""
    with force_locale(language):
        if isinstance(text, Enum):
            return label(text)
        if isinstance(text, date | datetime):
            return format_date(text, "long")
        words = str(text)
        if not params:
            return words
        return words % {name: _spoken(value) for name, value in params.items()}


def _spoken(value: object) -> object:
    if isinstance(value, date | datetime):
        return format_date(value, "long")
    return label(value) if isinstance(value, Enum) else value


def _columns(profile: NewcomerProfile) -> list[Column]:
    """Dutch, and beside it the newcomer's own language when that is another one."""
    codes = ["nl"]
    own = profile.user.language
    if own != "nl" and own in current_app.config["LANGUAGES"]:
        codes.append(own)
    return [
        Column(code, "rtl" if code in RTL_LANGUAGES else "ltr", LANGUAGE_NAMES[code])
        for code in codes
    ]


@bp.route("/caseload/<ref>/plan")
@roles(Role.CONSULTANT)
def of_newcomer(ref: str):
    """The plan's versions: in force, waiting for agreement, and earlier (audit-logged)."""
    profile = file_of(ref, "plan")
    return render_template(
        "plans/of_newcomer.html",
        profile=profile,
        ref=newcomer_ref(profile),
        versions=editing.versions_of(db.session, profile),
    )


@bp.route("/caseload/<ref>/plan/new", methods=["GET", "POST"])
@roles(Role.CONSULTANT)
def new_version(ref: str):
    """Write the next version of the plan; the newcomer reads it and agrees to it."""
    profile = file_of(ref, "plan/new")
    versions = editing.versions_of(db.session, profile)
    if request.method != "POST":
        return _edit_page(profile, versions, _fresh_form(profile, versions), 200)
    form = forms.PlanForm()
    if form.validate():
        draft, rows = forms.draft_of(form)
        try:
            editing.make_version(
                db.session,
                current_user,
                profile,
                draft,
                based_on=forms.based_on(form),
                today=clock.today(),
            )
        except editing.ChangedMeanwhile as error:
            profile, versions = _undo(ref)
            form = _fresh_form(profile, versions)
            form.form_errors.append(error.message)
            commit_despite_error()
            return _edit_page(profile, versions, form, 409)
        except editing.PlanNotValid as error:
            profile, versions = _undo(ref)
            forms.show_problems(form, rows, error.problems)
        except DomainError as error:
            profile, versions = _undo(ref)
            show_error(form, error)
        else:
            flash(_("Saved. The newcomer gets a message to read the new version."), "success")
            return redirect(url_for("plans.of_newcomer", ref=newcomer_ref(profile)))
    commit_despite_error()  # nothing was saved, but the opening of the file stays logged
    return _edit_page(profile, versions, form, 400)


def _fresh_form(profile: NewcomerProfile, versions: editing.PlanVersions) -> forms.PlanForm:
    newest = versions.newest
    return forms.plan_form(editing.draft_from(newest, profile), newest.version if newest else 0)


def _undo(ref: str) -> tuple[NewcomerProfile, editing.PlanVersions]:
    """Drop what a refused save changed; the opening of the file is logged again."""
    db.session.rollback()
    profile = file_of(ref, "plan/new")
    return profile, editing.versions_of(db.session, profile)


def _edit_page(profile, versions, form, status: int):
    return render_template(
        "plans/edit.html",
        profile=profile,
        ref=newcomer_ref(profile),
        versions=versions,
        form=form,
        map_hours=MAP_HOURS,
    ), status


@bp.route("/caseload/<ref>/plan/<int:plan_id>/print")
@roles(Role.CONSULTANT)
def print_for_newcomer(ref: str, plan_id: int):
    """One version on paper, in Dutch and the newcomer's language (audit-logged)."""
    profile = file_of(ref, "plan/print")
    plan = db.get_or_404(Plan, plan_id)
    require(plan.profile_id == profile.id)
    back = url_for("plans.of_newcomer", ref=newcomer_ref(profile))
    return _print_page(profile, plan, back)


@bp.route("/me/path/plans/<int:plan_id>/print")
@roles(Role.NEWCOMER)
def print_mine(plan_id: int):
    """The newcomer's own plan on paper, in Dutch and in their language."""
    plan = db.get_or_404(Plan, plan_id)
    profile = db.session.get(NewcomerProfile, plan.profile_id)
    require(can_act_for_newcomer(current_user, profile))
    return _print_page(profile, plan, url_for("path.my_path"))


def _print_page(profile: NewcomerProfile, plan: Plan, back: str):
    versions = editing.versions_of(db.session, profile)
    return render_template(
        "plans/print.html",
        profile=profile,
        plan=plan,
        versions=versions,
        columns=_columns(profile),
        words=PRINT_WORDS,
        say=say,
        back=back,
    )
