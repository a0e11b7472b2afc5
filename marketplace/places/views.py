"""Place pages: the public list and place page, and the employer's steps to post a place."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import clock, db
from marketplace.accounts.models import Role
from marketplace.domain import DomainError
from marketplace.forms import show_at_field
from marketplace.geo.services import municipality_for
from marketplace.labels import label
from marketplace.newcomers.services import caseload, profile_of
from marketplace.permissions import (
    can_invite_newcomer,
    can_manage_place,
    can_see_unpublished_place,
    is_newcomer,
    require,
    roles,
)
from marketplace.places import lifecycle, services
from marketplace.places.forms import (
    STEPS,
    DisplacementForm,
    WorkStep,
    form_data,
    outline,
    values_from,
)
from marketplace.places.models import Place, PlaceStatus
from marketplace.places.rules import current_values, missing_for_submission
from marketplace.places.search_form import DISTANCES, PlaceSearchForm
from marketplace.places.slugs import slugify
from marketplace.search import sync
from marketplace.search.finder import SearchPage, SortOrder, search_places
from marketplace.search.output import newcomer_ref
from marketplace.search.snippets import snippet
from marketplace.search.userquery import QueryError

bp = Blueprint("places", __name__)
STEP_NAMES = list(STEPS)


@bp.route("/places")
def index():
    """Search the public places; the text, filters and order are in the address (GET form)."""
    if not request.args and is_newcomer(current_user):
        start = _near_home_start()
        if start:  # the address says "near my home", so every link keeps it; never the postcode
            return redirect(url_for("places.index", **start))
    form = PlaceSearchForm(request.args)
    home = _newcomers_home(form)
    if form.page.errors or not form.validate():
        if form.page.errors:
            abort(404)
        return _search_page(form, None, 400)
    filters = form.filters(db.session, home)
    if filters is None:
        return _search_page(form, None, 400)
    sync.catch_up()
    try:
        result = search_places(
            form.q.data or "",
            filters,
            clock.today(),
            sort=SortOrder(form.sort.data) if "sort" in request.args else None,
            page=form.page.data or 1,
        )
    except QueryError as error:
        form.q.errors = [*form.q.errors, error.message]
        return _search_page(form, None, 400)
    if result.page > 1 and not result.hits:
        abort(404)
    form.show_counts(result.facets)
    form.sort.data = result.sort.value  # the order used, also when it was not asked for
    return _search_page(form, result, 200)


def _near_home_start() -> dict[str, str] | None:
    """A newcomer's first search: near their home, as far as they can travel."""
    profile = profile_of(db.session, current_user)
    if profile is None:
        return None
    reach = next((n for n in DISTANCES if n >= profile.max_travel_km), DISTANCES[-1])
    return {"home": "y", "km": str(reach)}


def _newcomers_home(form: PlaceSearchForm) -> str | None:
    """A signed-in newcomer's postcode, so that "near my home" measures from it."""
    profile = profile_of(db.session, current_user) if is_newcomer(current_user) else None
    if profile is None:
        del form.home
        return None
    return profile.postcode


def _search_page(form: PlaceSearchForm, result: SearchPage | None, status: int):
    found = []
    if result is not None:
        places = services.places_by_id(db.session, [hit.place_id for hit in result.hits])
        for hit in result.hits:
            place = places.get(hit.place_id)
            if place is not None and services.is_public(place, clock.today()):
                found.append((place, hit, snippet(place.description, result.highlight_terms)))
    page = render_template(
        "places/index.html", form=form, result=result, found=found, search_url=_search_url
    )
    return page, status


def _search_url(**changes) -> str:
    """This search's address with some parameters changed (None: left out); keeps repeats."""
    args = request.args.to_dict(flat=False)
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args[name] = [value]
    return url_for("places.index", **args)


@bp.route("/places/<int:place_id>")
@bp.route("/places/<int:place_id>/<slug>")
def detail(place_id: int, slug: str | None = None):
    """A place's page; unpublished places only for their employer and the municipality."""
    place = db.get_or_404(Place, place_id)
    public = services.is_public(place, clock.today())
    require(public or can_see_unpublished_place(current_user, place))
    if public and slug != slugify(place.title):
        return redirect(url_for("places.detail", place_id=place.id, slug=slugify(place.title)), 301)
    return render_template(
        "places/detail.html",
        place=place,
        public=public,
        municipality=municipality_for(db.session, place.postcode) if place.postcode else None,
        targets=[
            target
            for target in lifecycle.allowed_targets(place, current_user)
            if target != PlaceStatus.SUBMITTED
        ],  # sending goes through the check page
        caseload=_proposable(),
        newcomer_ref=newcomer_ref,
    )


def _proposable() -> list:
    """For a consultant: the newcomers of their caseload who may be suggested for places."""
    if not can_invite_newcomer(current_user):
        return []
    return [p for p in caseload(db.session, current_user) if p.allows_matching]


@bp.route("/organisation/places/new", methods=["GET", "POST"])
@roles(Role.EMPLOYER)
def new():
    """Step 1 of a new place; saving it makes a draft."""
    form = WorkStep()
    if form.validate_on_submit():
        values = values_from(form)
        place = services.create_place(
            db.session, current_user, current_user.organisation, values.pop("title")
        )
        services.update_place(db.session, current_user, place, values)
        return _after_step(place, "work")
    return render_template(
        "places/step.html",
        form=form,
        place=None,
        step="work",
        steps=STEPS,
        suggestions=_suggestions("work"),
    )


@bp.route("/places/<int:place_id>/edit/<step>", methods=["GET", "POST"])
@roles(Role.EMPLOYER)
def edit(place_id: int, step: str):
    """One step of the place form; every step can be saved on its own."""
    place = _own_place(place_id)
    if step not in STEPS or place.status == PlaceStatus.CLOSED:
        abort(404)
    form_class = STEPS[step][0]
    form = form_class(data={**form_data(current_values(place)), "version": place.version})
    if form.validate_on_submit():
        try:
            waiting = services.update_place(
                db.session, current_user, place, values_from(form), expected_version=_version(form)
            )
        except services.EditConflict as error:
            db.session.rollback()
            flash(error.message, "error")
            fresh = form_class(
                formdata=None, data={**form_data(current_values(place)), "version": place.version}
            )
            return render_template(
                "places/step.html",
                form=fresh,
                place=place,
                step=step,
                steps=STEPS,
                suggestions=_suggestions(step),
            ), 409
        except DomainError as error:
            db.session.rollback()
            if not show_at_field(form, error):
                flash(error.message, "error")
        else:
            if waiting:
                flash(
                    _(
                        "Saved. The public still sees the published version until the "
                        "municipality has checked your change."
                    ),
                    "info",
                )
            return _after_step(place, step)
    return render_template(
        "places/step.html",
        form=form,
        place=place,
        step=step,
        steps=STEPS,
        suggestions=_suggestions(step),
    )


@bp.route("/places/<int:place_id>/send", methods=["GET", "POST"])
@roles(Role.EMPLOYER)
def submit(place_id: int):
    """Check the place, answer the displacement questions, and send it for review."""
    place = _own_place(place_id)
    form = DisplacementForm(
        data=form_data({name: getattr(place, name) for name in DisplacementForm.answer_fields()})
    )
    missing = missing_for_submission(place)
    if not missing and form.validate_on_submit():
        try:
            services.submit_place(db.session, current_user, place, form.answers())
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(_("Sent. The municipality checks your place, usually within a week."), "success")
            return redirect(url_for("organisations.dashboard"))
    return render_template(
        "places/submit.html",
        place=place,
        form=form,
        missing=missing,
        values=current_values(place),
        steps=STEPS,
        outline=outline(),
    )


@bp.route("/places/<int:place_id>/status", methods=["POST"])
@roles(Role.EMPLOYER)
def set_status(place_id: int):
    """Pause, resume, close or withdraw a place, as the lifecycle table allows."""
    place = _own_place(place_id)
    try:
        target = PlaceStatus(request.form.get("target", ""))
        lifecycle.change_status(db.session, current_user, place, target)
    except ValueError:
        abort(400)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(_("The place is now: %(status)s.", status=label(target)), "success")
    return redirect(url_for("places.detail", place_id=place.id))


def _version(form) -> int | None:
    """The place version the form was opened with (None when the form did not say)."""
    value = form.version.data
    return int(value) if value and str(value).isdigit() else None


def _own_place(place_id: int) -> Place:
    place = db.get_or_404(Place, place_id)
    require(can_manage_place(current_user, place))
    return place


def _after_step(place: Place, step: str):
    if request.form.get("then") == "stop":
        flash(_("Saved."), "success")
        return redirect(url_for("organisations.dashboard"))
    position = STEP_NAMES.index(step)
    if position + 1 < len(STEP_NAMES):
        return redirect(url_for("places.edit", place_id=place.id, step=STEP_NAMES[position + 1]))
    return redirect(url_for("places.submit", place_id=place.id))


def _suggestions(step: str) -> dict[str, list[str]]:
    if step != "work":
        return {}
    return {
        field: services.tag_suggestions(db.session, field)
        for field in ("skills_wanted", "skills_learned", "education_offered")
    }
