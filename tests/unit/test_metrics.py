"""core.metrics: each event method changes the exported text as expected."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from core.observability.metrics import JOB_STATES, Metrics


def samples(metrics: Metrics) -> dict[tuple[str, frozenset], float]:
    body, _ = metrics.render()
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(body.decode())
        for s in family.samples
    }


def value(metrics: Metrics, name: str, **labels: str) -> float | None:
    return samples(metrics).get((name, frozenset(labels.items())))


def test_render_returns_prometheus_text_and_content_type() -> None:
    body, content_type = Metrics().render()
    assert content_type.startswith("text/plain; version=0.0.4")
    assert b"# TYPE seedream_jobs gauge" in body
    assert b"# TYPE seedream_jobs_submitted_total counter" in body


def test_all_job_states_exported_before_any_refresh() -> None:
    m = Metrics()
    for state in JOB_STATES:
        assert value(m, "seedream_jobs", state=state) == 0


def test_job_submitted_counts_per_model() -> None:
    m = Metrics()
    m.job_submitted("flux")
    m.job_submitted("flux")
    m.job_submitted("sdxl")
    assert value(m, "seedream_jobs_submitted_total", model="flux") == 2
    assert value(m, "seedream_jobs_submitted_total", model="sdxl") == 1


def test_job_started_observes_queue_wait() -> None:
    m = Metrics()
    m.job_started("flux", 3.0)
    m.job_started("flux", 0.2)
    m.job_started("flux", -1.0)  # clock skew between hosts: counted as zero
    assert value(m, "seedream_jobs_started_total", model="flux") == 3
    assert value(m, "seedream_queue_wait_seconds_count") == 3
    assert value(m, "seedream_queue_wait_seconds_sum") == pytest.approx(3.2)
    assert value(m, "seedream_queue_wait_seconds_bucket", le="0.5") == 2
    assert value(m, "seedream_queue_wait_seconds_bucket", le="+Inf") == 3


def test_job_finished_counts_outcome_and_duration() -> None:
    m = Metrics()
    m.job_finished("flux", "fal", "succeeded", 12.5)
    m.job_finished("flux", "fal", "failed", 4.0)
    m.job_finished("flux", "fal", "succeeded", 7.5)
    key = {"model": "flux", "provider": "fal"}
    assert value(m, "seedream_jobs_finished_total", outcome="succeeded", **key) == 2
    assert value(m, "seedream_jobs_finished_total", outcome="failed", **key) == 1
    assert value(m, "seedream_generation_duration_seconds_count", **key) == 3
    assert value(m, "seedream_generation_duration_seconds_sum", **key) == pytest.approx(24.0)
    assert value(m, "seedream_generation_duration_seconds_bucket", le="5.0", **key) == 1


def test_job_finished_rejects_unknown_outcome() -> None:
    with pytest.raises(ValueError):
        Metrics().job_finished("flux", "fal", "exploded", 1.0)


def test_provider_call_and_retries() -> None:
    m = Metrics()
    m.provider_call("fal", 1.5)
    m.provider_call("fal", 0.5)
    m.job_retried("fal", "timeout")
    m.job_retried("fal", "timeout")
    m.job_retried("local", "rate_limited")
    assert value(m, "seedream_provider_request_duration_seconds_count", provider="fal") == 2
    assert value(
        m, "seedream_provider_request_duration_seconds_sum", provider="fal"
    ) == pytest.approx(2.0)
    assert value(m, "seedream_job_retries_total", provider="fal", reason="timeout") == 2
    assert value(m, "seedream_job_retries_total", provider="local", reason="rate_limited") == 1


def test_refunded_counts_refunds_and_credits() -> None:
    m = Metrics()
    m.refunded(40)
    m.refunded(2)
    assert value(m, "seedream_refunds_total") == 2
    assert value(m, "seedream_refunded_credits_total") == 42
    with pytest.raises(ValueError):
        m.refunded(-1)


def test_delivered_counts_ok_and_failed_per_platform() -> None:
    m = Metrics()
    m.delivered("telegram", True)
    m.delivered("telegram", False)
    m.delivered("discord", True)
    assert value(m, "seedream_deliveries_total", platform="telegram", outcome="ok") == 1
    assert value(m, "seedream_deliveries_total", platform="telegram", outcome="failed") == 1
    assert value(m, "seedream_deliveries_total", platform="discord", outcome="ok") == 1


def test_instances_do_not_share_state() -> None:
    a, b = Metrics(), Metrics()
    assert a.registry is not b.registry
    a.job_submitted("flux")
    a.refunded(5)
    assert value(a, "seedream_jobs_submitted_total", model="flux") == 1
    assert value(b, "seedream_jobs_submitted_total", model="flux") is None
    assert value(b, "seedream_refunded_credits_total") == 0
