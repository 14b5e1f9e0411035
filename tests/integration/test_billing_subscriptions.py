"""Subscriptions through Checkout (mode=subscription): a grant per paid invoice, the plan's
perks while it is live, the Customer Portal link, and perks ending on cancellation, with
events replayed and out of order."""

from __future__ import annotations

import time

import pytest

from core.errors import NotFound, TooManyQueued, UnknownPlan
from core.types import ImagineRequest
from tests.support.billing_harness import TARGET, balance_and_sum, deliver, new_customer


async def _queue_jobs(core, actor, count: int) -> None:
    for _ in range(count):
        await core.imagine(actor, ImagineRequest("a fox", model_id="preview"), TARGET)


async def test_two_paid_invoices_two_grants_and_cancellation_ends_the_perks(
    billing_app, stripe_fake, web_url, http, notices
):
    core = billing_app.core
    pro, free = billing_app.catalog.plans["pro"], billing_app.catalog.plans["free"]
    actor = await new_customer(billing_app)
    with pytest.raises(NotFound):  # no customer yet, so no portal
        await core.billing.portal(actor)
    link = await core.billing.subscribe(actor, "pro", TARGET)
    session = stripe_fake.sessions[link.session_id]
    assert session["mode"] == "subscription"
    assert session["_line"]["recurring"] == {"interval": "month"}
    assert session["_sub_metadata"]["item"] == "pro"

    completed = stripe_fake.pay(link.session_id)
    first = stripe_fake.invoice_paid(link.session_id, billing_reason="subscription_create")
    renewal = stripe_fake.invoice_paid(link.session_id, billing_reason="subscription_cycle")
    # The first invoice arrives before the checkout session completes: still one grant.
    for event in (first, completed, first, renewal, renewal):
        assert (await deliver(http, web_url, stripe_fake, event)).status_code == 200
    assert await balance_and_sum(billing_app, actor) == (2 * pro.monthly_credits,) * 2 + (0,)
    assert (await core.account(actor)).plan == "pro"
    assert len(notices.notices("billing.subscription_credits")) == 2

    # Perks: the Pro plan queues more jobs than the free plan allows.
    await _queue_jobs(core, actor, free.max_queued_jobs + 1)
    portal_url = await core.billing.portal(actor)
    assert portal_url.startswith(f"{stripe_fake.base_url}/portal/")
    (portal,) = stripe_fake.portals.values()
    assert portal["return_url"].endswith("/billing/return")
    assert portal["customer"] == session["customer"]

    # Cancelled in the portal: the plan ends; a late, older "active" update cannot revive it.
    stale_update = stripe_fake.subscription(link.session_id, status="active")
    stale_update["created"] = int(time.time()) - 60
    deleted = stripe_fake.subscription(link.session_id, status="canceled", deleted=True)
    assert (await deliver(http, web_url, stripe_fake, deleted)).json()["outcome"] == (
        "subscription_canceled"
    )
    await deliver(http, web_url, stripe_fake, stale_update)
    late_update = stripe_fake.subscription(link.session_id, status="active")
    await deliver(http, web_url, stripe_fake, late_update)
    assert (await core.account(actor)).plan == "free"
    await notices.wait_for_notice("billing.subscription_ended")
    with pytest.raises(TooManyQueued) as err:
        await _queue_jobs(core, actor, 1)
    assert err.value.max_queued_jobs == free.max_queued_jobs
    overview = await core.billing.overview(actor)
    assert overview.plan == "free" and overview.subscribed is False
    assert [p.id for p in overview.plans] == ["pro"]


async def test_a_lapsed_subscription_ends_perks_and_a_payment_revives_them(
    billing_app, stripe_fake, web_url, http
):
    actor = await new_customer(billing_app)
    link = await billing_app.core.billing.subscribe(actor, "pro", TARGET)
    await deliver(http, web_url, stripe_fake, stripe_fake.pay(link.session_id))
    assert (await billing_app.core.account(actor)).plan == "pro"
    unpaid = stripe_fake.subscription(link.session_id, status="unpaid")
    await deliver(http, web_url, stripe_fake, unpaid)
    assert (await billing_app.core.account(actor)).plan == "free"
    active = stripe_fake.subscription(link.session_id, status="active")
    active["created"] += 1
    await deliver(http, web_url, stripe_fake, active)
    assert (await billing_app.core.account(actor)).plan == "pro"


async def test_only_priced_plans_can_be_subscribed(billing_app):
    actor = await new_customer(billing_app)
    for plan in ("free", "gold"):
        with pytest.raises(UnknownPlan) as err:
            await billing_app.core.billing.subscribe(actor, plan, TARGET)
        assert err.value.params["available"] == "pro"
