"""Prometheus instruments. Each ``Metrics`` owns its registry (no global state), so tests
and several apps in one process never share counters.

Counters and histograms are fed by the worker/service as things happen, in the process
that saw the event (each role serves its own: the web port's ``/metrics``, or
``SEEDREAM_METRICS_PORT`` for roles without one). The gauges that describe the whole
deployment (jobs by state, queue age, delivery backlog, provider health, worker
heartbeats) are read from the database when ``/metrics`` is scraped
(``refresh_from_db``), so they are right in every process whichever one ran the job.
docs/operations-alerts.md lists every series and the alert rules that use them.

Label values must come from bounded sets (catalogue model ids, provider names, platform
names); never a prompt, an account or a job id.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from core.clock import utcnow
from core.db.tables import jobs
from core.jobs.status import FINAL_STATUSES, JobStatus
from core.observability.dashboard import ProviderHealthView, provider_health_view
from core.observability.health import worker_heartbeats

try:  # prometheus-client >= 0.22 names the classic text format explicitly
    from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4 as CONTENT_TYPE
except ImportError:  # pragma: no cover - older prometheus-client
    from prometheus_client import CONTENT_TYPE_LATEST as CONTENT_TYPE

JOB_STATES = tuple(JobStatus)
FINISH_OUTCOMES = FINAL_STATUSES

# Image generation takes seconds to minutes; a queue wait can be long under load.
GENERATION_BUCKETS_S = (1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600)
PROVIDER_BUCKETS_S = (0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300)
PROVIDER_WINDOW = timedelta(minutes=5)
QUEUE_WAIT_BUCKETS_S = (0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)
# A worker writes its heartbeat (its provider_circuits rows) every 10 s, busy or idle.
WORKER_ALIVE_S = 30.0  # three heartbeats missed: not alive
WORKER_SEEN_S = 3600.0  # a silent worker is reported by name for this long, then dropped
# Ended jobs are announced again for 24 h (WorkerSettings.redeliver_for_s); older ones are
# given up on and leave the backlog.
DELIVERY_WINDOW = timedelta(hours=24)
WEBHOOK_SOURCES = ("stripe", "telegram")
# Why a webhook request was not applied: a bounded set, checked at the call.
WEBHOOK_FAILURE_REASONS = (
    "bad_signature",  # Stripe: signature, timestamp or payload refused (400)
    "wrong_secret",  # Telegram: secret token header wrong (403)
    "too_large",  # body over the limit (413)
    "malformed",  # Telegram: not an update this bot can read (answered 200, dropped)
    "not_configured",  # Stripe: payments not set up here (404)
    "error",  # failed while applying it (500): the platform sends it again
)


class Metrics:
    def __init__(
        self,
        registry: CollectorRegistry | None = None,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.registry = registry if registry is not None else CollectorRegistry(auto_describe=True)
        # The gauges set at scrape (``refresh_from_db``): served only where they are read,
        # never by a role's metrics port, where they would stay at 0 and mislead.
        self.scrape_registry = CollectorRegistry(auto_describe=True)
        self._clock = clock
        r, g = self.registry, self.scrape_registry

        self.jobs_submitted = Counter(
            "seedream_jobs_submitted_total", "Jobs accepted and queued.", ["model"], registry=r
        )
        self.jobs_started = Counter(
            "seedream_jobs_started_total", "Jobs claimed by a worker.", ["model"], registry=r
        )
        self.jobs_finished = Counter(
            "seedream_jobs_finished_total",
            "Jobs that reached a final state.",
            ["model", "provider", "outcome"],
            registry=r,
        )
        self.refunds = Counter("seedream_refunds_total", "Refunds written.", registry=r)
        self.refunded_credits = Counter(
            "seedream_refunded_credits_total", "Credits given back by refunds.", registry=r
        )
        self.generation_duration = Histogram(
            "seedream_generation_duration_seconds",
            "From a worker claiming a job to its final state.",
            ["model", "provider"],
            buckets=GENERATION_BUCKETS_S,
            registry=r,
        )
        self.provider_request_duration = Histogram(
            "seedream_provider_request_duration_seconds",
            "One request to an image provider.",
            ["provider"],
            buckets=PROVIDER_BUCKETS_S,
            registry=r,
        )
        self.queue_wait = Histogram(
            "seedream_queue_wait_seconds",
            "From a job being created to a worker starting it.",
            buckets=QUEUE_WAIT_BUCKETS_S,
            registry=r,
        )
        self.job_retries = Counter(
            "seedream_job_retries_total",
            "Attempts that failed and were scheduled again.",
            ["provider", "reason"],
            registry=r,
        )
        self.deliveries = Counter(
            "seedream_deliveries_total",
            "Results handed to a chat platform.",
            ["platform", "outcome"],
            registry=r,
        )
        self.jobs_by_state = Gauge(
            "seedream_jobs",
            "Jobs in the database by state (read at scrape).",
            ["state"],
            registry=g,
        )
        self.queue_depth = Gauge(
            "seedream_queue_depth", "Wake-up messages waiting in the job queue.", registry=g
        )
        self.oldest_queued_age = Gauge(
            "seedream_oldest_queued_job_age_seconds",
            "Age of the oldest queued job; 0 when none is queued.",
            registry=g,
        )
        # Provider health as every worker wrote it (core.observability.health), read at
        # scrape over the last PROVIDER_WINDOW: alert rules divide failures by requests.
        self.provider_requests_window = Gauge(
            "seedream_provider_requests_5m",
            "Requests to each image provider in the last 5 minutes, all workers.",
            ["provider"],
            registry=g,
        )
        self.provider_failures_window = Gauge(
            "seedream_provider_failures_5m",
            "Failed requests to each image provider in the last 5 minutes, by kind.",
            ["provider", "kind"],
            registry=g,
        )
        self.provider_circuit_open = Gauge(
            "seedream_provider_circuit_open_workers",
            "Workers (reporting lately) whose circuit for the provider is open.",
            ["provider"],
            registry=g,
        )
        self.webhooks_received = Counter(
            "seedream_webhooks_received_total",
            "Webhook requests received, by source (stripe, telegram).",
            ["source"],
            registry=r,
        )
        self.webhook_failures = Counter(
            "seedream_webhook_failures_total",
            "Webhook requests refused or failed, by source and reason.",
            ["source", "reason"],
            registry=r,
        )
        self.workers_heartbeating = Gauge(
            "seedream_workers_heartbeating",
            f"Workers (busy or idle) with a heartbeat in the last {WORKER_ALIVE_S:.0f} s.",
            registry=g,
        )
        self.worker_heartbeat_age = Gauge(
            "seedream_worker_heartbeat_age_seconds",
            "Seconds since each worker's last heartbeat; workers seen in the last hour that "
            "did not stop cleanly (a clean stop removes its row).",
            ["worker"],
            registry=g,
        )
        self.delivery_backlog = Gauge(
            "seedream_delivery_backlog",
            "Jobs ended in the last 24 h whose result no chat adapter has taken yet.",
            registry=g,
        )
        self.oldest_undelivered_age = Gauge(
            "seedream_oldest_undelivered_job_age_seconds",
            "Seconds since the oldest undelivered job (of the last 24 h) ended; 0 when none.",
            registry=g,
        )
        # Exported as 0 from the first scrape: increase() misses a series' first sample,
        # so a failure counter born at 1 would never show an increase.
        for source in WEBHOOK_SOURCES:
            self.webhooks_received.labels(source=source)
            for reason in WEBHOOK_FAILURE_REASONS:
                self.webhook_failures.labels(source=source, reason=reason)
        # Product analytics (core.observability.analytics): sent, not_opted_in (skipped),
        # queue_full and send_failed (both dropped, never retried).
        self.analytics_events = Counter(
            "seedream_analytics_events_total",
            "Product analytics events by outcome.",
            ["outcome"],
            registry=r,
        )
        for state in JOB_STATES:  # every state is exported from the first scrape
            self.jobs_by_state.labels(state=state)

    # -- events (called by the worker and the service) ---------------------------------

    def job_submitted(self, model: str) -> None:
        self.jobs_submitted.labels(model=model).inc()

    def job_started(self, model: str, wait_s: float) -> None:
        """A worker claimed a job ``wait_s`` seconds after it was created."""
        self.jobs_started.labels(model=model).inc()
        self.queue_wait.observe(max(0.0, wait_s))

    def job_finished(self, model: str, provider: str, outcome: str, duration_s: float) -> None:
        """``outcome``: succeeded | failed | cancelled; ``duration_s``: claim → done."""
        if outcome not in FINISH_OUTCOMES:
            raise ValueError(f"unknown job outcome {outcome!r}")
        self.jobs_finished.labels(model=model, provider=provider, outcome=outcome).inc()
        self.generation_duration.labels(model=model, provider=provider).observe(
            max(0.0, duration_s)
        )

    def provider_call(self, provider: str, duration_s: float) -> None:
        self.provider_request_duration.labels(provider=provider).observe(max(0.0, duration_s))

    def job_retried(self, provider: str, reason: str) -> None:
        self.job_retries.labels(provider=provider, reason=reason).inc()

    def refunded(self, credits: int) -> None:
        if credits < 0:
            raise ValueError("refunded credits cannot be negative")
        self.refunds.inc()
        self.refunded_credits.inc(credits)

    def delivered(self, platform: str, ok: bool) -> None:
        self.delivery(platform, "ok" if ok else "failed")

    def delivery(self, platform: str, outcome: str) -> None:
        """``outcome`` from a bounded set: ok, failed, blocked, migrated, timed_out."""
        self.deliveries.labels(platform=platform, outcome=outcome).inc()

    def webhook_received(self, source: str) -> None:
        if source not in WEBHOOK_SOURCES:
            raise ValueError(f"unknown webhook source {source!r}")
        self.webhooks_received.labels(source=source).inc()

    def webhook_failed(self, source: str, reason: str) -> None:
        """A webhook request that was refused or failed (``WEBHOOK_FAILURE_REASONS``)."""
        if source not in WEBHOOK_SOURCES:
            raise ValueError(f"unknown webhook source {source!r}")
        if reason not in WEBHOOK_FAILURE_REASONS:
            raise ValueError(f"unknown webhook failure reason {reason!r}")
        self.webhook_failures.labels(source=source, reason=reason).inc()

    def analytics_event(self, outcome: str, count: int = 1) -> None:
        """``outcome``: sent, not_opted_in, queue_full or send_failed."""
        self.analytics_events.labels(outcome=outcome).inc(count)

    # -- scrape ------------------------------------------------------------------------

    async def refresh_from_db(self, engine: AsyncEngine, queue_depth: int) -> None:
        """Set the job-state gauges from one grouped query on ``jobs``."""
        query = select(jobs.c.status, func.count(), func.min(jobs.c.created_at)).group_by(
            jobs.c.status
        )
        now = self._clock()
        undelivered = undelivered_query(now)
        async with engine.connect() as conn:
            rows = (await conn.execute(query)).all()
            providers = await provider_health_view(conn, now, window=PROVIDER_WINDOW)
            backlog, oldest_ended = (await conn.execute(undelivered)).one()
            heartbeats = await worker_heartbeats(conn, since=now - timedelta(seconds=WORKER_SEEN_S))
        self._set_provider_gauges(providers)
        self._set_worker_gauges(heartbeats, now)
        self.delivery_backlog.set(backlog)
        self.oldest_undelivered_age.set(_age_s(now, oldest_ended))
        counts = dict.fromkeys(JOB_STATES, 0)
        oldest_queued: datetime | None = None
        for status, count, oldest in rows:
            counts[status] = count
            if status == JobStatus.QUEUED:
                oldest_queued = oldest
        for state, count in counts.items():
            self.jobs_by_state.labels(state=state).set(count)
        self.queue_depth.set(queue_depth)
        self.oldest_queued_age.set(_age_s(now, oldest_queued))

    def _set_worker_gauges(self, heartbeats: dict[str, datetime], now: datetime) -> None:
        self.worker_heartbeat_age.clear()  # a worker that stopped cleanly is gone
        alive = 0
        for worker, last in heartbeats.items():
            age_s = _age_s(now, last)
            self.worker_heartbeat_age.labels(worker=worker).set(age_s)
            alive += age_s <= WORKER_ALIVE_S
        self.workers_heartbeating.set(alive)

    def _set_provider_gauges(self, providers: tuple[ProviderHealthView, ...]) -> None:
        for gauge in (
            self.provider_requests_window,
            self.provider_failures_window,
            self.provider_circuit_open,
        ):
            gauge.clear()  # a provider gone from the window is gone from the scrape
        for p in providers:
            self.provider_requests_window.labels(provider=p.provider).set(p.requests)
            for kind, count in (
                ("transient", p.failed_transient),
                ("rate_limited", p.failed_rate_limited),
                ("timeout", p.failed_timeout),
                ("permanent", p.failed_permanent),
            ):
                self.provider_failures_window.labels(provider=p.provider, kind=kind).set(count)
            self.provider_circuit_open.labels(provider=p.provider).set(p.circuit_open_workers)

    def render(self) -> tuple[bytes, str]:
        """The exposition text (counters and the gauges read at scrape) and its content
        type."""
        body = generate_latest(self.registry) + generate_latest(self.scrape_registry)
        return body, CONTENT_TYPE

    def render_own(self) -> tuple[bytes, str]:
        """Only what this process counted: for a metrics port (``refresh_from_db`` is
        the web process's)."""
        return generate_latest(self.registry), CONTENT_TYPE


def undelivered_query(now: datetime) -> Select:
    """How many ended jobs of the last ``DELIVERY_WINDOW`` wait for delivery, and when
    the oldest of them ended (the partial index ``ix_jobs_undelivered`` answers it)."""
    return select(func.count(), func.min(jobs.c.finished_at)).where(
        jobs.c.status.in_(FINAL_STATUSES),
        jobs.c.delivered_at.is_(None),
        jobs.c.finished_at > now - DELIVERY_WINDOW,
    )


def _age_s(now: datetime, since: datetime | None) -> float:
    return 0.0 if since is None else max(0.0, (now - since).total_seconds())
