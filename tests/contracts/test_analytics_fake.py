"""The analytics fake holds to the documented capture APIs (sources in
tests/support/fake_analytics.py): it takes what PostHog's and Plausible's docs describe,
refuses what they say is required when it is missing, and our senders' requests pass."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from core.observability.analytics import (
    AnalyticsEvent,
    PlausibleSink,
    PostHogSink,
    SentEvent,
)
from tests.support.fake_analytics import PLAUSIBLE_DOMAIN, POSTHOG_KEY, FakeAnalytics
from tests.support.servers import serve_asgi

EVENT = {
    "api_key": POSTHOG_KEY,
    "event": "event name",
    "distinct_id": "user distinct id",
    "properties": {"account_type": "pro"},
    "timestamp": "2026-12-06T07:30:00+00:00",
}


@pytest.fixture
async def served():
    fake = FakeAnalytics()
    async with serve_asgi(fake.app()) as url, httpx.AsyncClient(base_url=url) as http:
        yield fake, http, url


async def test_the_documented_single_event_and_batch_are_taken(served):
    fake, http, _ = served
    assert (await http.post("/i/v0/e/", json=EVENT)).status_code == 200
    assert (await http.post("/capture/", json={**EVENT, "timestamp": None})).status_code == 200
    batch = {
        "api_key": POSTHOG_KEY,
        "batch": [
            {"event": "a", "properties": {"distinct_id": "in properties"}},
            {"event": "b", "distinct_id": "top level", "timestamp": "2026-12-06T07:30:00Z"},
        ],
    }
    assert (await http.post("/batch/", json=batch)).status_code == 200
    ids = [e["distinct_id"] for e in fake.events]
    assert ids == ["user distinct id", "user distinct id", "in properties", "top level"]


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"api_key": None}, 401),
        ({"api_key": ""}, 401),
        ({"event": None}, 400),
        ({"distinct_id": None}, 400),
        ({"timestamp": "yesterday at noon"}, 400),
        ({"properties": ["not", "a", "map"]}, 400),
    ],
)
async def test_what_the_docs_require_is_refused_when_missing(served, change, status):
    fake, http, _ = served
    body = {k: v for k, v in {**EVENT, **change}.items() if v is not None}
    assert (await http.post("/i/v0/e/", json=body)).status_code == status
    bad_batch = {"api_key": body.get("api_key"), "batch": [{**body, "api_key": None}]}
    if status == 400:  # one bad event refuses the whole batch
        bad_batch["batch"].insert(0, {"event": "fine", "distinct_id": "x"})
    assert (await http.post("/batch/", json=bad_batch)).status_code == status
    assert fake.events == [] and fake.refused == 2


async def test_plausible_needs_its_fields_and_a_user_agent(served):
    fake, http, _ = served
    body = {"name": "pageview", "url": "http://dummy.site", "domain": "dummy.site"}
    response = await http.post("/api/event", json=body, headers={"User-Agent": "Mozilla/5.0"})
    assert response.status_code == 202
    for missing in ("name", "url", "domain"):
        partial = {k: v for k, v in body.items() if k != missing}
        refused = await http.post("/api/event", json=partial, headers={"User-Agent": "x"})
        assert refused.status_code == 400, missing
    no_agent = await http.post("/api/event", json=body, headers={"User-Agent": ""})
    assert no_agent.status_code == 400
    nested = await http.post(
        "/api/event", json={**body, "props": {"a": {"b": 1}}}, headers={"User-Agent": "x"}
    )
    assert nested.status_code == 400
    assert len(fake.plausible) == 1


async def test_our_senders_requests_are_taken(served):
    fake, http, url = served
    at = datetime(2026, 12, 6, 7, 30, tzinfo=UTC)
    events = [
        SentEvent(AnalyticsEvent.COMMAND, "a1b2", {"command": "imagine"}, at),
        SentEvent(AnalyticsEvent.JOB_FINISHED, "a1b2", {"model": "preview", "images": 1}, at),
    ]
    await PostHogSink(http, url, POSTHOG_KEY).send(events)
    await PlausibleSink(http, url, PLAUSIBLE_DOMAIN).send(events)
    assert [(e["event"], e["distinct_id"]) for e in fake.events] == [
        ("command used", "a1b2"),
        ("job finished", "a1b2"),
    ]
    assert fake.events[0]["api_key"] == POSTHOG_KEY
    assert datetime.fromisoformat(fake.events[1]["timestamp"]) == at
    assert [p["name"] for p in fake.plausible] == ["command used", "job finished"]
    assert fake.plausible[1]["props"] == {"model": "preview", "images": "1"}
    assert "a1b2" not in str(fake.plausible)  # Plausible gets no id at all
    assert fake.refused == 0
