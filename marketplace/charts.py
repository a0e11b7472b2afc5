"""Charts drawn on the server as SVG: no JavaScript, readable by screen readers.

A chart is a picture with a title and a description (``role="img"``); the page always shows
the same figures as text beside it, so nobody depends on seeing the picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape


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
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(description)}</desc>',
    ]
    for value, name in sorted(levels.items()):
        parts.append(
            f'<line class="chart__grid" x1="{left}" x2="{width - right}" '
            f'y1="{y(value)}" y2="{y(value)}"/>'
            f'<text class="chart__label" x="{left - 8}" y="{y(value) + 5}" '
            f'text-anchor="end">{escape(name)}</text>'
        )
    path = [f"M{x(points[0].day):.1f},{y(points[0].value):.1f}"]
    for point in points[1:]:
        path.append(f"H{x(point.day):.1f}V{y(point.value):.1f}")
    if len(points) == 1:
        path.append(f"H{width - right}")
    parts.append(f'<path class="chart__line" d="{" ".join(path)}"/>')
    newest = points[-1]
    cx, cy = x(newest.day), y(newest.value)
    parts.append(f'<circle class="chart__dot" cx="{cx:.1f}" cy="{cy:.1f}" r="7"/>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text in it is escaped above)
