"""Administration of caseloads: who guides which newcomer, and moving a newcomer to another
consultant. The list is a GET form (filter by consultant, search by name, pages); choosing
"change" for a newcomer opens the assignment form on the same page (no JavaScript needed).
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from marketplace import db
from marketplace.accounts.models import Role, User
from marketplace.domain import DomainError
from marketplace.forms import BaseForm, choices, show_error
from marketplace.newcomers import assignment
from marketplace.newcomers.models import NewcomerProfile
from marketplace.newcomers.services import profile_by_ref
from marketplace.permissions import require, roles
from marketplace.search.output import newcomer_ref

bp = Blueprint("assignments", __name__, url_prefix="/admin/caseloads")

CHOOSE = _l("Choose a consultant from the list.")
#: the last page anyone could ask for (100,000 newcomers at PER_PAGE a page, and room)
MAX_PAGE = 100_000


def _consultant_name(user: User) -> str:
    return user.name if user.active else _("%(name)s (deactivated)", name=user.name)


class CaseloadSearchForm(BaseForm):
    """Which newcomers the administrator looks for; every field may stay empty."""

    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(
        _l("Name of the newcomer"),
        description=_l("Part of the name is enough."),
        validators=[Length(max=100, message=_l("Use at most %(max)d characters."))],
        render_kw={"type": "search", "autocomplete": "off"},
    )
    consultant = SelectField(
        _l("Consultant"), default="", invalid_choice_message=CHOOSE, invalid_value_message=CHOOSE
    )
    page = IntegerField(validators=[Optional(), NumberRange(1, MAX_PAGE)])

    def __init__(self, formdata, guides: list[User]):
        super().__init__(formdata)
        pairs = [("", _l("Every consultant")), (assignment.NOBODY, _l("No consultant yet"))]
        pairs += [(str(user.id), _consultant_name(user)) for user in guides]
        self.consultant.choices = choices(pairs)


class AssignForm(BaseForm):
    """The consultant who guides the newcomer from now on."""

    consultant = SelectField(
        _l("New consultant"),
        coerce=lambda value: int(value) if re.fullmatch(r"[0-9]{1,18}", str(value)) else None,
        validators=[InputRequired(message=CHOOSE)],
        invalid_choice_message=CHOOSE,
    )

    def __init__(self, guides: list[User]):
        super().__init__()
        pairs = [("", _l("Choose a consultant"))] + [(user.id, user.name) for user in guides]
        self.consultant.choices = choices(pairs)


@bp.route("")
@roles(Role.ADMIN)
def index(form: AssignForm | None = None, chosen: NewcomerProfile | None = None, status=200):
    """Newcomers with their consultant; one of them with the form to change it."""
    search = CaseloadSearchForm(request.args, assignment.consultants(db.session))
    if not search.validate():
        if search.page.errors:
            abort(404)
        status, found = 400, None
    else:
        found = assignment.newcomers_page(
            db.session,
            consultant=search.consultant.data,
            name=search.q.data,
            page=search.page.data or 1,
        )
        if found.page > found.pages:
            abort(404)
    if chosen is None and request.args.get("assign"):
        chosen = profile_by_ref(db.session, request.args["assign"][:64])
        require(chosen is not None)
    guides = assignment.consultants(db.session, active_only=True)
    return render_template(
        "admin/caseloads.html",
        search=search,
        found=found,
        chosen=chosen,
        form=form or AssignForm(guides),
        newcomer_ref=newcomer_ref,
        list_url=_list_url,
    ), status


@bp.route("/<ref>", methods=["POST"])
@roles(Role.ADMIN)
def assign(ref: str):
    """Assign the newcomer to the chosen consultant (audit-logged)."""
    profile = profile_by_ref(db.session, ref[:64])
    require(profile is not None)
    form = AssignForm(assignment.consultants(db.session, active_only=True))
    if form.validate_on_submit():
        try:
            guide = assignment.assign_newcomer(
                db.session, current_user, profile, form.consultant.data
            )
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            message = _(
                "%(newcomer)s is now in the caseload of %(consultant)s.",
                newcomer=profile.user.name,
                consultant=guide.name,
            )
            flash(message, "success")
            return redirect(url_for("assignments.index"))
    return index(form=form, chosen=profile, status=400)


def _list_url(**changes) -> str:
    """This list's address with some parameters changed (None: left out)."""
    args = request.args.to_dict()
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args[name] = value
    return url_for("assignments.index", **args)
