"""Telegram Stars money at the edges (issue 13): a payment whose crediting fails is not
lost (webhook mode answers non-2xx so Telegram sends it again; the reconciler over
getStarTransactions credits what polling lost), a refunded_payment takes the credits
back once (counted with `admin refund-stars`), a 429 never holds the answers with a
deadline, and out-of-limit invoice texts stop the start-up with one line."""

from __future__ import annotations

import dataclasses
import logging
import shutil

import pytest
from pydantic import SecretStr

from adapters.telegram.app import TelegramAdapter
from adapters.telegram.webhook import SECRET_HEADER
from bot.roles import _telegram
from core.errors import PaymentRefused
from core.text.catalogue import LOCALES_DIR, Messages
from tests.e2e import test_telegram as base
from tests.e2e.test_telegram import ADA, _accept_terms, app_actor
from tests.e2e.test_telegram_billing import SMALL_CREDITS, SMALL_STARS, _balance, _invoice
from tests.e2e.test_telegram_billing import _offer as _buy_offer
from tests.support.telegram_harness import (
    TEST_CONFIG,
    button_data,
    fake_bot_api,
    running_adapter,
    text_has,
    webhook_adapter,
)

app, fake, tg = base.app, base.fake, base.tg  # the Telegram suite's fixtures
SECRET = "s3cret-token_for-the-webhook"


class _DatabaseDownOnce:
    """The billing's unit-of-work factory, failing its next call as a lost database
    connection does (not a CoreError)."""

    def __init__(self, uow) -> None:
        self._uow = uow
        self.failures_left = 1

    def __call__(self, *args, **kwargs):
        if self.failures_left:
            self.failures_left -= 1
            raise ConnectionRefusedError("database down")
        return self._uow(*args, **kwargs)


async def _core_invoice(app) -> str:
    """Terms accepted and a small pack's invoice payload, without polling (webhook mode)."""
    await app.core.accept_terms(app_actor(ADA), age_confirmed=True)
    return (await app.core.billing.stars_invoice(app_actor(ADA), "small")).payload


def _charge_logged(caplog, charge_id: str) -> None:
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(charge_id in r.getMessage() for r in failures), [r.getMessage() for r in failures]
    assert not any(str(ADA["id"]) in r.getMessage() for r in caplog.records)


# -- defect 1: a payment whose crediting fails is not lost ---------------------------------


async def test_webhook_answers_500_until_the_payment_is_credited(app, http, monkeypatch, caplog):
    async with webhook_adapter(app, SECRET) as (fake, _, url):
        payload = await _core_invoice(app)
        paid = fake.make_update(
            fake.successful_payment_payload(ADA, payload, SMALL_STARS, "stx-web-1")
        )
        headers = {SECRET_HEADER: SECRET}
        down = _DatabaseDownOnce(app.core.billing._uow)
        monkeypatch.setattr(app.core.billing, "_uow", down)
        caplog.set_level(logging.INFO)
        failed = await http.post(url, json=paid, headers=headers)
        assert failed.status_code == 500  # not acknowledged: Telegram sends it again
        assert down.failures_left == 0 and await _balance(app) == 20
        _charge_logged(caplog, "stx-web-1")

        mark = fake.mark()
        again = await http.post(url, json=paid, headers=headers)
        assert again.status_code == 200
        # Credited before the answer: the receipt was sent before the 200.
        assert fake.of("sendMessage", after=mark)[0].params["text"].startswith("Payment received")
        assert await _balance(app) == 20 + SMALL_CREDITS


async def test_a_refused_payment_is_acknowledged_and_told(app, http):
    """A payload the bot did not make can never be credited: redelivery would not help."""
    async with webhook_adapter(app, SECRET) as (fake, _, url):
        await _core_invoice(app)
        forged = fake.make_update(fake.successful_payment_payload(ADA, "s1:1:small:x:y", 250))
        mark = fake.mark()
        answer = await http.post(url, json=forged, headers={SECRET_HEADER: SECRET})
        assert answer.status_code == 200
        assert "not valid any more" in fake.of("sendMessage", after=mark)[0].params["text"]


async def test_the_reconciler_credits_a_payment_whose_update_was_lost_once(
    app, monkeypatch, caplog
):
    async with fake_bot_api() as fake, running_adapter(app, fake) as adapter:
        await _accept_terms(fake)
        payload = (await _invoice(fake)).params["payload"]
        down = _DatabaseDownOnce(app.core.billing._uow)
        monkeypatch.setattr(app.core.billing, "_uow", down)
        caplog.set_level(logging.INFO)
        mark = fake.mark()
        # Polling confirmed this update when it fetched it; its crediting fails.
        await fake.push_update(fake.successful_payment_payload(ADA, payload, SMALL_STARS, "stx-7"))
        await fake.wait_for("sendMessage", text_has("went wrong"), after=mark)
        assert down.failures_left == 0 and await _balance(app) == 20
        _charge_logged(caplog, "stx-7")

        assert await adapter.stars_reconciler.run_once() == 1
        told = await fake.wait_for("sendMessage", text_has("Payment received"), after=mark)
        assert told.params["chat_id"] == str(ADA["id"])
        assert await _balance(app) == 20 + SMALL_CREDITS
        assert await adapter.stars_reconciler.run_once() == 0  # once
        # Telegram delivering the update after all credits nothing either.
        await fake.push_update(fake.successful_payment_payload(ADA, payload, SMALL_STARS, "stx-7"))
        await fake.wait_for("sendMessage", text_has("already credited"), after=mark)
        assert await _balance(app) == 20 + SMALL_CREDITS


async def test_the_reconciler_runs_by_itself_and_takes_back_refunds(app):
    async with fake_bot_api() as fake:
        await _accept_terms_without_adapter(app, fake)
        async with running_adapter(app, fake, stars_reconcile_interval_s=0.05):
            payload = (await _invoice(fake)).params["payload"]
            mark = fake.mark()
            fake.successful_payment_payload(ADA, payload, SMALL_STARS, "stx-8")  # never sent
            await fake.wait_for("sendMessage", text_has("Payment received"), after=mark)
            assert await _balance(app) == 20 + SMALL_CREDITS
            fake.refund_now("stx-8")  # refunded by Telegram; the update is lost too
            await fake.wait_for("sendMessage", text_has("was refunded"), after=mark)
            assert await _balance(app) == 20
        # A payment refunded before it was ever seen is not credited at all.
        fake.successful_payment_payload(ADA, payload, SMALL_STARS, "stx-9")
        fake.refund_now("stx-9")
        async with running_adapter(app, fake) as adapter:
            assert await adapter.stars_reconciler.run_once() == 0
        assert await _balance(app) == 20


async def _accept_terms_without_adapter(app, fake) -> None:
    async with running_adapter(app, fake):
        await _accept_terms(fake)


# -- defect 2: refunded_payment -----------------------------------------------------------


async def test_refunded_payment_takes_the_credits_back(tg, fake, app):
    await _accept_terms(fake)
    payload = (await _invoice(fake)).params["payload"]
    mark = fake.mark()
    await fake.push_update(fake.successful_payment_payload(ADA, payload, SMALL_STARS, "stx-r0"))
    await fake.wait_for("sendMessage", text_has("Payment received"), after=mark)
    assert await _balance(app) == 20 + SMALL_CREDITS
    await fake.push_update(fake.refunded_payment_payload(ADA, "stx-r0"))
    told = await fake.wait_for("sendMessage", text_has("was refunded"), after=mark)
    assert f"{SMALL_CREDITS} credits were taken back" in told.params["text"]
    assert await _balance(app) == 20


async def test_a_refund_counts_once_whether_telegram_or_the_operator_reports_it(app, http):
    """In webhook mode an answered update has been handled, so each step is checked."""
    async with webhook_adapter(app, SECRET) as (fake, _, url):

        async def post(body: dict) -> None:
            update = fake.make_update(body)
            answer = await http.post(url, json=update, headers=headers)
            assert answer.status_code == 200

        headers = {SECRET_HEADER: SECRET}
        payload = await _core_invoice(app)
        for charge in ("stx-r1", "stx-r2"):
            await post(fake.successful_payment_payload(ADA, payload, SMALL_STARS, charge))
        assert await _balance(app) == 20 + 2 * SMALL_CREDITS

        refunded = fake.refunded_payment_payload(ADA, "stx-r1")
        await post(refunded)
        assert await _balance(app) == 20 + SMALL_CREDITS
        mark = fake.mark()
        await post(refunded)  # delivered again: nothing more is taken, nothing said
        assert await _balance(app) == 20 + SMALL_CREDITS and not fake.of("sendMessage", after=mark)
        with pytest.raises(PaymentRefused):  # nor can the operator refund it again
            await app.core.billing.admin_refund_stars("stx-r1")

        # The operator refunds first; Telegram's refunded_payment then counts with it.
        await app.core.billing.admin_refund_stars("stx-r2")
        assert await _balance(app) == 20
        await post(fake.refunded_payment_payload(ADA, "stx-r2"))
        assert await _balance(app) == 20 and not fake.of("sendMessage", after=mark)
        assert (await app.core.billing.overview(app_actor(ADA))).debt_credits == 0


# -- defect 3: a 429 does not hold the answers with a deadline ------------------------------


async def test_a_flood_pause_does_not_hold_pre_checkout_or_callback_answers(tg, fake, app):
    await _accept_terms(fake)
    payload = (await _invoice(fake)).params["payload"]
    offer = await _buy_offer(fake)
    mark = fake.mark()
    fake.fail_next("sendMessage", retry_after_s=2)
    await fake.push_command(ADA, "/help")
    await fake.wait_for("sendMessage", after=mark)  # answered 429: every request pauses
    await fake.push_update(fake.pre_checkout_payload(ADA, payload, SMALL_STARS))
    answer = await fake.wait_for("answerPreCheckoutQuery", after=mark)
    assert answer.params["ok"] is True
    await fake.push_callback(ADA, button_data(offer)["100 credits for 250 Stars"], message=offer)
    await fake.wait_for("answerCallbackQuery", after=mark)
    # Both answers went out before the paused sendMessage was tried again.
    assert len(fake.of("sendMessage", after=mark)) == 1
    retried = await fake.wait_count("sendMessage", 2, after=mark)
    assert "/imagine PROMPT" in retried[1].params["text"]


# -- defect 4: invoice limits are checked at start-up --------------------------------------


async def test_an_invoice_title_over_the_limit_stops_the_start_with_one_line(app):
    catalog = app.core.billing.catalog
    small = catalog.packs["small"]
    long_pack = dataclasses.replace(small, label="x" * 33)
    app.core.billing.catalog = dataclasses.replace(
        catalog, packs={**catalog.packs, "small": long_pack}
    )
    settings = app.settings.model_copy(update={"telegram_token": SecretStr("1:x")})
    with pytest.raises(SystemExit) as stopped:
        _telegram(dataclasses.replace(app, settings=settings))
    line = str(stopped.value)
    assert "\n" not in line
    assert "'small'" in line and "in locale '" in line and "title" in line and "1-32" in line


async def test_an_invoice_description_over_the_limit_in_one_locale_stops_the_start(app, tmp_path):
    for path in LOCALES_DIR.glob("*.ftl"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "xx.ftl").write_text("telegram-invoice = { $label } " + "y" * 250 + "\n")
    with pytest.raises(ValueError, match=r"description of pack 'small' in locale 'xx'"):
        TelegramAdapter(app.core, Messages(tmp_path), app.events, TEST_CONFIG)
