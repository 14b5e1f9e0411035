"""The analytics recorder never blocks and never grows without bound: off, it queues
nothing; full, it drops and counts; a property that is not a short word from a bounded
set (a prompt, a link) is left out; a failure is described without URL, key or body."""

from __future__ import annotations

import httpx

from core.observability.analytics import Analytics, AnalyticsSettings, _props, _why
from core.observability.metrics import Metrics


class _NeverCalled:
    async def send(self, events) -> None:  # pragma: no cover - the test never yields
        raise AssertionError("nothing is sent before the loop runs")


def _count(metrics: Metrics, outcome: str) -> float:
    value = metrics.registry.get_sample_value(
        "seedream_analytics_events_total", {"outcome": outcome}
    )
    return value or 0.0


async def test_off_by_default_queues_nothing():
    analytics = Analytics()
    analytics.record_command("console", "ada", "imagine")
    analytics.record_job(1, succeeded=True, model_id="preview", image_count=1)
    assert not analytics.enabled and analytics._queue is None and analytics._task is None
    await analytics.flush()
    await analytics.aclose()


async def test_a_full_queue_drops_and_counts_without_waiting():
    metrics = Metrics()
    analytics = Analytics(
        uow=object(),  # type: ignore[arg-type]  # never reached: the loop does not run
        sink=_NeverCalled(),
        metrics=metrics,
        settings=AnalyticsSettings(queue_size=2, drain_timeout_s=0.0),
    )
    for _ in range(5):  # no await in between: the sender cannot take any
        analytics.record_purchase(1, method="card", kind="pack")
    assert analytics._queue is not None and analytics._queue.qsize() == 2
    assert _count(metrics, "queue_full") == 3
    analytics._task.cancel()  # type: ignore[union-attr]
    await analytics.aclose()


def test_only_short_words_and_small_numbers_are_sent():
    props = _props(
        command="imagine",
        model="seedream-4.0",
        prompt="a red fox in snow",
        link="https://example.com/a.png?sig=1",
        images=2,
        balance=10**9,
        flag=True,
        error=None,
    )
    assert props == {"command": "imagine", "model": "seedream-4.0", "images": 2}


def test_a_failure_is_described_by_type_and_status_only():
    request = httpx.Request("POST", "https://analytics.example/batch/?token=secret")
    response = httpx.Response(503, request=request, text="api_key phc_secret")
    refused = httpx.HTTPStatusError(
        "503 for https://analytics.example", request=request, response=response
    )
    assert _why(refused) == "HTTPStatusError status=503"
    assert (
        _why(httpx.ConnectTimeout("timed out connecting to analytics.example")) == "ConnectTimeout"
    )


async def test_after_shutdown_events_are_ignored_and_no_sender_starts():
    analytics = Analytics(uow=object(), sink=_NeverCalled())  # type: ignore[arg-type]
    await analytics.aclose()
    analytics.record_command("console", "ada", "credits")
    assert analytics._task is None and analytics._queue is None
