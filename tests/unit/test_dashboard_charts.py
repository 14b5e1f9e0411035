"""The dashboard's SVG charts (adapters.web.dashboard_charts): bars in proportion to
their values on a round axis, labels escaped, an accessible label on every chart, and
no inline style (the CSP allows none)."""

from __future__ import annotations

import re

import pytest

from adapters.web.dashboard import parse_credits
from adapters.web.dashboard_charts import Bar, _nice_max, bar_chart, stacked_hours_chart

HEIGHT = re.compile(r'<rect class="(\w+)"[^>]* height="([0-9.]+)"')
WIDTH = re.compile(r'<rect class="(\w+)"[^>]* width="([0-9.]+)"')


@pytest.mark.parametrize(
    ("value", "axis"), [(0, 1), (1, 1), (3, 5), (7, 10), (11, 20), (180, 200), (999, 1000)]
)
def test_the_axis_top_is_a_round_number_at_least_the_largest_value(value, axis):
    assert _nice_max(value) == axis


def test_stacked_bars_are_in_proportion_and_in_series_order():
    svg = stacked_hours_chart(
        [("08", (6, 2, 0)), ("09", (0, 0, 0)), ("10", (3, 0, 1))],
        label='Jobs per hour: 9 succeeded, "2" failed',
        chart_id="jobs",
    )
    assert svg.startswith('<svg class="chart" id="jobs" role="img"')
    assert 'aria-label="Jobs per hour: 9 succeeded, &#34;2&#34; failed"' in svg
    bars = [(css, float(h)) for css, h in HEIGHT.findall(svg)]
    assert [css for css, _ in bars] == ["succeeded", "failed", "succeeded", "cancelled"]
    (_, six), (_, two), (_, three), (_, one) = bars
    assert six == pytest.approx(3 * two, abs=0.3) and three == pytest.approx(3 * one, abs=0.3)
    assert six + two == pytest.approx(186 * 8 / 10, abs=0.3)  # the plot's height, axis top 10
    assert "style=" not in svg and "<script" not in svg


def test_horizontal_bars_scale_to_the_largest_and_escape_labels():
    svg = bar_chart(
        [
            Bar("Sold", 750, "750", "succeeded"),
            Bar("<b>Given</b>", 250, "250"),
            Bar("Lost", 0, "0"),
        ],
        label="Credits",
        chart_id="credits",
    )
    widths = [float(w) for _, w in WIDTH.findall(svg)]
    assert widths[0] == pytest.approx(3 * widths[1], abs=0.3) and widths[2] == 0
    assert "&lt;b&gt;Given&lt;/b&gt;" in svg and "<b>" not in svg
    assert 'role="img" aria-label="Credits"' in svg


@pytest.mark.parametrize(
    ("text", "credits"),
    [
        ("1", 1),
        (" 250 ", 250),
        ("1000000000", 10**9),
        ("0", None),
        ("-5", None),
        ("1000000001", None),
        ("12.5", None),
        ("1e3", None),
        ("", None),
        ("²", None),
        ("99999999999", None),
        ("1_000", None),
    ],
)
def test_the_page_takes_the_clis_amounts_but_only_to_give(text, credits):
    assert parse_credits(text) == credits
