"""Refunds and disputes of subscription invoices and packs, with invoices shaped as the
pinned Stripe API version shapes them (no ``payment_intent``): the invoice's payment is
linked through its InvoicePayment, partial disputes take back their share, a won dispute
gives back what it took, once, whatever the order of events. SQLite and PostgreSQL."""

from __future__ import annotations

from tests.support.billing_harness import TARGET, balance_and_sum, deliver, new_customer


async def _subscribed(app, fake, web_url, http):
    """An actor on the Pro plan with its first invoice paid; (actor, invoice id, credits)."""
    actor = await new_customer(app)
    link = await app.core.billing.subscribe(actor, "pro", TARGET)
    await deliver(http, web_url, fake, fake.pay(link.session_id))
    paid = fake.invoice_paid(link.session_id, billing_reason="subscription_create")
    assert (await deliver(http, web_url, fake, paid)).json()["outcome"] == "credited"
    return actor, paid["data"]["object"]["id"], app.catalog.plans["pro"].monthly_credits


async def test_a_refunded_subscription_invoice_takes_its_credits_back(
    billing_app, stripe_fake, web_url, http
):
    actor, invoice_id, granted = await _subscribed(billing_app, stripe_fake, web_url, http)
    refund = stripe_fake.refund(invoice_id)
    reply = await deliver(http, web_url, stripe_fake, refund)
    assert reply.json()["outcome"] == "reversed"
    assert await balance_and_sum(billing_app, actor) == (0, 0, 0)
    # The invoice_payment.paid event after the fact changes nothing more.
    late = stripe_fake.invoice_payment_paid(invoice_id)
    assert (await deliver(http, web_url, stripe_fake, late)).status_code == 200
    assert await balance_and_sum(billing_app, actor) == (0, 0, 0)
    assert granted > 0


async def test_a_refund_before_the_invoice_is_applied_once_the_invoice_payment_links_it(
    billing_app, stripe_fake, web_url, http, notices
):
    actor = await new_customer(billing_app)
    link = await billing_app.core.billing.subscribe(actor, "pro", TARGET)
    await deliver(http, web_url, stripe_fake, stripe_fake.pay(link.session_id))
    paid = stripe_fake.invoice_paid(link.session_id, billing_reason="subscription_create")
    invoice_id = paid["data"]["object"]["id"]
    refund = stripe_fake.refund(invoice_id)
    linked = stripe_fake.invoice_payment_paid(invoice_id)
    assert (await deliver(http, web_url, stripe_fake, refund)).json()["outcome"] == (
        "reversal_pending"
    )
    assert (await deliver(http, web_url, stripe_fake, linked)).status_code == 200
    assert (await deliver(http, web_url, stripe_fake, paid)).json()["outcome"] == "credited"
    assert await balance_and_sum(billing_app, actor) == (0, 0, 0)
    await notices.wait_for_notice("billing.payment_reversed")


async def test_a_disputed_subscription_invoice_is_taken_back_and_a_won_dispute_restores_it_once(
    billing_app, stripe_fake, web_url, http
):
    actor, invoice_id, granted = await _subscribed(billing_app, stripe_fake, web_url, http)
    created = stripe_fake.dispute(invoice_id)
    assert (await deliver(http, web_url, stripe_fake, created)).json()["outcome"] == "reversed"
    assert (await balance_and_sum(billing_app, actor))[0] == 0
    won = stripe_fake.dispute_closed(created, status="won")
    assert (await deliver(http, web_url, stripe_fake, won)).json()["outcome"] == "restored"
    again = stripe_fake.dispute_closed(created, status="won")  # a second event, same dispute
    assert (await deliver(http, web_url, stripe_fake, again)).json()["outcome"] == (
        "reversed:nothing"
    )
    assert await balance_and_sum(billing_app, actor) == (granted, granted, 0)


async def test_a_partial_dispute_takes_back_its_share_and_a_lost_one_keeps_it(
    billing_app, stripe_fake, web_url, http
):
    actor = await new_customer(billing_app)
    link = await billing_app.core.billing.buy_pack(actor, "small", TARGET)  # 100 for 500 cents
    await deliver(http, web_url, stripe_fake, stripe_fake.pay(link.session_id))
    created = stripe_fake.dispute(link.session_id, amount=125)
    assert (await deliver(http, web_url, stripe_fake, created)).json()["outcome"] == "reversed"
    assert await balance_and_sum(billing_app, actor) == (75, 75, 0)
    lost = stripe_fake.dispute_closed(created, status="lost")
    await deliver(http, web_url, stripe_fake, lost)
    assert await balance_and_sum(billing_app, actor) == (75, 75, 0)
    # A refund of the rest adds to the dispute: everything is back with Stripe.
    rest = stripe_fake.refund(link.session_id, amount_refunded=375)
    assert (await deliver(http, web_url, stripe_fake, rest)).json()["outcome"] == "reversed"
    assert await balance_and_sum(billing_app, actor) == (0, 0, 0)


async def test_a_dispute_won_before_its_creation_arrives_takes_nothing(
    billing_app, stripe_fake, web_url, http
):
    actor = await new_customer(billing_app)
    link = await billing_app.core.billing.buy_pack(actor, "small", TARGET)
    await deliver(http, web_url, stripe_fake, stripe_fake.pay(link.session_id))
    created = stripe_fake.dispute(link.session_id)
    won = stripe_fake.dispute_closed(created, status="won")
    await deliver(http, web_url, stripe_fake, won)
    await deliver(http, web_url, stripe_fake, created)
    assert await balance_and_sum(billing_app, actor) == (100, 100, 0)


async def test_a_partial_refund_takes_back_its_share_rounded_down(
    billing_app, stripe_fake, web_url, http
):
    actor = await new_customer(billing_app)
    link = await billing_app.core.billing.buy_pack(actor, "tiny", TARGET)  # 5 for 100 cents
    await deliver(http, web_url, stripe_fake, stripe_fake.pay(link.session_id))
    refund = stripe_fake.refund(link.session_id, amount_refunded=70)  # 3.5 credits
    await deliver(http, web_url, stripe_fake, refund)
    assert await balance_and_sum(billing_app, actor) == (2, 2, 0)
    await deliver(http, web_url, stripe_fake, stripe_fake.refund(link.session_id))
    assert await balance_and_sum(billing_app, actor) == (0, 0, 0)
