"""The composition root: every process (run, console, worker, web, admin, tests)
builds the core here, inside one ``AsyncExitStack`` that closes clients in reverse
order of opening. Tests pass their own pieces as keyword overrides."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from core.providers.local import LocalProvider
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.migrate import upgrade
from bot.settings import Settings
from core.catalog import Catalog, load_catalog
from core.db import UnitOfWorkFactory, make_engine
from core.delivery import DeliveryRouter
from core.i18n import Messages
from core.providers import Provider
from core.queue import InProcessQueue, JobQueue
from core.service import Core, CoreSettings
from core.storage import ObjectStore
from core.storage_local import LocalObjectStore
from core.worker import Worker, WorkerSettings

log = logging.getLogger("seedream.bootstrap")


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
    delivery: DeliveryRouter
    providers: dict[str, Provider]
    core: Core
    worker: Worker

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
) -> AsyncIterator[App]:
    """Build the application for ``settings``; close everything on exit.

    Args:
        migrate: apply migrations first; by default only for an embedded SQLite.
    """
    async with AsyncExitStack() as stack:
        catalog = catalog or load_catalog(settings.catalog_path)
        if engine is None:
            engine = make_engine(settings.resolved_database_url())
            stack.push_async_callback(engine.dispose)
        if migrate if migrate is not None else engine.dialect.name == "sqlite":
            await upgrade(engine)
        if storage is None:
            storage = await _open_storage(settings, stack)
        queue = queue or InProcessQueue()
        delivery = DeliveryRouter()
        providers = providers if providers is not None else {"local": LocalProvider()}
        uow = UnitOfWorkFactory(engine)
        core = Core(
            uow=uow,
            catalog=catalog,
            queue=queue,
            storage=storage,
            settings=CoreSettings(
                policy_version=settings.policy_version,
                link_ttl_s=settings.link_ttl_s,
                job_max_attempts=settings.job_max_attempts,
            ),
        )
        worker = Worker(
            uow=uow,
            queue=queue,
            providers=providers,
            storage=storage,
            catalog=catalog,
            delivery=delivery,
            settings=WorkerSettings(
                concurrency=settings.worker_concurrency,
                job_timeout_s=settings.job_timeout_s,
                reconcile_interval_s=settings.reconcile_interval_s,
                link_ttl_s=settings.link_ttl_s,
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
            delivery=delivery,
            providers=providers,
            core=core,
            worker=worker,
        )


async def _open_storage(settings: Settings, stack: AsyncExitStack) -> ObjectStore:
    if settings.s3_bucket:
        from core.storage_s3 import S3ObjectStore, open_s3_client

        client = await open_s3_client(
            stack,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=_secret(settings.s3_access_key_id),
            secret_access_key=_secret(settings.s3_secret_access_key),
        )
        return S3ObjectStore(
            client, bucket=settings.s3_bucket, public_base_url=settings.s3_public_base_url
        )
    return LocalObjectStore(
        settings.data_dir / "media",
        public_base_url=settings.resolved_public_base_url(),
        signing_secret=settings.resolved_signing_secret(),
    )


def _secret(value) -> str | None:
    return value.get_secret_value() if value is not None else None
