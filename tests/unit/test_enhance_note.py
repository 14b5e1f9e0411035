"""The "used your prompt as written" flag of a finished job (``JobEvent.enhance_skipped``)."""

from __future__ import annotations

from core.messaging.events import event_from_json, event_to_json
from core.types import JobEvent, ReplyTarget


def test_the_enhance_note_survives_the_event_bus():
    """Across processes (Redis) the event is JSON: the flag must make the trip."""
    event = JobEvent("finished", "j" * 32, 1, ReplyTarget("console", {}), "en")
    skipped = JobEvent(
        "finished", "j" * 32, 1, ReplyTarget("console", {}), "en", enhance_skipped=True
    )
    assert event_from_json(event_to_json(skipped)) == skipped
    assert event_from_json(event_to_json(event)) == event
