"""The server-drawn bar chart: accessible, escaped, patterns besides colour, fits a phone."""

from __future__ import annotations

import re
from datetime import date

import pytest

from marketplace.charts import Bar, BarRow, Point, bar_chart, step_chart


def _rects(svg: str) -> list[str]:
    return re.findall(r'<rect class="chart__bar" x="1" y="[^"]+" width="([^"]+)"', svg)


def test_a_bar_chart_is_an_image_with_a_title_and_a_description():
    svg = bar_chart(
        [BarRow("Running", (Bar(4, "4"),)), BarRow("Completed", (Bar(2, "2"),))],
        "Placements",
        "The table has the same numbers.",
        chart_id="chart-p",
    )
    assert svg.startswith('<svg class="chart chart--bars" viewBox="0 0 400 ')
    assert 'role="img" aria-labelledby="chart-p-title chart-p-desc"' in svg
    assert '<title id="chart-p-title">Placements</title>' in svg
    assert '<desc id="chart-p-desc">The table has the same numbers.</desc>' in svg
    assert _rects(svg) == ["290.0", "145.0"]  # the largest fills the room for bars
    assert re.findall(r'class="chart__value"[^>]*>([^<]*)<', svg) == ["4", "2"]


def test_labels_are_escaped_and_long_ones_shortened():
    svg = bar_chart([BarRow("<script>" + "x" * 60, (Bar(1, "1"),))], "<b>", "&", chart_id="c")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "…" in svg
    assert '<title id="c-title">&lt;b&gt;</title>' in svg


def test_a_hidden_value_draws_no_bar_but_says_why():
    svg = bar_chart(
        [BarRow("Ended early", (Bar(None, "fewer than 3"),)), BarRow("Zero", (Bar(0, "0"),))],
        "t",
        "d",
        chart_id="c",
    )
    assert _rects(svg) == []
    assert "fewer than 3" in svg


def test_series_have_a_legend_and_a_pattern_each_and_a_fixed_maximum():
    svg = bar_chart(
        [BarRow("Place", (Bar(2.5, "2.5"), Bar(5, "5.0")))],
        "t",
        "d",
        chart_id="fb",
        series=("Meaningful", "Respect"),
        maximum=5,
    )
    assert '<pattern id="fb-hatch"' in svg and 'fill="url(#fb-hatch)"' in svg
    assert ">Meaningful</text>" in svg and ">Respect</text>" in svg
    widths = re.findall(r'y="\d+" width="([\d.]+)" height="16" fill', svg)
    assert widths[-2:] == ["145.0", "290.0"]
    with pytest.raises(ValueError):
        bar_chart([], "t", "d", chart_id="x", series=("a", "b", "c", "d"))


def test_the_step_chart_still_draws():
    svg = step_chart(
        [Point(date(2026, 1, 1), 2), Point(date(2026, 3, 1), 4)],
        {n: str(n) for n in range(1, 7)},
        "Ladder",
        "Now on 4.",
    )
    assert 'role="img"' in svg and "chart__line" in svg
