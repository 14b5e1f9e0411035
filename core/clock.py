"""The clock: aware UTC datetimes, and the type of an injectable clock.

Code that needs "now" calls :func:`utcnow`; code whose tests move time takes a
``clock: Clock = utcnow`` argument instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)
