"""My path: the newcomer's plan, what is expected of them by when, and their ladder."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import clock, db
from marketplace.accounts.models import Role
from marketplace.charts import step_chart
from marketplace.domain import DomainError
from marketplace.forms import BaseForm
from marketplace.newcomers.models import NewcomerProfile
from marketplace.newcomers.services import profile_of
from marketplace.permissions import can_act_for_newcomer, require, roles
from marketplace.plans import path
from marketplace.plans.models import Plan
from marketplace.plans.services import plan_in_force

bp = Blueprint("path", __name__)


@bp.route("/me/path")
@roles(Role.NEWCOMER)
def my_path():
    """The plan in plain words, the dates, what happens if something is missed, the ladder."""
    profile = profile_of(db.session, current_user)
    require(profile is not None)
    today = clock.today()
    plan = plan_in_force(db.session, profile)
    steps = path.ladder(db.session, profile)
    chart = None
    if steps:
        now = steps[-1]
        chart = step_chart(
            path.ladder_points(steps),
            {rung: str(name) for rung, name in path.RUNG_SHORT.items()},
            _("Your steps on the participation ladder"),
            _(
                "You are now on step %(rung)d of 6: %(name)s.",
                rung=now.rung,
                name=path.RUNG_SHORT[now.rung],
            ),
        )
    return render_template(
        "plans/path.html",
        profile=profile,
        plan=plan,
        to_agree=path.newer_plan_to_agree(db.session, profile),
        expectations=path.expectations(plan, today),
        map_hours=path.map_hours(plan),
        appointments=path.appointments_ahead(db.session, profile, today),
        ladder=steps,
        rungs=path.RUNGS,
        chart=chart,
        form=BaseForm(),
        today=today,
    )


@bp.route("/me/path/plans/<int:plan_id>/agree", methods=["POST"])
@roles(Role.NEWCOMER)
def agree(plan_id: int):
    """The newcomer agrees to a new version of their plan."""
    plan = db.get_or_404(Plan, plan_id)
    require(can_act_for_newcomer(current_user, db.session.get(NewcomerProfile, plan.profile_id)))
    if BaseForm().validate_on_submit():
        try:
            path.agree_to_plan(db.session, current_user, plan)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            flash(_("Thank you. This version of your plan now counts."), "success")
    return redirect(url_for("path.my_path"))
