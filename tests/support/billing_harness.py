"""Fixtures for the billing tests: the fake Stripe API on a loopback port, the
application bootstrapped with Stripe pointed at it, and the web app serving webhooks.

Registered for every test through ``pytest_plugins`` in tests/conftest.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

import httpx
import pytest
from pydantic import SecretStr

from adapters.web.app import create_web_app
from bot.bootstrap import App, bootstrap
from core import ledger as credits
from core.billing.grants import debt_of
from core.catalog import CreditPack, load_catalog
from core.types import Actor, ReplyTarget
from tests.conftest import unique_user
from tests.support.fake_stripe import API_KEY, WEBHOOK_SECRET, FakeStripe
from tests.support.fakes import RecordingDelivery
from tests.support.servers import serve_asgi

PLATFORM = "test"
TARGET = ReplyTarget(PLATFORM, {"chat": "1"})


@pytest.fixture
async def stripe_fake() -> AsyncIterator[FakeStripe]:
    fake = FakeStripe()
    async with serve_asgi(fake.app) as url:
        fake.base_url = url
        yield fake


@pytest.fixture
def billing_catalog():
    """The shipped catalogue with no welcome grant and a tiny pack, so tests can spend
    everything with one job."""
    catalog = load_catalog()
    packs = dict(catalog.packs)
    packs["tiny"] = CreditPack("tiny", "5 credits", 5, 100, "usd", 10)
    return replace(catalog, packs=packs, welcome_grant_credits=0)


def stripe_update(fake: FakeStripe) -> dict:
    """Settings fields pointing the real StripeClient at ``fake``."""
    return {
        "stripe_secret_key": SecretStr(API_KEY),
        "stripe_webhook_secret": SecretStr(WEBHOOK_SECRET),
        "stripe_api_base": fake.base_url,
        "stripe_max_network_retries": 0,
    }


@asynccontextmanager
async def shop_app(settings, engine, catalog) -> AsyncIterator[App]:
    """The application for ``settings``; with Redis, its keys are removed afterwards."""
    async with bootstrap(settings, engine=engine, migrate=False, catalog=catalog) as built:
        try:
            yield built
        finally:
            if built.redis is not None:
                async for key in built.redis.scan_iter(match=f"{settings.redis_prefix}*"):
                    await built.redis.delete(key)


@pytest.fixture
async def billing_app(settings, engine, stripe_fake, billing_catalog) -> AsyncIterator[App]:
    stripe_settings = settings.model_copy(update=stripe_update(stripe_fake))
    async with shop_app(stripe_settings, engine, billing_catalog) as built:
        yield built


@pytest.fixture
def notices(billing_app) -> RecordingDelivery:
    recorder = RecordingDelivery()
    billing_app.events.register(PLATFORM, recorder)
    return recorder


@pytest.fixture
async def web_url(billing_app) -> AsyncIterator[str]:
    async with serve_asgi(create_web_app(billing_app)) as url:
        yield url


async def new_customer(app: App) -> Actor:
    actor = Actor(PLATFORM, unique_user(), "Buyer", "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    return actor


async def deliver(http: httpx.AsyncClient, web_url: str, fake: FakeStripe, event: dict, **kw):
    body, headers = fake.signed(event, **kw)
    return await http.post(f"{web_url}/stripe/webhook", content=body, headers=headers)


async def balance_and_sum(app: App, actor: Actor) -> tuple[int, int, int]:
    """(balance, ledger sum, debt) of the actor's account."""
    view = await app.core.account(actor)
    async with app.uow() as uow:
        ledger = await credits.ledger_sum(uow.conn, view.account_id)
        debt = await debt_of(uow.conn, view.account_id)
    return view.balance_credits, ledger, debt
