"""Dashboard pages: the consultant's caseload, the municipality, and each table as a file."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from marketplace import clock, db
from marketplace.accounts.models import Role
from marketplace.audit.services import record_event
from marketplace.dashboards import exports, figures, sections
from marketplace.dashboards.figures import Scope
from marketplace.dashboards.forms import MunicipalityForm
from marketplace.dashboards.tables import cell_text
from marketplace.permissions import can_open, require, roles

bp = Blueprint("dashboards", __name__, url_prefix="/dashboards")
bp.add_app_template_filter(cell_text, "dashboard_cell")


@bp.route("/caseload")
@roles(Role.CONSULTANT)
def consultant():
    """Figures about the consultant's own caseload, each as a chart with a table."""
    scope = Scope(consultant_id=current_user.id)
    return render_template(
        "dashboards/consultant.html",
        sections=sections.sections(db.session, scope, clock.today()),
        scope="caseload",
        export_args={},
    )


@bp.route("/municipality")
@roles(Role.CONSULTANT, Role.ADMIN)
def municipality():
    """Figures about all newcomers or one municipality's; no names, small counts hidden."""
    form = MunicipalityForm(request.args, figures.municipalities(db.session))
    if not form.validate():
        return render_template("dashboards/municipality.html", form=form, sections=[]), 400
    chosen = form.municipality.data or None
    return render_template(
        "dashboards/municipality.html",
        form=form,
        sections=sections.sections(db.session, Scope(municipality=chosen), clock.today()),
        scope="municipality",
        export_args={"municipality": chosen} if chosen else {},
    )


@bp.route("/<any(caseload, municipality):scope>/<table>.<any(csv, xlsx):fmt>")
@roles(Role.CONSULTANT, Role.ADMIN)
def export(scope: str, table: str, fmt: str):
    """One table of a dashboard as CSV or XLSX; every export is written to the audit log."""
    if scope == "caseload":
        require(can_open(current_user, "dashboards.consultant"))  # only a consultant has a caseload
        chosen = Scope(consultant_id=current_user.id)
    else:
        form = MunicipalityForm(request.args, figures.municipalities(db.session))
        require(form.validate())
        chosen = Scope(municipality=form.municipality.data or None)
    found = sections.table(db.session, chosen, clock.today(), table)
    require(found is not None)
    record_event(
        db.session,
        "dashboard_exported",
        actor=current_user,
        table=table,
        scope=scope,
        format=fmt,
        municipality=chosen.municipality,
    )
    return Response(
        exports.export(found, fmt),
        mimetype=exports.FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{scope}-{table}.{fmt}"'},
    )
