"""Failover across a model's routes: each configured service in the catalogue's order,
behind its circuit breaker and its concurrency cap, within its own time limit. A
transient failure moves on to the next route and, when every route failed, asks for a
retry with backoff; a refusal or a permanent error stops at once and names its route."""

from __future__ import annotations

import asyncio
import logging
import random
import time

from core.catalog import Catalog, ModelSpec
from core.errors import (
    ProviderError,
    ProviderPermanent,
    ProviderRateLimited,
    ProviderRefused,
    ProviderTransient,
    RouteUnsupported,
)
from core.jobs.claimed import ClaimedJob
from core.jobs.worker_settings import WorkerSettings
from core.messaging.limits import ConcurrencyCap
from core.observability.health import HealthRecorder
from core.observability.metrics import Metrics
from core.providers import GenerationResult, GenerationSpec, Provider, SourceImage
from core.providers.circuit import CircuitBreaker

log = logging.getLogger("seedream.worker")


class RetryLater(Exception):
    """The attempt ends without an outcome: hand the job back, to run after ``delay_s``."""

    def __init__(self, delay_s: float, *, count_attempt: bool, reason: str) -> None:
        self.delay_s, self.count_attempt, self.reason = delay_s, count_attempt, reason


class RouteFailover:
    """Generates a claimed job's images through the first route that can."""

    def __init__(
        self,
        *,
        providers: dict[str, Provider],
        catalog: Catalog,
        caps: ConcurrencyCap,
        metrics: Metrics,
        settings: WorkerSettings,
        breaker: CircuitBreaker,
        health: HealthRecorder | None = None,
    ) -> None:
        self._providers = providers
        self._health = health
        self._catalog = catalog
        self._caps = caps
        self._metrics = metrics
        self._breaker = breaker
        self.settings = settings

    async def generate(
        self,
        job: ClaimedJob,
        model: ModelSpec,
        prompt: str,
        references: tuple[SourceImage, ...] = (),
    ) -> tuple[str, GenerationResult]:
        """The route that served ``job`` and what it made.

        Raises:
            RetryLater: every route failed for now, or every usable one was busy.
            ProviderRefused, ProviderPermanent: a route refused or cannot ever serve it.
            RouteUnsupported: no route can serve this request (refunded by the caller).
        """
        last_error: ProviderError | None = None
        unsupported: RouteUnsupported | None = None  # the last route that could not serve
        all_busy, skipped_busy = True, False
        for route in model.routes:
            name = route.split(":", 1)[0]
            provider = self._providers.get(name)
            if provider is None:
                continue
            limits = self._catalog.provider_limits(name)
            # The block settles the breaker's trial on every way out (cap full, refusal,
            # bad request, timeout, cancellation); a lost one expires after its limit.
            slot_s = limits.timeout_s + self.settings.lease_s  # a lost call's longest hold
            with self._breaker.attempt(name, time_limit_s=slot_s) as permit:
                if permit is None:
                    continue
                cap = f"provider:{name}"
                if not await self._caps.acquire(
                    cap,
                    job.id,
                    limit=limits.max_concurrency,
                    lease_s=slot_s,
                ):
                    skipped_busy = True
                    continue
                all_busy = False
                spec = GenerationSpec(
                    prompt=prompt,
                    negative_prompt=job.negative_prompt,
                    # A request with references goes to the route's edit endpoint where
                    # the catalogue names one (fal's Seedream ``…/edit``).
                    model=model.provider_model(route, with_references=bool(references)),
                    aspect_ratio=job.aspect_ratio,
                    width=job.width_px,
                    height=job.height_px,
                    seed=job.seed,
                    image_count=job.image_count,
                    reference_images=references,
                    output_modalities=model.output_modalities,
                )
                called = time.monotonic()
                # For the shared health counts (core.observability.health); a cancelled
                # call or a crash in our own code says nothing about the service.
                outcome: str | None = None
                try:
                    async with asyncio.timeout(limits.timeout_s):
                        result = await provider.generate(spec)
                    outcome = "ok"
                    permit.succeeded()
                    return route, result
                except TimeoutError:
                    last_error = ProviderTransient(reason="provider timed out")
                    outcome = "timeout"
                    permit.failed()
                except (ProviderTransient, ProviderRateLimited) as exc:
                    last_error = exc
                    outcome = (
                        "rate_limited" if isinstance(exc, ProviderRateLimited) else "transient"
                    )
                    permit.failed()
                except RouteUnsupported as exc:  # not this service's model or option: next route
                    permit.succeeded()  # the service itself answered fine
                    outcome = "ok"
                    exc.route, unsupported = route, exc
                    log.warning("route=%s cannot serve this request; trying the next route", route)
                    continue
                except ProviderError as exc:  # refused or permanent: no failover, say who
                    if isinstance(exc, ProviderRefused):
                        permit.succeeded()  # it answered: the service works
                    outcome = "ok" if isinstance(exc, ProviderRefused) else "permanent"
                    exc.route = route
                    raise
                finally:
                    took_s = time.monotonic() - called
                    self._metrics.provider_call(name, took_s)
                    if self._health is not None and outcome is not None:
                        self._health.record(name, outcome, took_s)
                    try:
                        await self._caps.release(cap, job.id)
                    except Exception:  # never mask the outcome; the slot's lease runs out
                        log.warning("could not release the %s slot", name, exc_info=True)
            log.warning("route=%s failed code=%s; trying the next route", route, last_error.code)
        if last_error is not None:
            raise RetryLater(
                self.backoff_s(job, last_error), count_attempt=True, reason=last_error.code
            )
        if unsupported is not None and not skipped_busy:  # no route can serve it: refunded
            raise unsupported
        if (all_busy or skipped_busy) and any(
            self._providers.get(r.split(":", 1)[0]) for r in model.routes
        ):
            raise RetryLater(
                self.settings.busy_retry_delay_s, count_attempt=False, reason="providers_busy"
            )
        raise ProviderPermanent(reason="no configured provider serves this model")

    def backoff_s(self, job: ClaimedJob, error: ProviderError) -> float:
        retry_after = getattr(error, "retry_after_s", None)
        exponential = self.settings.retry_base_delay_s * 2 ** max(0, job.attempts - 1)
        delay = max(retry_after or 0.0, exponential * random.uniform(0.8, 1.2))
        return min(delay, self.settings.retry_max_delay_s)
