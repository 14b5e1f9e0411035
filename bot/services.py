"""What the composition root opens for a process: Redis, the object storage, the erasure
journal's store, product analytics and payments, each closed by the caller's exit stack."""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack

import httpx
from redis.asyncio import BlockingConnectionPool, Redis

from bot.settings import MissingSetting, Settings
from core.billing.payments import Payments
from core.db.engine import UnitOfWorkFactory
from core.observability.analytics import Analytics, AnalyticsSettings, build_sink
from core.observability.metrics import Metrics
from core.storage.local import LocalObjectStore
from core.storage.port import ObjectStore

log = logging.getLogger("seedream.bootstrap")


async def open_redis(url: str, settings: Settings, stack: AsyncExitStack) -> Redis:
    # A blocking pool waits for a free connection instead of failing under a burst
    # (1,000 jobs in flight); no socket timeout, because Python 3.11's wait_for around
    # socket I/O can swallow a cancellation, and blocking reads have their own timeouts.
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=max(64, settings.worker_concurrency * 2 + 32),
        timeout=30,
        socket_timeout=None,
        socket_keepalive=True,
        health_check_interval=30,
    )
    redis = Redis.from_pool(pool)  # the client owns the pool: aclose() closes it too
    stack.push_async_callback(redis.aclose)
    await redis.ping()  # fail at start-up, not at the first /imagine
    return redis


async def open_storage(settings: Settings, stack: AsyncExitStack) -> ObjectStore:
    if settings.s3_bucket:
        from core.storage.s3 import S3ObjectStore, open_s3_client, open_s3_direct

        key_id, secret = (
            secret_value(settings.s3_access_key_id),
            secret_value(settings.s3_secret_access_key),
        )
        client = await open_s3_client(
            stack,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=key_id,
            secret_access_key=secret,
        )
        return S3ObjectStore(
            client,
            bucket=settings.s3_bucket,
            public_base_url=settings.s3_public_base_url,
            direct=await open_s3_direct(stack, client, key_id, secret),
        )
    return LocalObjectStore(
        settings.data_dir / "media",
        public_base_url=settings.resolved_public_base_url(),
        signing_secret=settings.resolved_signing_secret(),
    )


def journal_store(settings: Settings, storage: ObjectStore) -> ObjectStore:
    """Where the erasure journal lives: its own folder when configured, else ``storage``."""
    if settings.erasure_journal_dir is None:
        return storage
    return LocalObjectStore(
        settings.erasure_journal_dir,
        public_base_url=settings.resolved_public_base_url(),  # never linked to
        signing_secret=settings.resolved_signing_secret(),
    )


def open_analytics(
    settings: Settings,
    http: httpx.AsyncClient,
    uow: UnitOfWorkFactory,
    metrics: Metrics,
    stack: AsyncExitStack,
) -> Analytics:
    """Product analytics when a kind is set (off otherwise: every event is a no-op).

    Raises:
        MissingSetting: a kind without its URL or key.
    """
    if not settings.analytics_kind:
        return Analytics()
    try:
        sink = build_sink(
            settings.analytics_kind,
            http=http,
            url=settings.analytics_url or "",
            key=secret_value(settings.analytics_key) or "",
            timeout_s=settings.analytics_timeout_s,
        )
    except ValueError:
        raise MissingSetting(
            "SEEDREAM_ANALYTICS_KIND is set: SEEDREAM_ANALYTICS_URL and SEEDREAM_ANALYTICS_KEY "
            "are needed too (README, Product analytics)"
        ) from None
    analytics = Analytics(
        uow=uow,
        sink=sink,
        metrics=metrics,
        settings=AnalyticsSettings(queue_size=settings.analytics_queue_size),
    )
    stack.push_async_callback(analytics.aclose)  # sends what is queued, briefly
    return analytics


def open_payments(settings: Settings, stack: AsyncExitStack) -> Payments | None:
    """Stripe when its secret key is set; no card payments otherwise."""
    key = secret_value(settings.stripe_secret_key)
    if not key:
        return None
    from core.billing.payments_stripe import StripePayments

    payments = StripePayments(
        secret_key=key,
        webhook_secret=secret_value(settings.stripe_webhook_secret),
        api_base=settings.stripe_api_base,
        webhook_tolerance_s=settings.stripe_webhook_tolerance_s,
        max_network_retries=settings.stripe_max_network_retries,
    )
    stack.push_async_callback(payments.aclose)
    return payments


def secret_value(value) -> str | None:
    return value.get_secret_value() if value is not None else None
