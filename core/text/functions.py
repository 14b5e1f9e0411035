"""The catalogue's own Fluent function, DURATION, registered on every bundle next to
Fluent's NUMBER and DATETIME, so translators (not code) decide where a duration goes:

    error-rate_limited = Please try again { DURATION($retry_after_s, direction: "in") }.

renders "Please try again in 40 seconds." / "in 1 hour" in English, "через 5 минут" in
Russian: Babel's ``format_timedelta`` in the bundle's locale, CLDR's words and plurals.

Named options (Fluent literals):
    unit       the unit of the number passed: "second" (default), "minute", "hour", "day"
    direction  "in" for a time from now ("in 40 seconds"); absent: a plain length
    width      "long" (default), "short" or "narrow" (CLDR's unit widths)

A missing parameter stays visible as ``{name}`` (it passes through untouched).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from babel import Locale
from babel.dates import format_timedelta
from fluent.runtime.types import FluentNone, FluentType, fluent_date

SECONDS_PER = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
WIDTHS = frozenset({"long", "short", "narrow"})
DIRECTIONS = frozenset({"in", "none"})


def duration_text(
    seconds: float, locale: str | Locale, *, direction: str = "none", width: str = "long"
) -> str:
    """``seconds`` in words in ``locale`` ("1 hour", or "in 1 hour" with ``direction="in"``)."""
    return format_timedelta(
        timedelta(seconds=seconds),
        add_direction=direction == "in",
        format=width,  # type: ignore[arg-type]
        locale=locale,
    )


def datetime_text(at: datetime, locale: str | Locale) -> str:
    """``at`` as the messages show it, ``DATETIME($at, dateStyle: "medium", timeStyle:
    "short")``: "Dec 6, 2026, 2:05 PM", "06.12.2026, 14:05" (in ``at``'s own zone)."""
    shown = fluent_date(at, dateStyle="medium", timeStyle="short")
    return shown.format(locale if isinstance(locale, Locale) else Locale.parse(locale))


class FluentDuration(FluentType):
    def __init__(self, seconds: float, direction: str, width: str) -> None:
        self.seconds, self.direction, self.width = seconds, direction, width

    def format(self, locale: Locale) -> str:
        return duration_text(self.seconds, locale, direction=self.direction, width=self.width)


def DURATION(
    value: Any, *, unit: str = "second", direction: str = "none", width: str = "long"
) -> FluentType:
    """Fluent's view of a duration; a wrong option or value is a Fluent error (shown as
    ``DURATION()`` and reported by ``render_checked``), never a crash."""
    if isinstance(value, FluentNone):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"DURATION takes a number, not {type(value).__name__}")
    if unit not in SECONDS_PER or direction not in DIRECTIONS or width not in WIDTHS:
        raise ValueError(
            f"DURATION options: unit {unit!r}, direction {direction!r}, width {width!r}"
        )
    return FluentDuration(float(value) * SECONDS_PER[unit], direction, width)


FUNCTIONS: dict[str, Callable[[Any], FluentType]] = {"DURATION": DURATION}
