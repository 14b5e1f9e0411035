"""Money on Discord through discord.py and the loopback fake: /credits with Buy buttons,
/buy and /subscribe links (always private), /redeem, purchase notices (an ephemeral
follow-up while the token lives, a DM after), and the message without Stripe keys."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import SecretStr

from bot.bootstrap import bootstrap
from core.clock import utcnow
from core.types import Actor
from tests.e2e.discord_harness import (
    accept_terms,
    click,
    custom_ids,
    edit_where,
    option,
    reply_text,
    run,
    running_adapter,
)
from tests.support.fake_discord import APP_ID, CHANNEL_ID, FakeDiscord, Sent
from tests.support.fake_stripe import API_KEY, WEBHOOK_SECRET, FakeStripe

EPHEMERAL = 64
USER_ID = 4000
DM_CHANNEL_ID = USER_ID + 7_000_000  # what the fake answers for a DM channel


@pytest.fixture
async def stripe_app(settings, sqlite_engine, stripe_fake, billing_catalog):
    """The embedded core with Stripe pointed at the loopback fake."""
    stripe_settings = settings.model_copy(
        update={
            "stripe_secret_key": SecretStr(API_KEY),
            "stripe_webhook_secret": SecretStr(WEBHOOK_SECRET),
            "stripe_api_base": stripe_fake.base_url,
            "stripe_max_network_retries": 0,
        }
    )
    async with bootstrap(
        stripe_settings, engine=sqlite_engine, migrate=False, catalog=billing_catalog
    ) as app:
        yield app


async def _private_reply(fake: FakeDiscord, sent: Sent, fragment: str) -> dict:
    """The deferral was ephemeral, and the edit of it contains ``fragment``."""
    callback = await fake.callback_for(sent)
    assert callback.body["data"]["flags"] & EPHEMERAL
    return (await edit_where(fake, sent, lambda b: fragment in (b.get("content") or ""))).body


def _session_in(stripe: FakeStripe, content: str) -> str:
    (session_id,) = [sid for sid, s in stripe.sessions.items() if s["url"] in content]
    return session_id


async def _pay(app, stripe: FakeStripe, session_id: str) -> None:
    body, headers = stripe.signed(stripe.pay(session_id))
    assert await app.core.billing.handle_webhook(body, headers["Stripe-Signature"])


async def test_credits_buy_button_and_buy_give_private_links_and_a_private_notice(
    stripe_app, stripe_fake, fake_discord
):
    async with running_adapter(stripe_app, fake_discord):
        await accept_terms(fake_discord)
        credits = await run(fake_discord, "credits")
        overview = await _private_reply(fake_discord, credits, "Balance")
        assert "Credit packs" in overview["content"] and "Subscriptions" in overview["content"]
        buttons = custom_ids(overview)
        assert "sd:buy:tiny" in buttons
        assert buttons == [f"sd:buy:{pack}" for pack in stripe_app.catalog.packs]

        message = {**fake_discord.original(credits), **overview}
        pressed = await click(fake_discord, message, "sd:buy:tiny")
        link = await _private_reply(fake_discord, pressed, "Pay here")
        session_id = _session_in(stripe_fake, link["content"])
        assert stripe_fake.sessions[session_id]["amount_total"] == 100

        bought = await run(fake_discord, "buy", [option("pack", "tiny")])
        again = await _private_reply(fake_discord, bought, "Pay here")
        assert _session_in(stripe_fake, again["content"]) != session_id

        # The payment lands: the notice goes to the button's interaction, privately.
        await _pay(stripe_app, stripe_fake, session_id)
        notice = await fake_discord.wait_for(
            lambda c: c.method == "POST" and c.path == f"/webhooks/{APP_ID}/{pressed.token}"
        )
        assert notice.body["flags"] & EPHEMERAL
        assert notice.body["content"] == ("Payment received: 5 credits added. Balance: 5 credits.")
        assert not fake_discord.find(lambda c: c.path.startswith("/channels/"))
    balance = (await stripe_app.core.account(Actor("discord", str(USER_ID)))).balance_credits
    assert balance == 5


async def test_notice_after_the_token_expired_comes_by_dm_never_in_the_channel(
    stripe_app, stripe_fake, fake_discord
):
    later = lambda: utcnow() + timedelta(minutes=16)  # noqa: E731
    async with running_adapter(stripe_app, fake_discord, clock=later):
        await accept_terms(fake_discord)
        bought = await run(fake_discord, "buy", [option("pack", "tiny")])
        link = await _private_reply(fake_discord, bought, "Pay here")
        await _pay(stripe_app, stripe_fake, _session_in(stripe_fake, link["content"]))
        dm = await fake_discord.wait_for(
            lambda c: c.method == "POST" and c.path == f"/channels/{DM_CHANNEL_ID}/messages"
        )
        assert dm.body["content"].startswith("Payment received: 5 credits added.")
        opened = fake_discord.find(lambda c: c.path == "/users/@me/channels")
        assert int(opened[0].body["recipient_id"]) == USER_ID
        assert not fake_discord.find(lambda c: c.path == f"/channels/{CHANNEL_ID}/messages")
        assert not fake_discord.find(
            lambda c: c.method == "POST" and c.path == f"/webhooks/{APP_ID}/{bought.token}"
        )


async def test_subscribe_link_and_manage_portal(stripe_app, stripe_fake, fake_discord):
    plan = next(p for p in stripe_app.catalog.plans.values() if p.subscribable)
    async with running_adapter(stripe_app, fake_discord):
        await accept_terms(fake_discord)
        manage = await run(fake_discord, "subscribe", [option("plan", "manage")])
        # Never bought anything: no customer, so no portal.
        await _private_reply(fake_discord, manage, "could not find that subscription")
        sent = await run(fake_discord, "subscribe", [option("plan", plan.id)])
        body = await _private_reply(fake_discord, sent, "Subscribe here")
        session = stripe_fake.sessions[_session_in(stripe_fake, body["content"])]
        assert session["mode"] == "subscription"
        manage = await run(fake_discord, "subscribe", [option("plan", "manage")])
        portal = await _private_reply(fake_discord, manage, "Manage or cancel")
        (made,) = stripe_fake.portals.values()
        assert made["url"] in portal["content"]


async def test_redeem_messages(stripe_app, fake_discord):
    await stripe_app.core.billing.create_promo(
        "SPRING-10", amount_credits=10, max_redemptions=5, expires_at=None
    )
    async with running_adapter(stripe_app, fake_discord):
        await accept_terms(fake_discord)
        sent = await run(fake_discord, "redeem", [option("code", "spring-10")])
        body = await _private_reply(fake_discord, sent, "redeemed")
        assert body["content"] == (
            "Promo code SPRING-10 redeemed: 10 credits added. Balance: 10 credits."
        )
        twice = await run(fake_discord, "redeem", [option("code", "SPRING-10")])
        await _private_reply(fake_discord, twice, "already redeemed")
        unknown = await run(fake_discord, "redeem", [option("code", "NOPE-1")])
        await _private_reply(fake_discord, unknown, 'There is no promo code "NOPE-1"')
    balance = (await stripe_app.core.account(Actor("discord", str(USER_ID)))).balance_credits
    assert balance == 10


async def test_without_stripe_keys_the_messages_say_so(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        credits = await run(fake_discord, "credits")
        body = await _private_reply(fake_discord, credits, "Balance")
        assert "Buying credits is not available" in body["content"]
        assert not custom_ids(body)
        pack = next(iter(embedded_app.catalog.packs))
        for name, options in (("buy", [option("pack", pack)]), ("subscribe", None)):
            plan = next(p.id for p in embedded_app.catalog.plans.values() if p.subscribable)
            sent = await run(fake_discord, name, options or [option("plan", plan)])
            await _private_reply(fake_discord, sent, "Payments are not enabled on this bot.")
        # A Buy button from before payments were switched off gets the same answer.
        button = {"type": 2, "style": 1, "label": "Buy", "custom_id": f"sd:buy:{pack}"}
        stale = {**fake_discord.original(credits), "components": [
            {"type": 1, "components": [button]}
        ]}  # fmt: skip
        pressed = await click(fake_discord, stale, f"sd:buy:{pack}")
        assert "not enabled" in await reply_text(fake_discord, pressed, "Payments")
