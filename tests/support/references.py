"""The application as the reference-image tests use it: the shipped catalogue with a
reference cost on the offline preview, a model that takes no references and a plan
without them, a provider that records what reached it, and the state a refusal must
leave unchanged."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, fields, replace
from types import SimpleNamespace

from sqlalchemy import func, select

from bot.bootstrap import bootstrap
from core import ledger as credits
from core.catalog import Plan, load_catalog
from core.db.tables import jobs, uploads
from core.providers import GenerationResult, GenerationSpec
from core.providers.local import LocalProvider
from core.types import Actor, ReplyTarget
from tests.conftest import unique_user
from tests.support.fakes import RecordingDelivery

TARGET = ReplyTarget("test", {"chat": "1"})
REFERENCE_COST_CREDITS = 2  # per reference image on "preview" here (the shipped: 0)


class RecordingProvider:
    """The offline preview, recording each spec that reached it."""

    name = "local"

    def __init__(self) -> None:
        self.specs: list[GenerationSpec] = []
        self._inner = LocalProvider()

    async def generate(self, spec: GenerationSpec) -> GenerationResult:
        self.specs.append(spec)
        return await self._inner.generate(spec)


@asynccontextmanager
async def reference_app(settings, engine) -> AsyncIterator[SimpleNamespace]:
    catalog = load_catalog(settings.catalog_path)
    preview = replace(catalog.models["preview"], reference_cost_credits=REFERENCE_COST_CREDITS)
    sketch = replace(preview, id="sketch", label="Sketch", variations=False, max_reference_images=0)
    lite = Plan(id="lite", label="Lite", reference_images=False)
    catalog = replace(
        catalog,
        models={**catalog.models, "preview": preview, "sketch": sketch},
        plans={**catalog.plans, "lite": lite},
    )
    provider = RecordingProvider()
    async with bootstrap(
        settings, engine=engine, migrate=False, catalog=catalog, providers={"local": provider}
    ) as built:
        delivered = RecordingDelivery()
        built.events.register("test", delivered)
        yield SimpleNamespace(
            **{f.name: getattr(built, f.name) for f in fields(built)},
            delivered=delivered,
            provider=provider,
        )


async def new_user(app) -> Actor:
    actor = Actor("test", unique_user(), "Tester", "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    return actor


@dataclass(frozen=True)
class State:
    """What a refused request must leave as it was."""

    balance_credits: int
    ledger_sum: int
    job_count: int
    upload_rows: int
    upload_objects: tuple[str, ...]


async def state_of(app, actor: Actor) -> State:
    view = await app.core.account(actor)
    account_id, balance = view.account_id, view.balance_credits
    async with app.uow() as uow:
        ledger = await credits.ledger_sum(uow.conn, account_id)
        job_count = await uow.conn.scalar(
            select(func.count()).select_from(jobs).where(jobs.c.account_id == account_id)
        )
        upload_rows = await uow.conn.scalar(
            select(func.count()).select_from(uploads).where(uploads.c.account_id == account_id)
        )
    objects = tuple(sorted(await app.storage.list_keys("uploads/")))
    return State(balance, ledger, job_count, upload_rows, objects)


async def upload_rows(app, actor: Actor) -> list:
    account_id = (await app.core.account(actor)).account_id
    async with app.uow() as uow:
        return list(
            await uow.conn.execute(
                select(uploads)
                .where(uploads.c.account_id == account_id)
                .order_by(uploads.c.created_at, uploads.c.id)
            )
        )


async def job_row(app, job_id: str):
    async with app.uow() as uow:
        return (await uow.conn.execute(select(jobs).where(jobs.c.id == job_id))).one()
