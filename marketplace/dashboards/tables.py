"""Tables and charts made from figures: what a dashboard page shows and an export writes.

A chart is drawn from its table's own rows and cell words, so the picture and the text can
never tell different numbers. In the municipality's view a count of one or two people is
replaced by ``HIDDEN`` ("fewer than 3") before it reaches a page, a chart or an export, and
a figure that would let someone work such a count out is not shown at all (``protect``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import format_decimal, format_number, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from marketplace.charts import Bar, BarRow, bar_chart
from marketplace.dashboards.figures import Scope

#: a count of people below this (and above zero) is hidden where it could point to a person
SMALLEST_SHOWN = 3


class Hidden:
    """A count kept from the reader because it is too small ("fewer than 3")."""

    def __str__(self) -> str:
        return _("fewer than %(num)d", num=SMALLEST_SHOWN)

    def __repr__(self) -> str:
        return "HIDDEN"


HIDDEN = Hidden()
TEXT, COUNT, DECIMAL, PERCENT = "text", "count", "decimal", "percent"
SAME_NUMBERS = _l("The table below the picture has the same numbers.")


@dataclass(frozen=True)
class Column:
    header: object
    kind: str = COUNT


@dataclass(frozen=True)
class Table:
    """One table of a page; ``name`` is its name in export addresses. The page shows the first
    ``page_rows`` rows (all when None); the export has every row."""

    name: str
    caption: object
    columns: tuple[Column, ...]
    rows: list[tuple]
    page_rows: int | None = None

    @property
    def shown(self) -> list[tuple]:
        return self.rows if self.page_rows is None else self.rows[: self.page_rows]


@dataclass(frozen=True)
class Section:
    """One figure on a page: a heading, a chart, its tables, and a few facts and notes."""

    key: str
    title: object
    tables: tuple[Table, ...]
    chart: Markup | None
    facts: tuple[tuple[object, str], ...] = ()
    notes: tuple[object, ...] = field(default_factory=tuple)

    def table(self, name: str) -> Table | None:
        return next((t for t in self.tables if t.name == name), None)


def hide(count: int, scope: Scope) -> int | Hidden:
    """The count, or HIDDEN when it is 1 or 2 people in the municipality's view."""
    if not scope.is_caseload and 0 < count < SMALLEST_SHOWN:
        return HIDDEN
    return count


def protect(value: int, parts: Iterable[int], scope: Scope) -> int | Hidden | None:
    """A figure made of several counts that do not overlap (a total, a complement, a summary
    of a table's cells), as the municipality's view may show it. The one rule against
    working out a hidden count from the others: a figure that holds a hidden count (1 or 2)
    is not shown (None, "no figure"), so no sum or difference of shown figures gives one.
    ``value`` is the sum of ``parts``; HIDDEN when it is 1 or 2 itself."""
    shown = hide(value, scope)
    if shown is not HIDDEN and any(hide(part, scope) is HIDDEN for part in parts):
        return None
    return shown


def share(part: int | Hidden | None, whole: int | Hidden | None, scope: Scope) -> int | None:
    """``part`` of ``whole`` as a whole percentage, from the two figures as shown. None ("no
    figure") without a whole, when either figure is not shown, or when the part or the rest
    (whole minus part) is 1 or 2: "90 % of 10" would show that one person is the rest."""
    if not isinstance(part, int) or not isinstance(whole, int) or whole == 0:
        return None
    if HIDDEN in (hide(part, scope), hide(whole - part, scope)):
        return None
    return round(100 * part / whole)


def cell_text(value: object, kind: str = TEXT) -> str:
    """A cell in words in the reader's language; the same words in the table and the chart."""
    if value is None:
        return _("no figure")
    if isinstance(value, Hidden) or kind == TEXT:
        return str(value)
    if kind == DECIMAL:
        return format_decimal(value, format="0.0")
    if kind == PERCENT:
        return format_percent(value / 100)
    return format_number(value)


def _length(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def chart_of(
    table: Table,
    title: object = None,
    description: object = SAME_NUMBERS,
    *,
    values: tuple[int, ...] = (1,),
    series: tuple[str, ...] = (),
    maximum: float | None = None,
) -> Markup | None:
    """A bar chart of the table's shown rows: the first column names a row, ``values`` are
    the columns drawn as bars; titled with the table's caption unless ``title`` is given.
    None when the table has no rows."""
    if not table.shown:
        return None
    rows = [
        BarRow(
            cell_text(row[0]),
            tuple(Bar(_length(row[i]), cell_text(row[i], table.columns[i].kind)) for i in values),
        )
        for row in table.shown
    ]
    return bar_chart(
        rows,
        str(title or table.caption),
        str(description),
        chart_id=f"chart-{table.name}",
        series=series,
        maximum=maximum,
    )
