"""The fake Bot API's Telegram Stars methods refuse what Telegram refuses, in Telegram's
error shape, and serve what python-telegram-bot's own classes read.

Each case names its source: "PTB" is the installed python-telegram-bot (its
``telegram.constants`` and its classes' ``de_json``), "Bot API" the method's page in the
Telegram Bot API docs, "MTProto" the error table of ``payments.refundStarsCharge``.
"""

from __future__ import annotations

import json

import pytest
from telegram import Bot, StarTransactions, TransactionPartnerUser, Update
from telegram.constants import InvoiceLimit, StarTransactionsLimit
from telegram.error import BadRequest

from tests.support.fake_telegram import BOT_TOKEN, user
from tests.support.telegram_harness import assert_refused as _refused
from tests.support.telegram_harness import call_method as _call
from tests.support.telegram_harness import fake_bot_api

ADA = user(4242)
GOOD_INVOICE = {
    "chat_id": "4242",
    "title": "100 credits",
    "description": "100 credits for your images",
    "payload": "s1:1:small:abcd:0123456789abcdef",
    "currency": "XTR",
    "prices": json.dumps([{"label": "100 credits", "amount": 250}]),
}


@pytest.fixture
async def fake():
    async with fake_bot_api() as api:
        yield api


async def test_a_valid_stars_invoice_is_sent(fake):
    answer = await _call(fake, "sendInvoice", **GOOD_INVOICE)
    assert answer.status_code == 200 and answer.json()["result"]["invoice"]["total_amount"] == 250


# -- sendInvoice ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "description"),
    [
        # PTB InvoiceLimit.MIN/MAX_TITLE_LENGTH; Bot API sendInvoice "title: 1-32 characters"
        ("title", "", "Bad Request: invoice title length is invalid"),
        (
            "title",
            "x" * (InvoiceLimit.MAX_TITLE_LENGTH + 1),
            "Bad Request: invoice title length is invalid",
        ),
        # PTB InvoiceLimit.*_DESCRIPTION_LENGTH; Bot API "description: 1-255 characters"
        ("description", "", "Bad Request: invoice description length is invalid"),
        (
            "description",
            "é" * (InvoiceLimit.MAX_DESCRIPTION_LENGTH + 1),
            "Bad Request: invoice description length is invalid",
        ),
        # PTB InvoiceLimit.MAX_PAYLOAD_LENGTH; Bot API "payload: 1-128 bytes"
        (
            "payload",
            "x" * (InvoiceLimit.MAX_PAYLOAD_LENGTH + 1),
            "Bad Request: INVOICE_PAYLOAD_INVALID",
        ),
        # Bot API "Pass an empty string for payments in Telegram Stars" (provider_token)
        ("provider_token", "284685063:TEST:abc", "Bad Request: STARS_INVOICE_INVALID"),
        # Bot API "must contain exactly one item for payments in Telegram Stars" (prices)
        (
            "prices",
            json.dumps([{"label": "a", "amount": 100}, {"label": "b", "amount": 150}]),
            "Bad Request: STARS_INVOICE_INVALID",
        ),
        # Bot API "Tips are not supported in Telegram Stars" (max_tip_amount)
        ("max_tip_amount", "10", "Bad Request: STARS_INVOICE_INVALID"),
        # PTB InvoiceLimit.MAX_STAR_COUNT
        (
            "prices",
            json.dumps([{"label": "a", "amount": InvoiceLimit.MAX_STAR_COUNT + 1}]),
            "Bad Request: STARS_INVOICE_INVALID",
        ),
    ],
)
async def test_send_invoice_refuses_what_telegram_refuses(fake, field, value, description):
    _refused(await _call(fake, "sendInvoice", **{**GOOD_INVOICE, field: value}), description)


async def test_title_limits_count_characters_not_bytes(fake):
    # PTB InvoiceLimit.MAX_TITLE_LENGTH is in characters (Bot API "1-32 characters").
    title = "é" * InvoiceLimit.MAX_TITLE_LENGTH
    answer = await _call(fake, "sendInvoice", **{**GOOD_INVOICE, "title": title})
    assert answer.status_code == 200


# -- answerPreCheckoutQuery ----------------------------------------------------------------


async def test_pre_checkout_query_is_answered_once_and_only_if_it_exists(fake):
    body = fake.pre_checkout_payload(ADA, GOOD_INVOICE["payload"], 250)
    query = Update.de_json({"update_id": 1, **body}, None).pre_checkout_query  # PTB reads it
    assert query.currency == "XTR" and query.total_amount == 250
    # Bot API answerPreCheckoutQuery: error_message is required when ok is False.
    _refused(
        await _call(fake, "answerPreCheckoutQuery", pre_checkout_query_id=query.id, ok="false"),
        "Bad Request: error_message is required when ok is false",
    )
    answer = await _call(fake, "answerPreCheckoutQuery", pre_checkout_query_id=query.id, ok="true")
    assert answer.json() == {"ok": True, "result": True}
    # A query is answered once; an unknown id is refused.
    for query_id in (query.id, "no-such-query"):
        _refused(
            await _call(fake, "answerPreCheckoutQuery", pre_checkout_query_id=query_id, ok="true"),
            "Bad Request: QUERY_ID_INVALID",
        )


# -- refundStarPayment ---------------------------------------------------------------------


async def test_refund_star_payment_refuses_unknown_foreign_and_repeated_refunds(fake):
    fake.successful_payment_payload(ADA, GOOD_INVOICE["payload"], 250, "stx-1")
    refund = {"user_id": str(ADA["id"]), "telegram_payment_charge_id": "stx-1"}
    # MTProto refundStarsCharge: CHARGE_ID_EMPTY, USER_ID_INVALID, CHARGE_ALREADY_REFUNDED.
    _refused(
        await _call(fake, "refundStarPayment", **{**refund, "telegram_payment_charge_id": ""}),
        "Bad Request: CHARGE_ID_EMPTY",
    )
    _refused(
        await _call(fake, "refundStarPayment", **{**refund, "telegram_payment_charge_id": "nope"}),
        "Bad Request: CHARGE_NOT_FOUND",
    )
    _refused(
        await _call(fake, "refundStarPayment", **{**refund, "user_id": "777"}),
        "Bad Request: USER_ID_INVALID",
    )
    assert (await _call(fake, "refundStarPayment", **refund)).json() == {"ok": True, "result": True}
    again = await _call(fake, "refundStarPayment", **refund)
    _refused(again, "Bad Request: CHARGE_ALREADY_REFUNDED")


# -- getStarTransactions and the payment updates, read by PTB -------------------------------


async def test_star_transactions_are_what_ptb_reads_in_chronological_order(fake):
    for n in range(3):
        fake.successful_payment_payload(ADA, f"payload-{n}", 250 + n, f"stx-{n}")
    fake.refund_now("stx-1")
    async with Bot(BOT_TOKEN, base_url=f"{fake.url}/bot") as bot:
        found = await bot.get_star_transactions(offset=0, limit=StarTransactionsLimit.MAX_LIMIT)
        assert isinstance(found, StarTransactions)
        assert [(t.id, t.source is None) for t in found.transactions] == [
            ("stx-0", False),
            ("stx-1", False),
            ("stx-2", False),
            ("stx-1", True),  # the refund: same id, outgoing (a receiver, no source)
        ]
        paid = found.transactions[0]
        assert isinstance(paid.source, TransactionPartnerUser)
        assert paid.source.user.id == ADA["id"] and paid.source.invoice_payload == "payload-0"
        assert paid.amount == 250
        page = await bot.get_star_transactions(offset=3, limit=1)
        assert [t.id for t in page.transactions] == ["stx-1"]
        # PTB StarTransactionsLimit.MIN_LIMIT..MAX_LIMIT (Bot API: "Values between 1-100")
        for limit in (0, StarTransactionsLimit.MAX_LIMIT + 1):
            with pytest.raises(BadRequest):
                await bot.get_star_transactions(limit=limit)


async def test_payment_updates_are_read_by_ptb(fake):
    paid = fake.successful_payment_payload(ADA, "payload-x", 250, "stx-9")
    message = Update.de_json({"update_id": 1, **paid}, None).message
    assert message.successful_payment.telegram_payment_charge_id == "stx-9"
    assert message.from_user.id == ADA["id"] and message.chat.id == ADA["id"]
    refunded = Update.de_json({"update_id": 2, **fake.refunded_payment_payload(ADA, "stx-9")}, None)
    assert refunded.message.refunded_payment.telegram_payment_charge_id == "stx-9"
    assert refunded.message.refunded_payment.total_amount == 250
