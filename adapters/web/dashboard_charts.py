"""The dashboard's charts, drawn here as inline SVG (no script, no library): a stacked
bar chart of jobs per hour and horizontal bar charts of a few named values.

Each chart is an ``<svg role="img">`` whose ``aria-label`` says what it shows and
points to the table of its numbers next to it (the template renders that table; a
screen reader reads the numbers there). Colours come from classes in ``site.css``
(the CSP allows no inline styles); every number is an int or a float we format."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["Bar", "bar_chart", "stacked_hours_chart"]

SERIES = ("succeeded", "failed", "cancelled")  # class names in site.css, in stack order


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # shown next to the bar (already localised)
    value: float
    shown: str  # the value as text (localised, with its unit)
    css: str = "bar"


def _nice_max(value: float) -> float:
    """The axis top: ``value`` rounded up to 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 1.0
    while power * 10 <= value:
        power *= 10
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # not reached


def stacked_hours_chart(
    hours: Sequence[tuple[str, Sequence[int]]], *, label: str, chart_id: str
) -> Markup:
    """``hours``: (hour label, one count per ``SERIES``) oldest first; ``label`` is the
    accessible description (which names the table holding the numbers)."""
    width, height, left, bottom, top = 720, 220, 40, 24, 10
    plot_h = height - bottom - top
    slot = (width - left) / max(1, len(hours))
    top_value = _nice_max(max((sum(c) for _, c in hours), default=0))
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" role="img" aria-label="{escape(label)}"'
        f' viewBox="0 0 {width} {height}" preserveAspectRatio="xMidYMid meet"'
        ' xmlns="http://www.w3.org/2000/svg">'
    ]
    for fraction in (0.0, 0.5, 1.0):  # grid lines with their values
        y = top + plot_h * (1 - fraction)
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="axis" x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">'
            f"{_number(top_value * fraction)}</text>"
        )
    for index, (hour, counts) in enumerate(hours):
        x = left + index * slot + slot * 0.15
        y = top + plot_h
        for series, count in zip(SERIES, counts, strict=True):
            if count <= 0:
                continue
            bar_h = plot_h * count / top_value
            y -= bar_h
            parts.append(
                f'<rect class="{series}" x="{x:.1f}" y="{y:.1f}"'
                f' width="{slot * 0.7:.1f}" height="{bar_h:.1f}"/>'
            )
        if index % 3 == 0:  # every third hour's label fits
            parts.append(
                f'<text class="axis" x="{x + slot * 0.35:.1f}" y="{height - 6}"'
                f' text-anchor="middle">{escape(hour)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(bars: Sequence[Bar], *, label: str, chart_id: str) -> Markup:
    """Horizontal bars, one per ``Bar``, scaled to the largest value; each bar's label
    above it (so a long label in any language fits), its value at its end."""
    row_h, value_w, width = 44, 130, 720
    height = max(1, len(bars)) * row_h + 4
    top_value = max((b.value for b in bars), default=0.0) or 1.0
    span = width - value_w
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" role="img" aria-label="{escape(label)}"'
        f' viewBox="0 0 {width} {height}" preserveAspectRatio="xMidYMid meet"'
        ' xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, bar in enumerate(bars):
        y = index * row_h
        bar_w = max(0.0, span * bar.value / top_value)
        parts.append(
            f'<text class="label" x="0" y="{y + 16}">{escape(bar.label)}</text>'
            f'<rect class="{escape(bar.css)}" x="0" y="{y + 22}"'
            f' width="{bar_w:.1f}" height="16"/>'
            f'<text class="value" x="{bar_w + 6:.1f}" y="{y + 35}">{escape(bar.shown)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
