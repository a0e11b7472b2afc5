"""Charts drawn on the server as SVG: no JavaScript, readable by screen readers.

A chart is a picture with a title and a description (``role="img"``); the page always shows
the same figures as text beside it, so nobody depends on seeing the picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup


@dataclass(frozen=True)
class Point:
    day: date
    value: int


def step_chart(
    points: list[Point],
    levels: dict[int, str],
    title: str,
    description: str,
    *,
    width: int = 600,
    row: int = 36,
) -> Markup:
    """A step line over time on fixed levels (such as the rungs of a ladder).

    ``levels`` maps each value to its short name, drawn at the left; the newest point is
    marked. The SVG scales to the width of its box (``viewBox``), so it fits a phone.
    """
    low, high = min(levels), max(levels)
    left, right, top = 150, 16, 12
    height = top + row * (high - low + 1)
    if not points:
        raise ValueError("a step chart needs at least one point")
    first, last = points[0].day, points[-1].day
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return left + (width - left - right) * (day - first).days / span

    def y(value: int) -> float:
        return top + row * (high - value) + row / 2

    parts = [
        Markup(
            '<svg class="chart" viewBox="0 0 {} {}" role="img" '
            'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">'
            '<title id="chart-title">{}</title><desc id="chart-desc">{}</desc>'
        ).format(width, height, title, description)
    ]
    for value, name in sorted(levels.items()):
        parts.append(
            Markup(
                '<line class="chart__grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="chart__label" x="{}" y="{}" text-anchor="end">{}</text>'
            ).format(left, width - right, y(value), y(value), left - 8, y(value) + 5, name)
        )
    path = [f"M{x(points[0].day):.1f},{y(points[0].value):.1f}"]
    for point in points[1:]:
        path.append(f"H{x(point.day):.1f}V{y(point.value):.1f}")
    if len(points) == 1:
        path.append(f"H{width - right}")
    parts.append(Markup('<path class="chart__line" d="{}"/>').format(" ".join(path)))
    newest = points[-1]
    cx, cy = x(newest.day), y(newest.value)
    parts.append(
        Markup('<circle class="chart__dot" cx="{:.1f}" cy="{:.1f}" r="7"/>').format(cx, cy)
    )
    parts.append(Markup("</svg>"))
    # every piece is a literal template whose values Markup.format escapes
    return Markup("").join(parts)


# --- horizontal bars (dashboards) -------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar: its length (None draws no bar, e.g. a hidden small count) and its words."""

    value: float | None
    text: str


@dataclass(frozen=True)
class BarRow:
    """A label with one bar per series, drawn under the label."""

    label: str
    bars: tuple[Bar, ...]


#: per series a fill: solid, hatched, dotted; dark enough for 3:1 against white (WCAG 1.4.11)
#: and told apart by their pattern too, so colour is never the only cue
SERIES_FILLS = ("#01689b", "url(#{id}-hatch)", "url(#{id}-dots)")
SERIES_STROKES = ("#01689b", "#a14a00", "#1f5c33")
_PATTERNS = Markup(
    '<pattern id="{id}-hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="8" height="8" fill="#fff"/>'
    '<rect width="4" height="8" fill="#a14a00"/></pattern>'
    '<pattern id="{id}-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<rect width="6" height="6" fill="#1f5c33"/><circle cx="3" cy="3" r="1.3" fill="#fff"/>'
    "</pattern>"
)
LABEL_CHARS = 44


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(
    rows: list[BarRow],
    title: str,
    description: str,
    *,
    chart_id: str,
    series: tuple[str, ...] = (),
    maximum: float | None = None,
    width: int = 400,
) -> Markup:
    """Horizontal bars, each label on its own line above its bars, so it fits a phone.

    Every bar ends in its value in words (the same words as the table beside the chart); a
    bar without a value shows only its words. ``series`` names the bars of a row for the
    legend (up to three, each with its own pattern); ``maximum`` is the full width (for
    example 100 for percentages), else the largest value. ``chart_id`` keeps the ids of
    several charts on one page apart. Bars grow from the left also on a right-to-left page
    (``direction="ltr"``), so that no text is drawn outside the picture.
    """
    if len(series) > len(SERIES_FILLS):
        raise ValueError("a bar chart has at most three series")
    values = [bar.value for row in rows for bar in row.bars if bar.value is not None]
    top = maximum if maximum is not None else max(values, default=0)
    label_h, bar_h, gap, text_room = 22, 20, 14, 110
    legend_h = 26 * len(series) if len(series) > 1 else 0
    per_row = label_h + bar_h * max((len(row.bars) for row in rows), default=1) + gap
    height = legend_h + per_row * len(rows) + 4
    span = width - text_room
    ident = chart_id
    parts = [
        Markup(
            '<svg class="chart chart--bars" viewBox="0 0 {} {}" role="img" '
            'aria-labelledby="{}-title {}-desc" direction="ltr" '
            'xmlns="http://www.w3.org/2000/svg">'
            '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc><defs>{}</defs>'
        ).format(
            width,
            height,
            ident,
            ident,
            ident,
            title,
            ident,
            description,
            _PATTERNS.format(id=ident),
        )
    ]
    fills = [fill.format(id=ident) for fill in SERIES_FILLS]
    if len(series) > 1:
        for n, name in enumerate(series):
            y = 26 * n
            parts.append(
                Markup(
                    '<rect class="chart__bar" x="1" y="{}" width="28" height="16" '
                    'fill="{}" stroke="{}"/><text class="chart__label" x="36" y="{}">{}</text>'
                ).format(y + 3, fills[n], SERIES_STROKES[n], y + 16, name)
            )
    y = legend_h
    for row in rows:
        parts.append(
            Markup('<text class="chart__label chart__label--row" x="0" y="{}">{}</text>').format(
                y + 16, _short(row.label)
            )
        )
        y += label_h
        for n, bar in enumerate(row.bars):
            length = 0.0
            if bar.value is not None and top > 0:
                length = span * min(max(bar.value, 0) / top, 1)
            if length > 0:
                parts.append(
                    Markup(
                        '<rect class="chart__bar" x="1" y="{}" width="{:.1f}" height="{}" '
                        'fill="{}" stroke="{}"/>'
                    ).format(y, length, bar_h - 4, fills[n], SERIES_STROKES[n])
                )
            parts.append(
                Markup('<text class="chart__value" x="{:.1f}" y="{}">{}</text>').format(
                    length + 6, y + bar_h - 7, bar.text
                )
            )
            y += bar_h
        y += gap
    parts.append(Markup("</svg>"))
    # every piece is a literal template whose values Markup.format escapes
    return Markup("").join(parts)
