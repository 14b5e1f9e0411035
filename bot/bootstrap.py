"""The composition root: every process (run, console, worker, web, admin, tests)
builds the core here, inside one ``AsyncExitStack`` that closes clients in reverse
order of opening. Tests pass their own pieces as keyword overrides."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

import httpx
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.health import HealthChecks, health_checks
from bot.migrate import require_current, upgrade
from bot.services import (
    journal_store,
    open_analytics,
    open_payments,
    open_redis,
    open_storage,
)
from bot.settings import Settings
from core.billing.payments import Payments
from core.billing.privacy import register_billing_participants
from core.billing.service import Billing, BillingSettings
from core.catalog import Catalog, load_catalog
from core.db.engine import UnitOfWorkFactory, make_engine
from core.facade import Core
from core.jobs.worker import Worker, WorkerSettings
from core.messaging.events import EventBus, InProcessEventBus, SqlDeliveryClaims
from core.messaging.events_redis import RedisEventBus
from core.messaging.keys import RedisKeys
from core.messaging.limits import (
    ConcurrencyCap,
    InProcessConcurrencyCap,
    InProcessRateLimiter,
    RateLimiter,
    RedisConcurrencyCap,
    RedisRateLimiter,
)
from core.messaging.queue import InProcessQueue, JobQueue
from core.messaging.queue_redis import RedisJobQueue
from core.observability.analytics import Analytics
from core.observability.metrics import Metrics
from core.privacy.abuse import AbuseHasher, AbusePreventionParticipant
from core.privacy.journal import ErasureJournal
from core.privacy.participants import register_core_participants
from core.privacy.registry import PrivacyRegistry
from core.privacy.replay import ReplayReport, replay_journal
from core.privacy.service import PrivacyService, PrivacySettings
from core.providers import Provider
from core.providers.circuit import CircuitBreaker
from core.providers.registry import build_providers
from core.settings import CoreSettings
from core.storage.local import LocalObjectStore
from core.storage.port import ObjectStore
from core.text.catalogue import Messages

log = logging.getLogger("seedream.bootstrap")
STARS_REFUND_RESUME_INTERVAL_S = 300.0  # how often a worker asks Telegram again for pending refunds


@dataclass(frozen=True)
class App:
    """Everything a process role needs, built once."""

    settings: Settings
    catalog: Catalog
    messages: Messages
    engine: AsyncEngine
    uow: UnitOfWorkFactory
    storage: ObjectStore
    queue: JobQueue
    events: EventBus
    providers: dict[str, Provider]
    metrics: Metrics
    core: Core
    worker: Worker
    redis: Redis | None = None
    privacy: PrivacyService | None = None
    health: HealthChecks | None = None  # /healthz and /readyz (bot.health)
    journal: ErasureJournal | None = None
    # What the start-up replay of the erasure journal did (docs/backups.md).
    journal_replay: ReplayReport | None = None

    @property
    def local_store(self) -> LocalObjectStore | None:
        """The local folder store, when links must be served by ``adapters/web``."""
        return self.storage if isinstance(self.storage, LocalObjectStore) else None


@asynccontextmanager
async def bootstrap(
    settings: Settings,
    *,
    engine: AsyncEngine | None = None,
    storage: ObjectStore | None = None,
    queue: JobQueue | None = None,
    providers: dict[str, Provider] | None = None,
    catalog: Catalog | None = None,
    migrate: bool | None = None,
    payments: Payments | None = None,
) -> AsyncIterator[App]:
    """Build the application for ``settings``; close everything on exit.

    Args:
        migrate: apply migrations first; by default only for an embedded SQLite.
    """
    abuse = AbuseHasher(settings.resolved_abuse_hash_secret())  # refused before anything opens
    async with AsyncExitStack() as stack:
        catalog = catalog or load_catalog(settings.catalog_path)
        if engine is None:
            engine = make_engine(settings.resolved_database_url())
            stack.push_async_callback(engine.dispose)
        if migrate if migrate is not None else engine.dialect.name == "sqlite":
            await upgrade(engine)
        else:  # a shared database is upgraded by its operator: refuse an old schema
            await require_current(engine)
        if storage is None:
            storage = await open_storage(settings, stack)
        redis_url = settings.redis_url
        redis = await open_redis(redis_url, settings, stack) if redis_url else None
        consumer = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        if redis is not None:
            keys = RedisKeys(prefix=settings.redis_prefix)
            redis_queue = RedisJobQueue(redis, keys=keys, consumer=consumer)
            await redis_queue.ensure_group()
            queue = queue or redis_queue
            events: EventBus = RedisEventBus(
                redis,
                keys=keys,
                consumer=consumer,
                claims=SqlDeliveryClaims(UnitOfWorkFactory(engine)),
            )
            rates: RateLimiter = RedisRateLimiter(redis, keys)
            caps: ConcurrencyCap = RedisConcurrencyCap(redis, keys)
        else:
            queue = queue or InProcessQueue()
            events = InProcessEventBus(claims=SqlDeliveryClaims(UnitOfWorkFactory(engine)))
            rates = InProcessRateLimiter()
            caps = InProcessConcurrencyCap()
        http = await stack.enter_async_context(
            httpx.AsyncClient(
                timeout=httpx.Timeout(connect=10.0, read=300.0, write=60.0, pool=30.0),
                limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
                follow_redirects=True,
            )
        )
        if providers is None:
            providers = build_providers(http, settings.provider_configs())
        enhancer = None
        if settings.deepseek_api_key is not None:
            from core.providers.deepseek import DeepSeekEnhancer

            enhancer = DeepSeekEnhancer(
                http,
                api_key=settings.deepseek_api_key.get_secret_value(),
                base_url=settings.deepseek_base_url.rstrip("/"),
                model=settings.deepseek_model,
            )
        metrics = Metrics()
        uow = UnitOfWorkFactory(engine)
        analytics = open_analytics(settings, http, uow, metrics, stack)
        if payments is None:
            payments = open_payments(settings, stack)
        billing = Billing(
            uow=uow,
            catalog=catalog,
            events=events,
            payments=payments,
            settings=BillingSettings(
                policy_version=settings.policy_version,
                public_base_url=settings.resolved_public_base_url(),
                stars_secret=settings.resolved_signing_secret(),
                card_on_stars_platforms=settings.telegram_card_payments,
            ),
            abuse=abuse,
            analytics=analytics,
        )
        journal = ErasureJournal(journal_store(settings, storage))
        privacy = await _privacy(
            settings,
            uow,
            engine,
            storage,
            catalog,
            rates,
            redis,
            payments,
            abuse,
            journal,
            analytics,
        )
        # Before anyone is served: erasures this database does not know (it was restored
        # from an older backup) are made again.
        journal_replay = await replay_journal(uow, privacy.registry, journal, abuse)
        core = Core(
            uow=uow,
            catalog=catalog,
            queue=queue,
            storage=storage,
            rates=rates,
            metrics=metrics,
            provider_names=frozenset(providers),
            privacy=privacy,
            events=events,
            settings=CoreSettings(
                policy_version=settings.policy_version,
                link_ttl_s=settings.link_ttl_s,
                gallery_link_ttl_s=settings.gallery_link_ttl_s,
                dashboard_link_ttl_s=settings.dashboard_link_ttl_s,
                web_base_url=settings.resolved_public_base_url(),
                job_max_attempts=settings.job_max_attempts,
                user_requests_per_minute=settings.user_requests_per_minute,
                chat_requests_per_minute=settings.chat_requests_per_minute,
                uploads_enabled=settings.uploads_enabled,
                upload_max_bytes=settings.upload_max_bytes,
                upload_max_megapixels=settings.upload_max_megapixels,
            ),
            billing=billing,
            abuse=abuse,
            analytics=analytics,
        )
        stack.push_async_callback(core.aclose)  # runs before the engine's dispose
        worker = Worker(
            uow=uow,
            queue=queue,
            providers=providers,
            storage=storage,
            catalog=catalog,
            events=events,
            caps=caps,
            metrics=metrics,
            settings=WorkerSettings(
                concurrency=settings.worker_concurrency,
                job_timeout_s=settings.job_timeout_s,
                job_deadline_s=settings.job_deadline_s,
                heartbeat_interval_s=settings.heartbeat_interval_s,
                reconcile_interval_s=settings.reconcile_interval_s,
                retry_base_delay_s=settings.retry_base_delay_s,
                retry_max_delay_s=settings.retry_max_delay_s,
                redeliver_after_s=settings.redeliver_after_s,
                link_ttl_s=settings.link_ttl_s,
            ),
            worker_id=consumer,
            breaker=CircuitBreaker(
                failure_threshold=settings.provider_failure_threshold,
                cooldown_s=settings.provider_cooldown_s,
            ),
            enhancer=enhancer,
            analytics=analytics,
            maintenance=(
                (settings.purge_interval_s, privacy.purge),
                # Pending Stars refunds asked again (where the Telegram port is set).
                (STARS_REFUND_RESUME_INTERVAL_S, billing.resume_stars_refunds),
            ),
        )
        yield App(
            settings=settings,
            catalog=catalog,
            messages=Messages(),
            engine=engine,
            uow=uow,
            storage=storage,
            queue=queue,
            events=events,
            providers=providers,
            metrics=metrics,
            core=core,
            worker=worker,
            redis=redis,
            privacy=privacy,
            health=health_checks(engine, redis=redis, storage=storage),
            journal=journal,
            journal_replay=journal_replay,
        )


async def _privacy(
    settings: Settings,
    uow: UnitOfWorkFactory,
    engine: AsyncEngine,
    storage: ObjectStore,
    catalog: Catalog,
    rates: RateLimiter,
    redis: Redis | None,
    payments: Payments | None,
    abuse: AbuseHasher,
    journal: ErasureJournal,
    analytics: Analytics,
) -> PrivacyService:
    """The privacy registry with every participant, checked against the live schema: a
    table with an account reference and no participant stops the start-up."""
    registry = PrivacyRegistry()
    keys = RedisKeys(prefix=settings.redis_prefix) if redis is not None else None
    register_core_participants(registry, storage=storage, rates=rates, redis=redis, keys=keys)
    # Identity hashes that outlive erasure, so it is no way to farm one-time credits.
    # Erasures are journalled outside the database (replayed after a restore).
    registry.register(AbusePreventionParticipant(abuse, journal))
    # Other modules that store personal data register their participants here.
    register_billing_participants(registry, payments, redis=redis, keys=keys)
    await registry.check(engine)
    service = PrivacyService(
        uow=uow,
        registry=registry,
        storage=storage,
        catalog=catalog,
        settings=PrivacySettings(
            policy_version=settings.policy_version,
            policy_path=settings.privacy_policy_path,
            export_link_ttl_s=settings.export_link_ttl_s,
            export_interval_s=settings.export_interval_s,
            confirmation_ttl_s=settings.erase_confirmation_ttl_s,
            purge_grace_days=settings.purge_grace_days,
        ),
        analytics=analytics,
    )
    service.policy_text()  # an unreadable policy file fails the start-up, not /privacy
    return service
