"""Helpers for the backup and restore tests: PostgreSQL databases of their own (a restore
needs a whole database, not a schema), a populated deployment, and the ledger audit."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from bot.bootstrap import App
from core import ledger as credits
from core.db.engine import make_engine
from core.db.tables import identities, images, jobs, ledger_entries
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import PG_URL, unique_user
from tests.support.privacy_billing_seed import account_sums

TARGET = ReplyTarget("test", {"chat": "1"})


def _admin():
    return make_engine(PG_URL, isolation_level="AUTOCOMMIT")


async def create_database() -> str:
    """A new, empty PostgreSQL database; returns its URL."""
    name = f"b_{uuid.uuid4().hex[:12]}"
    admin = _admin()
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


async def drop_database(url: str) -> None:
    name = make_url(url).database
    admin = _admin()
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


@asynccontextmanager
async def databases() -> AsyncIterator[Callable]:
    """``make()`` gives a new database URL; every one is dropped at the end."""
    made: list[str] = []

    async def make() -> str:
        made.append(await create_database())
        return made[-1]

    try:
        yield make
    finally:
        for url in made:
            await drop_database(url)


@dataclass
class User:
    actor: Actor
    account_id: int
    job_ids: list[str] = field(default_factory=list)
    image_keys: list[str] = field(default_factory=list)


async def populate(app: App, word: str, *, jobs_count: int = 2) -> User:
    """A user with the welcome grant, a purchase and ``jobs_count`` finished jobs."""
    actor = Actor("test", unique_user(word), f"{word.title()} Example", "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    account_id = (await app.core.account(actor)).account_id
    async with app.uow() as tx:
        await credits.apply_entry(
            tx.conn,
            account_id=account_id,
            amount_credits=30,
            reason="purchase",
            reference=f"pi_{uuid.uuid4().hex}",
        )
        await tx.commit()
    user = User(actor, account_id)
    for n in range(jobs_count):
        job = await app.core.imagine(actor, ImagineRequest(f"{word} prompt {n}"), TARGET)
        user.job_ids.append(job.job_id)
    await app.worker.run(burst=True)
    user.image_keys = await image_keys(app, account_id)
    assert len(user.image_keys) >= jobs_count  # every job drew (and stored) its images
    return user


async def image_keys(app: App, account_id: int) -> list[str]:
    async with app.uow() as tx:
        rows = await tx.conn.execute(
            select(images.c.storage_key, images.c.preview_key).where(
                images.c.account_id == account_id
            )
        )
        return sorted(key for row in rows for key in row if key is not None)


async def erase(app: App, actor: Actor) -> None:
    """/forgetme and its confirmation, through the core as an adapter calls it."""
    challenge = await app.core.privacy.forget(actor)
    receipt = await app.core.privacy.forget(actor, challenge.code)
    assert receipt.erased


async def traces_of(app: App, account_id: int, actor: Actor) -> dict[str, int]:
    """What the database holds of a user: identities, jobs, ledger rows."""
    async with app.uow() as tx:
        conn = tx.conn
        found = {
            "identities": await conn.scalar(
                select(identities.c.id)
                .where(identities.c.platform_user_id == actor.platform_user_id)
                .limit(1)
            ),
            "jobs": await conn.scalar(
                select(jobs.c.id).where(jobs.c.account_id == account_id).limit(1)
            ),
            "ledger": await conn.scalar(
                select(ledger_entries.c.id)
                .where(ledger_entries.c.account_id == account_id)
                .limit(1)
            ),
        }
    return {name: 1 for name, value in found.items() if value is not None}


async def ledger_audit(app: App) -> list[str]:
    """What breaks the audit: an account whose balance is not the sum of its ledger
    rows, or a succeeded job image that storage lacks."""
    problems = [
        f"account {account}: balance {balance} != ledger {ledger}"
        for account, balance, ledger, _debt, _debts in await account_sums(app)
        if balance != ledger
    ]
    async with app.uow() as tx:
        rows = await tx.conn.execute(
            select(images.c.storage_key)
            .join(jobs, jobs.c.id == images.c.job_id)
            .where(jobs.c.status == "succeeded", images.c.deleted_at.is_(None))
        )
        keys = list(rows.scalars())
    assert keys, "the audit needs images to check"
    for key in keys:
        try:
            await app.storage.get(key)
        except KeyError:
            problems.append(f"image {key} missing")
    return problems
