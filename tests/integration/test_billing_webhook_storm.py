"""Every webhook event type we handle, each delivered 100 times, shuffled and sent
concurrently to the real web app on PostgreSQL: each payment is credited exactly once,
each reversal taken once, and the ledger still adds up."""

from __future__ import annotations

import asyncio
import random
from collections import Counter

import pytest
from sqlalchemy import func, select

from core import ledger as credits
from core.db.tables import ledger_entries, webhook_events
from tests.support.billing_harness import TARGET, balance_and_sum, new_customer

COPIES = 100
IN_FLIGHT = 48


@pytest.mark.parametrize("engine", ["postgres"], indirect=True)
async def test_every_event_type_100_times_shuffled_concurrently(
    billing_app, stripe_fake, web_url, http, notices
):
    billing = billing_app.core.billing
    pro = billing_app.catalog.plans["pro"]
    fake = stripe_fake
    buyer, refunded = await new_customer(billing_app), await new_customer(billing_app)
    winner = await new_customer(billing_app)

    paid = await billing.buy_pack(buyer, "small", TARGET)  # 100
    delayed = await billing.buy_pack(buyer, "large", TARGET)  # 500, paid later
    failing = await billing.buy_pack(buyer, "small", TARGET)  # never paid
    plan = await billing.subscribe(buyer, "pro", TARGET)
    to_refund = await billing.buy_pack(refunded, "small", TARGET)
    to_dispute = await billing.buy_pack(refunded, "large", TARGET)
    cancelled = await billing.subscribe(refunded, "pro", TARGET)
    won = await billing.buy_pack(winner, "small", TARGET)
    events = [
        fake.pay(paid.session_id),
        fake.pay(delayed.session_id, delayed=True),
        fake.async_result(delayed.session_id, succeeded=True),
        fake.pay(failing.session_id, delayed=True),
        fake.async_result(failing.session_id, succeeded=False),
        fake.pay(plan.session_id),
        fake.invoice_paid(plan.session_id, billing_reason="subscription_create"),
        fake.invoice_paid(plan.session_id, billing_reason="subscription_cycle"),
        fake.subscription(plan.session_id, status="active"),
        fake.pay(to_refund.session_id),
        fake.refund(to_refund.session_id),
        fake.pay(to_dispute.session_id),
        fake.dispute(to_dispute.session_id),
        fake.pay(cancelled.session_id),
        refunded_invoice := fake.invoice_paid(
            cancelled.session_id, billing_reason="subscription_create"
        ),
        fake.invoice_payment_paid(refunded_invoice["data"]["object"]["id"]),
        fake.refund(refunded_invoice["data"]["object"]["id"]),
        fake.subscription(cancelled.session_id, status="canceled", deleted=True),
        fake.pay(won.session_id),
        disputed := fake.dispute(won.session_id),
        fake.dispute_closed(disputed, status="won"),
        fake.event("customer.created", {"id": "cus_other", "object": "customer"}),
    ]
    handled = {e["type"] for e in events}
    assert {
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "invoice.paid",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "charge.refunded",
        "charge.dispute.created",
        "charge.dispute.closed",
        "invoice_payment.paid",
    } <= handled
    deliveries = [fake.signed(e) for e in events for _ in range(COPIES)]
    random.Random(5).shuffle(deliveries)
    gate = asyncio.Semaphore(IN_FLIGHT)

    async def send(body: bytes, headers: dict[str, str]) -> int:
        async with gate:
            reply = await http.post(f"{web_url}/stripe/webhook", content=body, headers=headers)
            return reply.status_code

    statuses = await asyncio.gather(*(send(b, h) for b, h in deliveries))
    assert Counter(statuses) == {200: len(events) * COPIES}

    bought = 100 + 500 + 2 * pro.monthly_credits
    assert await balance_and_sum(billing_app, buyer) == (bought, bought, 0)
    assert await balance_and_sum(billing_app, refunded) == (0, 0, 0)
    assert await balance_and_sum(billing_app, winner) == (100, 100, 0)  # the dispute was won
    winner_id = (await billing_app.core.account(winner)).account_id
    assert (await billing_app.core.account(buyer)).plan == "pro"
    assert (await billing_app.core.account(refunded)).plan == "free"  # cancelled, whatever order
    async with billing_app.uow() as uow:
        per_reference = (
            await uow.conn.execute(
                select(ledger_entries.c.reason, ledger_entries.c.reference, func.count())
                .where(ledger_entries.c.reason != "welcome")
                # the winner's reversal rows depend on the order (none if won came first)
                .where(ledger_entries.c.account_id != winner_id)
                .group_by(ledger_entries.c.reason, ledger_entries.c.reference)
            )
        ).all()
        processed = await uow.conn.scalar(select(func.count()).select_from(webhook_events))
        assert await credits.conservation_gap(uow.conn) == 0
    assert processed == len(events)
    assert all(count == 1 for _, _, count in per_reference)
    assert Counter(reason for reason, _, _ in per_reference) == {
        "purchase": 4,  # small, large (delayed), and the two later reversed
        "subscription": 3,  # two of the buyer's, one refunded
        "payment_reversal": 3,
    }
    assert len(notices.notices("billing.purchase_landed")) == 5  # the winner's too
    assert len(notices.notices("billing.subscription_credits")) == 3
    assert len(notices.notices("billing.payment_failed")) == 1
