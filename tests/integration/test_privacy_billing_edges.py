"""Erasure of billing data at its edges: a retry after a failure finds the Stripe customer
already deleted (Stripe answers ``resource_missing``) and finishes; with card payments
switched off, an account that has a Stripe customer is not erased behind the promise's
back; a buyer with no jobs leaves no notice event in Redis."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from adapters.web.app import create_web_app
from bot.bootstrap import App
from core import ledger as credits
from core.clock import utcnow
from core.db.tables import billing_customers
from core.errors import PaymentsUnavailable
from core.privacy.erase import ErasureChallenge, ErasureReceipt
from tests.conftest import REDIS_URL
from tests.support.billing_harness import TARGET, deliver, new_customer, shop_app, stripe_update
from tests.support.privacy_scan import redis_hits
from tests.support.servers import serve_asgi


class FailsOnce:
    """A database participant that fails the first erasure transaction."""

    name, tables, external, order = "fails_once", (), False, 90

    def __init__(self) -> None:
        self.failed = False

    async def export(self, ctx) -> None:
        return None

    async def erase(self, ctx) -> dict[str, int]:
        if not self.failed:
            self.failed = True
            raise RuntimeError("the database went away")
        return {}


async def _buy(app: App, stripe_fake, http, web_url: str):
    actor = await new_customer(app)
    link = await app.core.billing.buy_pack(actor, "tiny", TARGET)
    reply = await deliver(http, web_url, stripe_fake, stripe_fake.pay(link.session_id))
    assert reply.json()["outcome"] == "credited"
    return actor, stripe_fake.sessions[link.session_id]["customer"]


async def test_a_retried_erasure_finds_the_customer_gone_and_finishes(
    billing_app, stripe_fake, web_url, http
):
    actor, customer = await _buy(billing_app, stripe_fake, http, web_url)
    billing_app.privacy.registry.register(FailsOnce())
    challenge = await billing_app.privacy.forget(actor)
    assert isinstance(challenge, ErasureChallenge)
    with pytest.raises(RuntimeError):
        await billing_app.privacy.forget(actor, challenge.code)
    # The customer went first (external participants run before the transaction) ...
    assert customer not in stripe_fake.customers
    assert await billing_app.core.find_account(actor) is not None  # ... the rows did not
    receipt = await billing_app.privacy.forget(actor, challenge.code)  # the same code
    assert isinstance(receipt, ErasureReceipt) and receipt.erased
    assert receipt.counts["billing_customers_deleted"] == 1
    assert receipt.counts["payments_pseudonymised"] == 1
    deletes = [p for m, p, _ in stripe_fake.requests if m == "DELETE"]
    assert deletes == [f"/v1/customers/{customer}"] * 3  # the last two found it gone
    again = await billing_app.privacy.forget(actor)
    assert isinstance(again, ErasureReceipt) and not again.erased
    async with billing_app.uow() as tx:
        assert await credits.conservation_gap(tx.conn) == 0


async def test_with_payments_off_a_customer_stops_the_erasure(app):
    """The operator removed the Stripe keys: the customer at Stripe cannot be deleted,
    so the erasure stops (the user is told to try later) instead of skipping it."""
    actor = await new_customer(app)
    account_id = (await app.core.account(actor)).account_id
    async with app.uow() as tx:
        await tx.conn.execute(
            billing_customers.insert().values(
                account_id=account_id,
                provider="stripe",
                customer_id="cus_kept",
                created_at=utcnow(),
            )
        )
        await tx.commit()
    challenge = await app.privacy.forget(actor)
    with pytest.raises(PaymentsUnavailable):
        await app.privacy.forget(actor, challenge.code)
    assert await app.core.find_account(actor) is not None
    async with app.uow() as tx:
        assert await tx.conn.scalar(select(billing_customers.c.customer_id)) == "cus_kept"


@pytest.fixture
async def redis_shop(settings, pg_engine, stripe_fake, billing_catalog) -> AsyncIterator[App]:
    update = stripe_update(stripe_fake)
    update |= {"redis_url": REDIS_URL, "redis_prefix": f"t{uuid.uuid4().hex[:12]}"}
    async with shop_app(settings.model_copy(update=update), pg_engine, billing_catalog) as app:
        yield app


async def test_a_buyer_without_jobs_leaves_no_notice_in_redis(redis_shop, stripe_fake, http):
    """No adapter consumed the "purchase landed" notice: it waits in the platform's
    stream, naming the account and its chat, and goes with the erasure."""
    async with serve_asgi(create_web_app(redis_shop)) as web_url:
        actor, _ = await _buy(redis_shop, stripe_fake, http, web_url)
    account_id = (await redis_shop.core.account(actor)).account_id
    prefix, named = redis_shop.settings.redis_prefix, f'"account_id": {account_id},'
    assert await redis_hits(redis_shop.redis, prefix, [named])
    challenge = await redis_shop.privacy.forget(actor)
    receipt = await redis_shop.privacy.forget(actor, challenge.code)
    assert receipt.erased and receipt.counts["redis_entries"] == 1
    assert await redis_hits(redis_shop.redis, prefix, [named]) == []
