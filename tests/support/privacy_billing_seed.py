"""Seeding a user with everything billing stores, through the real paths: a card pack
bought through the fake Stripe and a signed webhook, a subscription with a paid invoice,
a Telegram Stars purchase (core side), finished jobs, a promo redemption, and (for one
user) a refund after spending that leaves a debt, part of it settled by the promo."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import httpx
from sqlalchemy import func, select

from bot.bootstrap import App
from core.db.tables import accounts, credit_debts, ledger_entries
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.support.billing_harness import deliver
from tests.support.fake_stripe import FakeStripe
from tests.support.fakes import RecordingDelivery

PROMO_CODE = "PRIV-TEST"
PROMO_CREDITS = 30


@dataclass
class Seeded:
    actor: Actor
    account_id: int
    target: ReplyTarget
    job_ids: list[str] = field(default_factory=list)
    # Ids of the user's payment objects (sessions, invoice, subscription, charges):
    # kept, pseudonymised, after an erasure.
    payment_refs: list[str] = field(default_factory=list)
    customer_id: str = ""


async def _ok(http, web_url: str, fake: FakeStripe, event: dict, outcome: str | None = None):
    reply = await deliver(http, web_url, fake, event)
    assert reply.status_code == 200, reply.text
    if outcome is not None:
        assert reply.json()["outcome"] == outcome, reply.json()


async def seed_buyer(
    app: App,
    fake: FakeStripe,
    http: httpx.AsyncClient,
    web_url: str,
    actor: Actor,
    word: str,
    delivered: RecordingDelivery,
    *,
    with_debt: bool,
) -> Seeded:
    """Pack, subscription, Stars, two jobs, the promo; with ``with_debt`` the pack is
    refunded after its credits were spent and the promo settles part of the debt."""
    billing = app.core.billing
    target = ReplyTarget("test", {"chat": f"chat-{word}"})
    await app.core.accept_terms(actor, age_confirmed=True)
    seeded = Seeded(actor, (await app.core.account(actor)).account_id, target)

    pack = await billing.buy_pack(actor, "small", target)  # 100 credits
    await _ok(http, web_url, fake, fake.pay(pack.session_id), "credited")
    sub = await billing.subscribe(actor, "pro", target)
    await _ok(http, web_url, fake, fake.pay(sub.session_id))
    invoice = fake.invoice_paid(sub.session_id, billing_reason="subscription_create")
    await _ok(http, web_url, fake, invoice, "credited")
    invoice_id = invoice["data"]["object"]["id"]
    stars = await billing.stars_invoice(actor, "tiny")
    charge_id = f"tg-charge-{uuid.uuid4().hex[:12]}"  # opaque, as Telegram's
    bought = await billing.stars_paid(actor, stars.payload, "XTR", stars.stars, charge_id)
    assert bought.applied
    await delivered.wait_for_notice("billing.purchase_landed")

    for prompt, count in ((f"{word} prompt one", 1), (f"{word} prompt two", 2)):
        job = await app.core.imagine(actor, ImagineRequest(prompt, image_count=count), target)
        seeded.job_ids.append(job.job_id)
    await app.worker.run(burst=True)
    for job_id in seeded.job_ids:
        await delivered.wait_for(job_id, "finished")

    payment_refs = [pack.session_id, sub.session_id, invoice_id, charge_id]
    payment_refs.append(fake.sessions[sub.session_id]["subscription"])
    if with_debt:
        balance = (await app.core.account(actor)).balance_credits
        await app.core.admin_grant(
            actor, -(balance - 1), reason="spent in test", operator="test:ops"
        )
        refund = fake.refund(pack.session_id)
        await _ok(http, web_url, fake, refund, "reversed")  # 1 taken back, 99 owed
        payment_refs.append(refund["data"]["object"]["id"])
    await billing.redeem(actor, PROMO_CODE)  # settles 30 of the debt, if any
    seeded.payment_refs = payment_refs
    seeded.customer_id = fake.sessions[pack.session_id]["customer"]
    return seeded


async def account_sums(app: App) -> list[tuple[int, int, int, int, int]]:
    """(account, balance, ledger sum, debt_credits, sum of debt rows) of every account."""
    ledger = (
        select(func.coalesce(func.sum(ledger_entries.c.amount_credits), 0))
        .where(ledger_entries.c.account_id == accounts.c.id)
        .scalar_subquery()
    )
    debts = (
        select(func.coalesce(func.sum(credit_debts.c.amount_credits), 0))
        .where(credit_debts.c.account_id == accounts.c.id)
        .scalar_subquery()
    )
    async with app.uow() as tx:
        rows = await tx.conn.execute(
            select(
                accounts.c.id, accounts.c.balance_credits, ledger, accounts.c.debt_credits, debts
            ).order_by(accounts.c.id)
        )
        return [tuple(int(v) for v in row) for row in rows]
