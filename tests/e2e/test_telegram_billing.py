"""Buying credits on Telegram end to end: the real PTB Application against the loopback
fake Bot API. /buy → a Stars invoice → pre_checkout_query → successful_payment (credited
once, even when Telegram delivers the update twice), tampered invoices refused, the
operator's `seedream admin refund-stars` through refundStarPayment, /redeem, /credits,
and card links only when the operator enabled them."""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path

from pydantic import SecretStr

from adapters.telegram import payments
from bot.bootstrap import bootstrap
from core.types import JobEvent, ReplyTarget
from tests.e2e import test_telegram as base
from tests.e2e.test_cli import running
from tests.e2e.test_telegram import ADA, BOB, _accept_terms, app_actor
from tests.support.fake_stripe import API_KEY, WEBHOOK_SECRET
from tests.support.fake_telegram import BOT_TOKEN, BOT_USERNAME, FakeBotApi, group_chat
from tests.support.telegram_harness import button_data, running_adapter, text_has

SMALL_STARS, SMALL_CREDITS = 250, 100

app, fake, tg = base.app, base.fake, base.tg  # the Telegram suite's fixtures


async def _offer(fake: FakeBotApi, who: dict = ADA):
    """/buy: the message listing the packs with their buttons."""
    mark = fake.mark()
    await fake.push_command(who, "/buy")
    return await fake.wait_for("sendMessage", text_has("Choose a credit pack"), after=mark)


async def _invoice(fake: FakeBotApi, who: dict = ADA):
    """/buy, then the small pack's button: the sendInvoice call."""
    mark = fake.mark()
    offer = await _offer(fake, who)
    data = button_data(offer)[f"{SMALL_CREDITS} credits for {SMALL_STARS} Stars"]
    await fake.push_callback(who, data, message=offer)
    return await fake.wait_for("sendInvoice", after=mark)


async def _pre_checkout(fake: FakeBotApi, payload: str, amount: int, who: dict = ADA):
    mark = fake.mark()
    await fake.push_update(fake.pre_checkout_payload(who, payload, amount))
    return await fake.wait_for("answerPreCheckoutQuery", after=mark)


async def _balance(app, who: dict = ADA) -> int:
    return (await app.core.credits(app_actor(who))).balance_credits


async def test_buy_lists_the_stars_packs_and_a_button_sends_an_xtr_invoice(tg, fake, app):
    await _accept_terms(fake)
    mark = fake.mark()
    await fake.push_command(ADA, "/buy")
    offer = await fake.wait_for("sendMessage", text_has("Choose a credit pack"), after=mark)
    buttons = button_data(offer)
    assert set(buttons) == {"100 credits for 250 Stars", "500 credits for 1,000 Stars"}
    assert all(len(data.encode()) <= 64 for data in buttons.values())

    await fake.push_callback(ADA, buttons["500 credits for 1,000 Stars"], message=offer)
    invoice = await fake.wait_for("sendInvoice", after=mark)
    assert invoice.params["currency"] == "XTR"
    assert "provider_token" not in invoice.params
    assert invoice.params["prices"] == [{"label": "500 credits", "amount": 1000}]
    assert invoice.params["chat_id"] == str(ADA["id"])
    payload = invoice.params["payload"]
    assert len(payload.encode()) <= 128 and str(ADA["id"]) not in payload
    assert await fake.wait_for("answerCallbackQuery", after=mark)

    mark = fake.mark()
    await fake.push_command(ADA, "/buy small")  # the pack named directly
    direct = await fake.wait_for("sendInvoice", after=mark)
    assert direct.params["prices"] == [{"label": "100 credits", "amount": SMALL_STARS}]
    await fake.push_command(ADA, "/buy huge")
    unknown = await fake.wait_for("sendMessage", after=mark)
    assert 'There is no credit pack called "huge"' in unknown.params["text"]
    assert len(fake.of("sendInvoice", after=mark)) == 1


async def test_full_stars_purchase_is_credited_once_despite_a_duplicated_update(tg, fake, app):
    await _accept_terms(fake)
    invoice = await _invoice(fake)
    payload = invoice.params["payload"]
    answer = await _pre_checkout(fake, payload, SMALL_STARS)
    assert answer.params["ok"] is True and "error_message" not in answer.params

    paid = fake.successful_payment_payload(ADA, payload, SMALL_STARS, "tg-charge-1")
    mark = fake.mark()
    await fake.push_update(paid)
    landed = await fake.wait_for("sendMessage", text_has("Payment received"), after=mark)
    assert landed.params["text"] == ("Payment received: 100 credits added. Balance: 120 credits.")
    await fake.push_update(paid)  # Telegram delivers the same payment again
    seen = await fake.wait_for("sendMessage", text_has("already credited"), after=mark)
    assert seen.params["text"].endswith("Balance: 120 credits.")
    await fake.push_command(ADA, "/credits")
    overview = await fake.wait_for(
        "sendMessage", lambda c: c.params["text"].startswith("Balance:"), after=mark
    )
    assert overview.params["text"].startswith("Balance: 120 credits.")
    assert overview.params["text"].count("+100  Stars purchase") == 1, overview.params["text"]
    assert "100 credits for 250 Stars" in overview.params["text"]  # the offers too
    assert len(fake.of("sendMessage", after=mark)) == 3  # receipt, "already", /credits
    assert await _balance(app) == 120


async def test_tampered_or_foreign_invoices_are_refused_at_pre_checkout(tg, fake, app):
    await _accept_terms(fake)
    await _accept_terms(fake, BOB)
    payload = (await _invoice(fake)).params["payload"]
    for who, sent, amount, expected in (
        (ADA, payload.replace(":small:", ":large:"), 1000, "This invoice is not valid any more"),
        (ADA, payload, 1, "The price of this pack has changed"),
        (BOB, payload, SMALL_STARS, "This invoice was made for another account"),
    ):
        answer = await _pre_checkout(fake, sent, amount, who)
        assert answer.params["ok"] is False
        assert expected in answer.params["error_message"]

    # A payment with a payload the bot did not make is never credited.
    mark = fake.mark()
    forged = payload.replace(":small:", ":large:")
    await fake.push_update(fake.successful_payment_payload(ADA, forged, 1000, "tg-forged"))
    told = await fake.wait_for("sendMessage", after=mark)
    assert "not valid any more" in told.params["text"]
    assert await _balance(app) == 20 and await _balance(app, BOB) == 20


async def test_buy_in_a_group_points_to_the_private_chat(tg, fake):
    await _accept_terms(fake)
    mark = fake.mark()
    await fake.push_command(ADA, f"/buy@{BOT_USERNAME}", chat=group_chat())
    pointer = await fake.wait_for("sendMessage", after=mark)
    assert button_data(pointer) == {"Open private chat": f"https://t.me/{BOT_USERNAME}?start=buy"}
    assert not fake.of("sendInvoice")
    await fake.push_command(ADA, "/start buy")
    assert await fake.wait_for("sendMessage", text_has("Choose a credit pack"), after=mark)


async def test_redeem_a_promo_code(tg, fake, app):
    await app.core.billing.create_promo(
        "SPRING5", amount_credits=5, max_redemptions=1, expires_at=None
    )
    await _accept_terms(fake)
    for text, expected in (
        ("/redeem spring5", "Promo code SPRING5 redeemed: 5 credits added. Balance: 25"),
        ("/redeem spring5", "You have already redeemed the promo code"),
        ("/redeem nope", 'There is no promo code "NOPE"'),
        ("/redeem", "Use /redeem CODE"),
    ):
        mark = fake.mark()
        await fake.push_command(ADA, text)
        answer = await fake.wait_for("sendMessage", after=mark)
        assert expected in answer.params["text"], answer.params["text"]
    assert await _balance(app) == 25


async def test_credits_shows_debt_plan_recent_entries_and_packs(tg, fake, app):
    await _accept_terms(fake)
    mark = fake.mark()
    await fake.push_command(ADA, "/credits")
    shown = (await fake.wait_for("sendMessage", after=mark)).params["text"]
    assert shown.startswith("Balance: 20 credits.")
    assert "+20  welcome" in shown
    assert "Credit packs (buy with /buy PACK):" in shown
    assert "small: 100 credits for 250 Stars" in shown
    assert "USD" not in shown  # no card offers unless the operator enabled them


async def test_purchase_notice_events_are_sent_to_the_chat(tg, fake, app):
    mark = fake.mark()
    notice = JobEvent(
        kind="notice",
        job_id="pi_notice_1",
        account_id=1,
        reply_target=ReplyTarget("telegram", {"chat_id": ADA["id"]}),
        locale="en",
        notice_key="billing.purchase_landed",
        notice_params={"credits": 100, "balance_credits": 130},
    )
    assert await app.events.publish(notice)
    sent = await fake.wait_for("sendMessage", after=mark)
    assert sent.params["chat_id"] == str(ADA["id"])
    assert sent.params["text"] == "Payment received: 100 credits added. Balance: 130 credits."


async def test_admin_refund_stars_calls_telegram_and_takes_the_credits_back_once(
    tg, fake, app, settings, tmp_path
):
    await _accept_terms(fake)
    payload = (await _invoice(fake)).params["payload"]
    mark = fake.mark()
    await fake.push_update(fake.successful_payment_payload(ADA, payload, SMALL_STARS, "tg-ch-9"))
    await fake.wait_for("sendMessage", text_has("Payment received"), after=mark)
    assert await _balance(app) == 120

    env = {k: v for k, v in os.environ.items() if not k.startswith("SEEDREAM_")}
    env.pop("TELEGRAM_TOKEN", None)
    env.update(
        TELEGRAM_BOT_TOKEN=BOT_TOKEN,
        SEEDREAM_TELEGRAM_API_BASE_URL=fake.url,
        SEEDREAM_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'seedream.db'}",
        SEEDREAM_DATA_DIR=str(settings.data_dir),
        SEEDREAM_SIGNING_SECRET=settings.signing_secret.get_secret_value(),
    )

    async def refund(*args: str) -> tuple[int, str, str]:
        async with running(
            ["admin", *(args or ("refund-stars", "tg-ch-9"))], env, tmp_path
        ) as proc:
            async with asyncio.timeout(60):
                out, err = await proc.communicate()
        return proc.returncode, out.decode(), err.decode()

    mark = fake.mark()
    code, out, err = await refund()
    assert code == 0, err
    assert out.strip() == "refunded: 100 credits taken back, 0 owed"
    call = await fake.wait_for("refundStarPayment", after=mark)
    assert call.params == {"user_id": str(ADA["id"]), "telegram_payment_charge_id": "tg-ch-9"}
    assert fake.refunded_charges == {"tg-ch-9"}
    assert await _balance(app) == 20

    code, _, err = await refund()
    assert code == 1 and "already been refunded" in err
    assert len(fake.of("refundStarPayment", after=mark)) == 1
    assert await _balance(app) == 20
    assert BOT_TOKEN not in err
    code, out, _ = await refund("stars-refunds", "--resume")
    assert (code, out.strip()) == (0, "no pending or failed Stars refunds")

    # Telegram already refunded this one (an earlier attempt that went through, or the
    # user refunded another way): the credits are taken back, the refund is done.
    payload = (await _invoice(fake)).params["payload"]
    mark = fake.mark()
    await fake.push_update(fake.successful_payment_payload(ADA, payload, SMALL_STARS, "tg-ch-10"))
    await fake.wait_for("sendMessage", text_has("Payment received"), after=mark)
    fake.refund_now("tg-ch-10")
    code, out, err = await refund("refund-stars", "tg-ch-10")
    assert code == 0 and "Traceback" not in err, err
    assert out.strip() == "refunded: 100 credits taken back, 0 owed"
    assert await _balance(app) == 20


# -- card links on Telegram: only when the operator enables them ---------------------------


@contextlib.asynccontextmanager
async def _stripe_app(settings, engine, stripe_fake, *, card_on_telegram: bool):
    card_settings = settings.model_copy(
        update={
            "stripe_secret_key": SecretStr(API_KEY),
            "stripe_webhook_secret": SecretStr(WEBHOOK_SECRET),
            "stripe_api_base": stripe_fake.base_url,
            "stripe_max_network_retries": 0,
            "telegram_card_payments": card_on_telegram,
        }
    )
    async with bootstrap(card_settings, engine=engine, migrate=False) as built:
        yield built


async def test_card_packs_on_telegram_when_enabled_and_the_payment_lands_in_the_chat(
    settings, sqlite_engine, fake, stripe_fake
):
    async with (
        _stripe_app(settings, sqlite_engine, stripe_fake, card_on_telegram=True) as card_app,
        running_adapter(card_app, fake),
    ):
        await _accept_terms(fake)
        mark = fake.mark()
        offer = await _offer(fake)
        buttons = button_data(offer)
        assert "100 credits for 250 Stars" in buttons
        await fake.push_callback(ADA, buttons["100 credits for 5.00 USD by card"], message=offer)
        link = await fake.wait_for("sendMessage", text_has("Pay by card"), after=mark)
        url = button_data(link)["Pay by card"]
        assert url.startswith(stripe_fake.base_url)
        session_id = Path(url).name

        mark = fake.mark()
        body, headers = stripe_fake.signed(stripe_fake.pay(session_id))
        assert await card_app.core.billing.handle_webhook(body, headers["Stripe-Signature"])
        landed = await fake.wait_for("sendMessage", text_has("Payment received"), after=mark)
        assert landed.params["chat_id"] == str(ADA["id"])
        assert await _balance(card_app) == 120


async def test_card_links_stay_off_on_telegram_unless_enabled(
    settings, sqlite_engine, fake, stripe_fake
):
    async with (
        _stripe_app(settings, sqlite_engine, stripe_fake, card_on_telegram=False) as stripe_app,
        running_adapter(stripe_app, fake),
    ):
        await _accept_terms(fake)
        mark = fake.mark()
        offer = await _offer(fake)
        assert set(button_data(offer)) == {
            "100 credits for 250 Stars",
            "500 credits for 1,000 Stars",
        }
        mark = fake.mark()
        await fake.push_callback(ADA, "bc:small", message=fake.sent_message(offer))  # forged
        refused = await fake.wait_for("answerCallbackQuery", after=mark)
        assert "credits are sold for Telegram Stars" in refused.params["text"]
        assert not fake.of("sendMessage", after=mark)
        assert not stripe_fake.sessions


async def test_a_pre_checkout_the_core_cannot_check_in_time_is_refused_in_time(
    tg, fake, app, monkeypatch
):
    """Telegram cancels a payment unanswered after 10 s: the adapter answers "no" in
    time rather than not at all (the core's check is held up here on purpose)."""
    await _accept_terms(fake)
    payload = (await _invoice(fake)).params["payload"]
    held = asyncio.Event()

    async def stuck(*args) -> None:
        held.set()
        await asyncio.Event().wait()  # never returns; cancelled by the adapter's budget

    monkeypatch.setattr(payments, "PRE_CHECKOUT_BUDGET_S", 0.3)
    monkeypatch.setattr(app.core.billing, "stars_pre_checkout", stuck)
    answer = await _pre_checkout(fake, payload, SMALL_STARS)
    assert held.is_set()
    assert answer.params["ok"] is False
    assert "cannot be reached right now" in answer.params["error_message"]
