"""Credit packs through the real StripeClient against the loopback fake Stripe, and
webhooks signed with stripe-python's own helper posted to the real web app, on SQLite
and PostgreSQL: links, exactly-once crediting, bad signatures, refunds and debts."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from core import ledger as credits
from core.db.tables import checkout_sessions, ledger_entries, webhook_events
from core.errors import CreditDebt, PaymentRefused, PaymentsDisabled, UnknownPack
from core.ledger import Reason
from core.text.catalogue import Messages
from core.types import Actor, ImagineRequest
from tests.conftest import unique_user
from tests.support.billing_harness import TARGET, balance_and_sum, deliver, new_customer


async def _count(app, table, *where) -> int:
    async with app.uow() as uow:
        query = select(func.count()).select_from(table)
        for clause in where:
            query = query.where(clause)
        return int(await uow.conn.scalar(query))


async def test_buy_pack_gives_a_personal_link_and_one_customer(billing_app, stripe_fake):
    actor = await new_customer(billing_app)
    account_id = (await billing_app.core.account(actor)).account_id
    first = await billing_app.core.billing.buy_pack(actor, "small", TARGET)
    second = await billing_app.core.billing.buy_pack(actor, "LARGE", TARGET)

    assert first.url.startswith(f"{stripe_fake.base_url}/pay/cs_test_")
    assert len(stripe_fake.customers) == 1  # created on the first purchase, then reused
    (customer,) = stripe_fake.customers.values()
    assert customer["metadata"]["account_id"] == str(account_id)
    session = stripe_fake.sessions[first.session_id]
    assert session["mode"] == "payment"
    assert session["client_reference_id"] == str(account_id)
    assert session["metadata"] == {"account_id": str(account_id), "kind": "pack", "item": "small"}
    assert session["_intent_metadata"] == session["metadata"]
    assert session["amount_total"] == 500 and session["currency"] == "usd"
    assert session["success_url"].endswith("/billing/success?session_id={CHECKOUT_SESSION_ID}")
    assert session["cancel_url"].endswith("/billing/cancel")
    assert stripe_fake.sessions[second.session_id]["amount_total"] == 2000
    assert await _count(billing_app, checkout_sessions) == 2
    with pytest.raises(UnknownPack) as err:
        await billing_app.core.billing.buy_pack(actor, "huge", TARGET)
    assert "small" in Messages().render_error(err.value)
    assert (await balance_and_sum(billing_app, actor))[0] == 0  # nothing paid yet


async def test_paid_session_credits_once_and_tells_the_chat(
    billing_app, stripe_fake, web_url, http, notices
):
    actor = await new_customer(billing_app)
    link = await billing_app.core.billing.buy_pack(actor, "small", TARGET)
    event = stripe_fake.pay(link.session_id)

    first = await deliver(http, web_url, stripe_fake, event)
    again = await deliver(http, web_url, stripe_fake, event)  # the same event re-sent
    assert first.status_code == again.status_code == 200
    assert first.json()["outcome"] == "credited"
    assert again.json()["outcome"] == "duplicate_event"
    # The same payment announced by a second event (a new id) is not counted again.
    replay = dict(stripe_fake.async_result(link.session_id, succeeded=True))
    assert (await deliver(http, web_url, stripe_fake, replay)).json()["outcome"] == "duplicate"

    assert await balance_and_sum(billing_app, actor) == (100, 100, 0)
    notice = await notices.wait_for_notice("billing.purchase_landed")
    assert notice.reply_target == TARGET
    assert notice.notice_params == {"credits": 100, "settled_credits": 0, "balance_credits": 100}
    assert len(notices.notices("billing.purchase_landed")) == 1
    assert (
        await _count(billing_app, ledger_entries, ledger_entries.c.reference == link.session_id)
        == 1
    )


async def test_delayed_payment_waits_for_its_outcome(
    billing_app, stripe_fake, web_url, http, notices
):
    actor = await new_customer(billing_app)
    good = await billing_app.core.billing.buy_pack(actor, "small", TARGET)
    bad = await billing_app.core.billing.buy_pack(actor, "large", TARGET)
    for session_id in (good.session_id, bad.session_id):
        pending = stripe_fake.pay(session_id, delayed=True)
        reply = await deliver(http, web_url, stripe_fake, pending)
        assert reply.json()["outcome"] == "pending"
    assert (await balance_and_sum(billing_app, actor))[0] == 0

    ok = stripe_fake.async_result(good.session_id, succeeded=True)
    failed = stripe_fake.async_result(bad.session_id, succeeded=False)
    assert (await deliver(http, web_url, stripe_fake, ok)).json()["outcome"] == "credited"
    assert (await deliver(http, web_url, stripe_fake, failed)).json()["outcome"] == (
        "payment_failed"
    )
    assert await balance_and_sum(billing_app, actor) == (100, 100, 0)
    await notices.wait_for_notice("billing.payment_failed")


async def test_forged_stale_or_unsigned_webhooks_are_refused_and_change_nothing(
    billing_app, stripe_fake, web_url, http
):
    actor = await new_customer(billing_app)
    link = await billing_app.core.billing.buy_pack(actor, "small", TARGET)
    event = stripe_fake.pay(link.session_id)
    forged = await deliver(http, web_url, stripe_fake, event, secret="whsec_not_ours")
    stale = await deliver(http, web_url, stripe_fake, event, timestamp=int(time.time()) - 301)
    unsigned = await http.post(f"{web_url}/stripe/webhook", content=b'{"id": "evt_1"}')
    body, headers = stripe_fake.signed(event)
    tampered = await http.post(
        f"{web_url}/stripe/webhook", content=body.replace(b"paid", b"PAID"), headers=headers
    )
    garbage_sig = stripe_fake.sign("not json")
    garbage = await http.post(
        f"{web_url}/stripe/webhook",
        content=b"not json",
        headers={"Stripe-Signature": garbage_sig},
    )
    for reply in (forged, stale, unsigned, tampered, garbage):
        assert reply.status_code == 400, reply.text
        assert "outcome" not in reply.json()
    assert await balance_and_sum(billing_app, actor) == (0, 0, 0)
    assert await _count(billing_app, webhook_events) == 0
    # Within the tolerance, the same event is accepted.
    recent = await deliver(http, web_url, stripe_fake, event, timestamp=int(time.time()) - 200)
    assert recent.status_code == 200
    assert (await balance_and_sum(billing_app, actor))[0] == 100


async def test_unknown_events_are_acknowledged_and_ignored(billing_app, stripe_fake, web_url, http):
    event = stripe_fake.event("customer.created", {"id": "cus_x", "object": "customer"})
    reply = await deliver(http, web_url, stripe_fake, event)
    assert reply.status_code == 200 and reply.json()["outcome"] == "ignored"
    foreign = stripe_fake.event(
        "checkout.session.completed",
        {"id": "cs_not_ours", "object": "checkout.session", "payment_status": "paid"},
    )
    reply = await deliver(http, web_url, stripe_fake, foreign)
    assert reply.json()["outcome"] == "ignored:unknown_session"
    assert await _count(billing_app, webhook_events) == 2  # both recorded as processed


async def test_refund_after_spending_leaves_a_debt_that_blocks_imagine(
    billing_app, stripe_fake, web_url, http, notices
):
    core = billing_app.core
    actor = await new_customer(billing_app)
    link = await core.billing.buy_pack(actor, "tiny", TARGET)  # 5 credits
    await deliver(http, web_url, stripe_fake, stripe_fake.pay(link.session_id))
    await core.imagine(actor, ImagineRequest("a fox", model_id="preview", image_count=4), TARGET)
    assert (await balance_and_sum(billing_app, actor))[0] == 1

    refund = await deliver(http, web_url, stripe_fake, stripe_fake.refund(link.session_id))
    assert refund.json()["outcome"] == "reversed"
    assert await balance_and_sum(billing_app, actor) == (0, 0, 4)  # 1 taken back, 4 owed
    notice = await notices.wait_for_notice("billing.payment_reversed_debt")
    assert notice.notice_params == {"taken_credits": 1, "debt_credits": 4}
    with pytest.raises(CreditDebt) as err:
        await core.imagine(actor, ImagineRequest("a cat", model_id="preview"), TARGET)
    text = Messages().render_error(err.value)
    assert "owe 4 credits" in text and "paused" in text
    overview = await core.billing.overview(actor)
    assert overview.debt_credits == 4 and overview.balance_credits == 0
    # A dispute of the same payment takes nothing more: it was all taken back already.
    dispute = await deliver(http, web_url, stripe_fake, stripe_fake.dispute(link.session_id))
    assert dispute.json()["outcome"] == "reversed:nothing"

    # The next purchase settles the debt first.
    again = await core.billing.buy_pack(actor, "tiny", TARGET)
    await deliver(http, web_url, stripe_fake, stripe_fake.pay(again.session_id))
    assert await balance_and_sum(billing_app, actor) == (1, 1, 0)
    landed = await notices.wait_for_notice("billing.purchase_landed_debt")
    assert landed.notice_params["settled_credits"] == 4
    await core.imagine(actor, ImagineRequest("a cat", model_id="preview"), TARGET)
    async with billing_app.uow() as uow:
        assert await credits.conservation_gap(uow.conn) == 0
        reasons = (
            await uow.conn.execute(
                select(ledger_entries.c.reason).where(
                    ledger_entries.c.reason.in_([Reason.PAYMENT_REVERSAL, Reason.DEBT_SETTLED])
                )
            )
        ).scalars()
        assert sorted(reasons) == [Reason.DEBT_SETTLED, Reason.PAYMENT_REVERSAL]


async def test_partial_refunds_take_back_their_share_once(billing_app, stripe_fake, web_url, http):
    actor = await new_customer(billing_app)
    link = await billing_app.core.billing.buy_pack(actor, "small", TARGET)  # 100 for 500 cents
    await deliver(http, web_url, stripe_fake, stripe_fake.pay(link.session_id))
    half = stripe_fake.refund(link.session_id, amount_refunded=250)
    whole = stripe_fake.refund(link.session_id)
    # Out of order: the full refund first, then the older partial one.
    assert (await deliver(http, web_url, stripe_fake, whole)).json()["outcome"] == "reversed"
    late = await deliver(http, web_url, stripe_fake, half)
    assert late.json()["outcome"] == "reversed:nothing"
    assert await balance_and_sum(billing_app, actor) == (0, 0, 0)


async def test_refund_before_its_purchase_is_applied_when_the_purchase_lands(
    billing_app, stripe_fake, web_url, http, notices
):
    actor = await new_customer(billing_app)
    link = await billing_app.core.billing.buy_pack(actor, "small", TARGET)
    paid = stripe_fake.pay(link.session_id)
    refund = stripe_fake.refund(link.session_id)
    early = await deliver(http, web_url, stripe_fake, refund)
    assert early.json()["outcome"] == "reversal_pending"
    assert (await deliver(http, web_url, stripe_fake, paid)).json()["outcome"] == "credited"
    assert await balance_and_sum(billing_app, actor) == (0, 0, 0)
    reversed_notice = await notices.wait_for_notice("billing.payment_reversed")
    assert reversed_notice.notice_params == {"taken_credits": 100, "debt_credits": 0}
    again = await deliver(http, web_url, stripe_fake, refund)
    assert again.json()["outcome"] == "duplicate_event"


async def test_without_stripe_keys_credits_work_and_buying_says_not_configured(app, http):
    actor = Actor("test", unique_user(), "x", "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    overview = await app.core.billing.overview(actor)
    assert overview.payments_enabled is False
    assert overview.packs == [] and overview.plans == []
    assert overview.balance_credits == app.catalog.welcome_grant_credits
    assert [e.reason for e in overview.recent] == ["welcome"]
    for attempt in (
        app.core.billing.buy_pack(actor, "small", TARGET),
        app.core.billing.subscribe(actor, "pro", TARGET),
        app.core.billing.portal(actor),
    ):
        with pytest.raises(PaymentsDisabled) as err:
            await attempt
        assert "not enabled" in Messages().render_error(err.value)
    telegram = Actor("telegram", unique_user(), "x", "en")
    await app.core.accept_terms(telegram, age_confirmed=True)
    stars_offer = await app.core.billing.overview(telegram)
    assert [(p.id, p.method, p.amount_minor) for p in stars_offer.packs] == [
        ("small", "stars", 250),
        ("large", "stars", 1000),
    ]


async def test_telegram_users_are_offered_stars_not_card_links(billing_app):
    actor = Actor("telegram", unique_user("tg"), "x", "en")
    await billing_app.core.accept_terms(actor, age_confirmed=True)
    overview = await billing_app.core.billing.overview(actor)
    assert {p.method for p in overview.packs} == {"stars"} and overview.plans == []
    for attempt in (
        billing_app.core.billing.buy_pack(actor, "small", TARGET),
        billing_app.core.billing.subscribe(actor, "pro", TARGET),
    ):
        with pytest.raises(PaymentRefused) as err:
            await attempt
        assert err.value.reason == "stars_only"
        assert "Telegram Stars" in Messages().render_error(err.value)


async def test_a_paid_session_we_failed_to_record_is_still_credited(
    billing_app, stripe_fake, web_url, http
):
    actor = await new_customer(billing_app)
    link = await billing_app.core.billing.buy_pack(actor, "small", TARGET)
    async with billing_app.uow() as uow:  # as if the process died before writing it down
        await uow.conn.execute(
            checkout_sessions.delete().where(checkout_sessions.c.id == link.session_id)
        )
        await uow.commit()
    forged = stripe_fake.pay(link.session_id)
    forged = {**forged, "id": "evt_forged_meta"}
    forged["data"] = {
        "object": {
            **forged["data"]["object"],
            "metadata": {"account_id": "999999", "kind": "pack", "item": "large"},
        }
    }
    reply = await deliver(http, web_url, stripe_fake, forged)
    assert reply.json()["outcome"] == "ignored:unknown_session"  # not this customer's account
    reply = await deliver(http, web_url, stripe_fake, stripe_fake.pay(link.session_id))
    assert reply.json()["outcome"] == "credited"
    assert await balance_and_sum(billing_app, actor) == (100, 100, 0)
