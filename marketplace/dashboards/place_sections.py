"""The sections about places: feedback per place and organisation, and the review queue."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.orm import Session

from marketplace.dashboards import place_figures
from marketplace.dashboards.figures import Scope
from marketplace.dashboards.tables import (
    COUNT,
    DECIMAL,
    PERCENT,
    TEXT,
    Column,
    Section,
    Table,
    cell_text,
    chart_of,
)
from marketplace.feedback.services import MIN_RESPONDENTS, SCORES

#: how many rows of a long table the page shows (the export has them all)
PAGE_ROWS = 15
WAITING_BUCKETS = (
    _l("Less than 1 week"),
    _l("1 to 2 weeks"),
    _l("2 to 4 weeks"),
    _l("4 weeks or more"),
)
#: the columns after a place's or organisation's name, one score column per SCORES
SCORE_COLUMNS = (
    Column(_l("Newcomers who answered")),
    Column(_l("Meaningful"), DECIMAL),
    Column(_l("Learned something"), DECIMAL),
    Column(_l("Practised Dutch"), DECIMAL),
    Column(_l("Treated with respect"), DECIMAL),
    Column(_l("Would recommend it"), PERCENT),
    Column(_l("Poor feedback"), TEXT),
)


def _feedback_rows(rated: list[place_figures.Rated], with_organisation: bool) -> list[tuple]:
    rows = []
    for item in rated:
        averages = item.summary.averages
        share_yes = item.summary.recommend_share
        rows.append(
            (
                item.name,
                *((item.organisation,) if with_organisation else ()),
                item.summary.newcomers,
                *(None if averages[n] is None else round(averages[n], 1) for n in SCORES),
                None if share_yes is None else round(100 * share_yes),
                _l("Yes") if item.flagged else _l("No"),
            )
        )
    return rows


def feedback_section(dbs: Session, scope: Scope, today: date) -> Section:
    found = place_figures.feedback_figures(dbs, scope, today)
    places = Table(
        "feedback-places",
        _l("Feedback per place"),
        (Column(_l("Place"), TEXT), Column(_l("Organisation"), TEXT), *SCORE_COLUMNS),
        _feedback_rows(found.places, True),
        PAGE_ROWS,
    )
    organisations = Table(
        "feedback-organisations",
        _l("Feedback per organisation"),
        (Column(_l("Organisation"), TEXT), *SCORE_COLUMNS),
        _feedback_rows(found.organisations, False),
        PAGE_ROWS,
    )
    chart = chart_of(
        places,
        _l("Meaningful and respect per place (1 to 5), poorest first"),
        values=(3, 6),
        series=(str(_l("Meaningful")), str(_l("Treated with respect"))),
        maximum=5,
    )
    notes = (
        _l(
            "Scores from 1 to 5, only from places where at least %(num)d newcomers answered. "
            "Poor feedback: an average below %(score)s for meaningful or for respect.",
            num=MIN_RESPONDENTS,
            score=cell_text(place_figures.POOR_SCORE, DECIMAL),
        ),
    )
    title = _l("Feedback from newcomers")
    return Section("feedback", title, (places, organisations), chart, (), notes)


def review_section(dbs: Session, scope: Scope, today: date) -> Section:
    found = place_figures.review_waiting(dbs, scope, today)
    table = Table(
        "review-waiting",
        _l("Places waiting for a check"),
        (Column(_l("Waiting"), TEXT), Column(_l("Places"))),
        list(zip(WAITING_BUCKETS, found.buckets, strict=True)),
    )
    chart = chart_of(table)
    oldest = found.oldest_days
    facts = (
        (_l("Places waiting"), cell_text(found.waiting, COUNT)),
        (
            _l("Waiting longest"),
            cell_text(None) if oldest is None else ngettext("%(num)d day", "%(num)d days", oldest),
        ),
    )
    return Section("review", table.caption, (table,), chart, facts)
