"""The sections of the dashboard pages, one per figure, and which section holds each table.

Every builder takes (session, scope, today), asks its figure once, and returns a Section
with its tables and chart; an export asks only the builder of the table it writes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask_babel import format_decimal, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from marketplace.dashboards import figures, progress_figures
from marketplace.dashboards.figures import RUNG_RANGE, Scope
from marketplace.dashboards.place_sections import feedback_section, review_section
from marketplace.dashboards.progress_figures import MAP_BANDS
from marketplace.dashboards.tables import (
    COUNT,
    HIDDEN,
    PERCENT,
    TEXT,
    Column,
    Hidden,
    Section,
    Table,
    cell_text,
    chart_of,
    hide,
    protect,
    share,
)
from marketplace.placements.models import PlacementStatus as S
from marketplace.placements.outcomes import DURABLE_AFTER_MONTHS
from marketplace.plans.path import RUNGS

#: placement states in a consultant's words (the labels in ``labels.py`` speak to newcomers)
STATES = {
    S.INTERESTED: _l("Interest shown"),
    S.PROPOSED: _l("Proposed"),
    S.INTRODUCED: _l("Introduction planned"),
    S.ACCEPTED_BY_HOST: _l("Accepted by the place"),
    S.APPROVED: _l("Approved"),
    S.ACTIVE: _l("Running"),
    S.COMPLETED: _l("Completed"),
    S.ENDED_EARLY: _l("Ended early"),
    S.DECLINED: _l("Declined"),
    S.WITHDRAWN: _l("Withdrawn"),
}
MONTH_BUCKETS = (
    _l("Less than 1 month"),
    _l("1 to 3 months"),
    _l("3 to 6 months"),
    _l("6 to 12 months"),
    _l("12 months or more"),
)
MAP_WORDS = {
    "none": _l("No hours yet"),
    "under_half": _l("Less than half of the hours"),
    "half": _l("Half of the hours or more"),
    "reached": _l("All hours done"),
}
NEWCOMERS = Column(_l("Newcomers"))


def placements_section(dbs: Session, scope: Scope, today: date) -> Section:
    counts = figures.placements_by_state(dbs, scope, today)
    table = Table(
        "placements",
        _l("Placements by state"),
        (Column(_l("State"), TEXT), Column(_l("Placements"))),
        [(STATES[state], hide(count, scope)) for state, count in counts.items()],
    )
    chart = chart_of(table)
    total = protect(sum(counts.values()), counts.values(), scope)
    facts = ((_l("All placements"), cell_text(total, COUNT)),)
    return Section("placements", _l("Placements by state"), (table,), chart, facts)


def time_section(dbs: Session, scope: Scope, today: date) -> Section:
    found = figures.time_to_placement(dbs, scope, today)
    table = Table(
        "time-to-placement",
        _l("Time from the first conversation to the first placement"),
        (Column(_l("Time"), TEXT), NEWCOMERS),
        [(words, hide(n, scope)) for words, n in zip(MONTH_BUCKETS, found.buckets, strict=True)],
    )
    chart = chart_of(table)
    placed = protect(found.placed, found.buckets, scope)
    if found.median_days is None or placed is HIDDEN:
        median = cell_text(HIDDEN if placed is HIDDEN else None)
    else:
        days = format_decimal(found.median_days, format="0.#")
        median = ngettext("%(days)s day", "%(days)s days", round(found.median_days), days=days)
    facts = (
        (_l("Newcomers with a placement"), cell_text(placed, COUNT)),
        (_l("Median time"), median),
        (_l("No placement yet"), cell_text(hide(found.not_placed, scope), COUNT)),
        (
            _l("Left out: no date of a first conversation or of the start of integration"),
            cell_text(hide(found.without_start, scope), COUNT),
        ),
    )
    notes = (
        _l(
            "Counted from the first conversation (or else the start of integration) to the "
            "first placement the municipality approved (or else started)."
        ),
    )
    return Section("time", table.caption, (table,), chart, facts, notes)


def ladder_section(dbs: Session, scope: Scope, today: date) -> Section:
    found = figures.ladder_movement(dbs, scope, today)
    movement = Table(
        "ladder-movement",
        _l("From which step (first) to which step (latest)"),
        (
            Column(_l("From step"), TEXT),
            *(Column(_l("To %(rung)d", rung=end)) for end in RUNG_RANGE),
        ),
        [
            (RUNGS[start], *(hide(found.moves[(start, end)], scope) for end in RUNG_RANGE))
            for start in RUNG_RANGE
        ],
    )
    summary = Table(
        "ladder-summary",
        _l("Movement on the participation ladder"),
        (Column(_l("Movement"), TEXT), NEWCOMERS),
        [
            (_l("Moved up"), protect(found.up, found.parts(1), scope)),
            (_l("Same step"), protect(found.same, found.parts(0), scope)),
            (_l("Moved down"), protect(found.down, found.parts(-1), scope)),
        ],
    )
    chart = chart_of(summary)
    facts = (
        (
            _l("Newcomers with only their first step so far (not in the tables)"),
            cell_text(hide(found.one_step, scope), COUNT),
        ),
    )
    title = _l("Movement on the participation ladder")
    return Section("ladder", title, (summary, movement), chart, facts)


def work_section(dbs: Session, scope: Scope, today: date) -> Section:
    found = progress_figures.work_or_education(dbs, scope, today)
    moments = found.moments

    def shown(moment: progress_figures.Situation, name: str) -> int | Hidden | None:
        return protect(getattr(moment, name), moment.parts(name), scope)

    after = tuple(Column(_l("After %(months)d months", months=m.months)) for m in moments)
    counts = Table(
        "work-education",
        _l("Follow-ups after a placement"),
        (Column(_l("Situation"), TEXT), *after),
        [
            (words, *(shown(m, name) for m in moments))
            for name, words in (
                ("recorded", _l("Follow-ups done")),
                ("paid_work", _l("In paid work")),
                ("education", _l("In education")),
                ("either", _l("Paid work or education")),
            )
        ],
    )
    shares = Table(
        "work-education-share",
        _l("Share in paid work or education"),
        (Column(_l("Moment"), TEXT), Column(_l("Share"), PERCENT)),
        [
            (col.header, share(shown(m, "either"), shown(m, "recorded"), scope))
            for col, m in zip(after, moments, strict=True)
        ],
    )
    chart = chart_of(shares, maximum=100)
    six = next(m for m in moments if m.months == DURABLE_AFTER_MONTHS)
    whole = shown(six, "recorded")
    durable = cell_text(None)  # a part of a whole that is not shown says little
    if whole is not None:  # durable work is paid work at 6 months: the same groups
        part = protect(found.durable, six.parts("paid_work"), scope)
        durable = str(
            _l("%(part)s of %(whole)s", part=cell_text(part, COUNT), whole=cell_text(whole, COUNT))
        )
    facts = ((_l("Durable work: still in paid work after 6 months"), durable),)
    notes = (_l("Only follow-ups that are done count; the share is of those."),)
    title = _l("In paid work or education after a placement")
    return Section("work", title, (shares, counts), chart, facts, notes)


def map_section(dbs: Session, scope: Scope, today: date) -> Section:
    found = progress_figures.map_hours(dbs, scope, today)
    table = Table(
        "map-hours",
        _l("Practice hours for the MAP (labour-market module)"),
        (Column(_l("Practice hours"), TEXT), NEWCOMERS),
        [(MAP_WORDS[band], hide(found.newcomers[band], scope)) for band in MAP_BANDS],
    )
    chart = chart_of(table)
    with_map = protect(found.with_map, found.newcomers.values(), scope)
    few = with_map is HIDDEN
    facts = (
        (_l("Newcomers with the MAP in their plan"), cell_text(with_map, COUNT)),
        (_l("Hours done, all together"), cell_text(None if few else found.hours_done, COUNT)),
    )
    notes = (_l("From the plan in force. Usually 40 hours are needed."),)
    return Section("map", table.caption, (table,), chart, facts, notes)


BUILDERS: tuple[Callable[[Session, Scope, date], Section], ...] = (
    placements_section,
    time_section,
    ladder_section,
    work_section,
    map_section,
    feedback_section,
    review_section,
)
#: the builder of each table that can be exported, by the table's name in the address
TABLES = {
    "placements": placements_section,
    "time-to-placement": time_section,
    "ladder-summary": ladder_section,
    "ladder-movement": ladder_section,
    "work-education-share": work_section,
    "work-education": work_section,
    "map-hours": map_section,
    "feedback-places": feedback_section,
    "feedback-organisations": feedback_section,
    "review-waiting": review_section,
}


def sections(dbs: Session, scope: Scope, today: date) -> list[Section]:
    """Every section of a dashboard page, in the page's order."""
    return [build(dbs, scope, today) for build in BUILDERS]


def table(dbs: Session, scope: Scope, today: date, name: str) -> Table | None:
    """One table by its name (None for an unknown name), for an export."""
    build = TABLES.get(name)
    return build(dbs, scope, today).table(name) if build else None
