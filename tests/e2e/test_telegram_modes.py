"""The Telegram adapter's other ways of running: webhook mode behind the web server
(secret token checked), the flood limiter under 200 results for one chat, and the
production stack (PostgreSQL, Redis event bus, a separate worker)."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import shutil
import sys
import uuid
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from telegram import Bot, LabeledPrice, Update
from telegram.error import BadRequest

from adapters.telegram.webhook import SECRET_HEADER
from bot.bootstrap import bootstrap
from core.text.catalogue import LOCALES_DIR, Messages
from core.types import Actor, ImageView, JobEvent, ReplyTarget
from tests.conftest import REDIS_URL
from tests.support.fake_telegram import BOT_TOKEN, Call, user
from tests.support.telegram_harness import fake_bot_api, running_adapter, text_has, webhook_adapter

SEEDREAM = str(Path(sys.executable).with_name("seedream"))
ADA = user(424242)
SECRET = "s3cret-token_for-the-webhook"


@pytest.fixture
async def app(settings, sqlite_engine):
    async with bootstrap(settings, engine=sqlite_engine, migrate=False) as built:
        yield built


async def test_webhook_mode_checks_the_secret_token(app, http):
    async with webhook_adapter(app, SECRET) as (fake, _, url):
        assert fake.webhook["url"] == "https://bot.example/telegram/webhook"
        assert fake.webhook["secret_token"] == SECRET
        assert not fake.of("getUpdates"), "webhook mode does not poll"

        for headers in ({SECRET_HEADER: "wrong"}, {}):
            refused = await http.post(
                url, json=fake.make_update(fake.command_payload(ADA, "/help")), headers=headers
            )
            assert refused.status_code == 403
        # Malformed bodies with the right secret: answered 200, or Telegram resends them
        # for ever (tests/e2e/test_telegram_updates.py has the rest).
        for body in (b"not json", b'{"update_id": 1, "message": {"text": "no chat"}}'):
            bad = await http.post(url, content=body, headers={SECRET_HEADER: SECRET})
            assert bad.status_code == 200

        mark = fake.mark()
        accepted = await http.post(
            url,
            json=fake.make_update(fake.command_payload(ADA, "/help")),
            headers={SECRET_HEADER: SECRET},
        )
        assert accepted.status_code == 200
        answer = await fake.wait_for("sendMessage", after=mark)
        assert "/imagine PROMPT" in answer.params["text"]
        # Only the update with the right secret was answered.
        assert len(fake.of("sendMessage")) == 1


async def test_a_redelivered_update_finds_its_job_and_pays_once(app, http):
    """Telegram posts an update again when the webhook call failed (or, when polling, an
    update the bot fetched but never confirmed before a crash): one job, one debit."""
    actor = Actor("telegram", str(ADA["id"]))
    await app.core.accept_terms(actor, age_confirmed=True)
    before = (await app.core.account(actor)).balance_credits
    async with webhook_adapter(app, SECRET) as (fake, _, url):
        update = fake.make_update(fake.command_payload(ADA, "/imagine a heron at dawn"))
        headers = {SECRET_HEADER: SECRET}
        mark = fake.mark()
        assert (await http.post(url, json=update, headers=headers)).is_success
        await fake.wait_for("editMessageText", text_has("Queued"), after=mark)
        again = fake.mark()
        assert (await http.post(url, json=update, headers=headers)).is_success
        answer = await fake.wait_for("editMessageText", after=again)

    (job,) = await app.core.history(actor)
    assert f"job {job.job_id[:8]}" in answer.params["text"]
    assert "not charged again" in answer.params["text"]
    assert (await app.core.account(actor)).balance_credits == before - job.cost_credits


async def test_200_results_for_one_chat_arrive_in_order_within_the_chat_limit(app):
    interval_s = 0.01  # the per-chat limit, compressed from 1 s so the test takes seconds
    count = 200
    async with (
        fake_bot_api() as fake,
        running_adapter(app, fake, chat_interval_s=interval_s) as adapter,
    ):
        events = [
            JobEvent(
                kind="finished",
                job_id=f"{i:04d}" + uuid.uuid4().hex[:28],
                account_id=1,
                reply_target=ReplyTarget("telegram", {"chat_id": ADA["id"], "message_id": 7}),
                locale="en",
                images=[ImageView(f"img{i}", f"http://127.0.0.1:9/media/{i}.png", 64, 64, "")],
            )
            for i in range(count)
        ]
        mark = fake.mark()
        # All at once, as a busy worker pool would hand them over.
        await asyncio.gather(*(adapter.delivery.on_event(e) for e in events))

    sent: list[Call] = [c for c in fake.calls[mark:] if c.params.get("chat_id") == str(ADA["id"])]
    photos = [c.params["photo"] for c in sent if c.method == "sendPhoto"]
    assert photos == [f"http://127.0.0.1:9/media/{i}.png" for i in range(count)]
    gaps_s = [b.at_s - a.at_s for a, b in itertools.pairwise(sent)]
    assert len(sent) == 2 * count  # a photo and a status edit per result
    assert min(gaps_s) >= interval_s * 0.999, min(gaps_s)
    print(f"per-chat gap: min {min(gaps_s) * 1000:.1f} ms, configured {interval_s * 1000:.0f} ms")


async def test_on_postgresql_with_the_redis_event_bus(settings, pg_engine):
    prefix = f"t{uuid.uuid4().hex[:10]}"
    redis_settings = settings.model_copy(update={"redis_url": REDIS_URL, "redis_prefix": prefix})
    async with AsyncExitStack() as stack:
        adapter_app = await stack.enter_async_context(
            bootstrap(redis_settings, engine=pg_engine, migrate=False)
        )
        worker_app = await stack.enter_async_context(
            bootstrap(redis_settings, engine=pg_engine, migrate=False)
        )

        async def drop_keys() -> None:
            async for key in adapter_app.redis.scan_iter(match=f"{prefix}:*"):
                await adapter_app.redis.delete(key)

        stack.push_async_callback(drop_keys)
        fake = await stack.enter_async_context(fake_bot_api())
        await stack.enter_async_context(running_adapter(adapter_app, fake))
        consumer = asyncio.create_task(adapter_app.events.consume())
        worker = asyncio.create_task(worker_app.worker.run())
        try:
            await fake.push_command(ADA, "/start")
            terms = await fake.wait_for("sendMessage")
            accept = terms.markup_buttons()[0]["callback_data"]
            await fake.push_callback(ADA, accept, message=fake.sent_message(terms))
            await fake.wait_for("editMessageText")
            mark = fake.mark()
            await fake.push_command(ADA, "/imagine a harbour at dawn")
            photo = await fake.wait_for("sendPhoto", after=mark, timeout_s=30)
            assert photo.params["chat_id"] == str(ADA["id"])
            done = await fake.wait_for(
                "editMessageText", lambda c: c.params["text"] == "Done.", after=mark
            )
            assert done.at_s > photo.at_s
        finally:
            for task in (consumer, worker):
                task.cancel()
            await asyncio.gather(consumer, worker, return_exceptions=True)


async def test_command_menu_is_registered_per_language(app, tmp_path):
    locales = tmp_path / "locales"
    locales.mkdir()
    shutil.copy(LOCALES_DIR / "en.ftl", locales / "en.ftl")
    # French: a language the project ships no file of, so the adapter's layers add nothing
    (locales / "fr.ftl").write_text(
        "telegram-cmd-imagine = Créer une image à partir d'une description\n", encoding="utf-8"
    )
    app = dataclasses.replace(app, messages=Messages(locales))
    async with fake_bot_api() as fake, running_adapter(app, fake):
        english = {c["command"]: c["description"] for c in fake.commands[None]}
        french = {c["command"]: c["description"] for c in fake.commands["fr"]}
    assert english["imagine"] == "Create an image from a prompt"
    assert french["imagine"] == "Créer une image à partir d'une description"
    assert french["help"] == english["help"]  # untranslated texts fall back to English
    assert "terms" not in english  # an alias, not in the menu


async def test_the_fake_speaks_telegram_stars_to_ptb():
    """The Stars calls the payments flow will make, through the real PTB client: an XTR
    invoice, the pre-checkout answer, a refund (a second one is refused), and the
    payment updates parsed by PTB."""
    async with fake_bot_api() as fake, Bot(BOT_TOKEN, base_url=f"{fake.url}/bot") as bot:
        message = await bot.send_invoice(
            ADA["id"],
            "50 credits",
            "A pack of 50 credits",
            "pack:small",
            "XTR",
            [LabeledPrice("50 credits", 50)],
        )
        assert message.invoice.total_amount == 50 and message.invoice.currency == "XTR"
        invoice = fake.of("sendInvoice")[0].params
        assert "provider_token" not in invoice and invoice["prices"] == [
            {"label": "50 credits", "amount": 50}
        ]
        query = Update.de_json(
            fake.make_update(fake.pre_checkout_payload(ADA, "pack:small", 50)), bot
        ).pre_checkout_query
        assert await query.answer(ok=True)
        assert fake.of("answerPreCheckoutQuery")[0].params["ok"] is True
        paid = Update.de_json(
            fake.make_update(fake.successful_payment_payload(ADA, "pack:small", 50, "ch_1")), bot
        ).message.successful_payment
        assert paid.telegram_payment_charge_id == "ch_1"
        assert await bot.refund_star_payment(ADA["id"], "ch_1")
        with pytest.raises(BadRequest, match=r"(?i)charge_already_refunded"):
            await bot.refund_star_payment(ADA["id"], "ch_1")
