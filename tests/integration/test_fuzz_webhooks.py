"""Bad input, at scale, for the inbound webhook bodies (issue 17): arbitrary JSON and
bytes posted to the real routes of the real web app, Stripe's with a real signature over
exactly those bytes (and with wrong ones), Telegram's with and without the secret
header. Each gets one of the route's documented answers, never an exception or a 500
(which would make the sender deliver it again for ever). About 200 bodies per target
(the ``ci`` profile); ``benchmarks/fuzz.py`` posts 10,000+.

The application is built once per test, not per body, on purpose (function-scoped
fixtures under ``@given``): every body stands alone, and the bodies that do apply
(a signed event of a type we ignore, say) are exactly the state a live webhook sees."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from hypothesis import HealthCheck, example, given, settings

from tests.support import fuzz_strategies as fs
from tests.support.fuzz_webhooks import (
    StripeWebhookTarget,
    TelegramWebhookTarget,
    UnexpectedAnswer,
    telegram_target,
)

ONE_APP_FOR_ALL_BODIES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
async def stripe_webhook(billing_app) -> AsyncIterator[StripeWebhookTarget]:
    target = StripeWebhookTarget(billing_app)
    yield target
    await target.aclose()


@pytest.fixture
async def telegram_webhook(app) -> AsyncIterator[TelegramWebhookTarget]:
    async with telegram_target(app) as target:
        yield target


@ONE_APP_FOR_ALL_BODIES
@given(case=fs.stripe_bodies())
@example(case=(json.dumps({"id": "evt_1", "type": "x", "data": [1]}).encode(), "valid"))
@example(case=(json.dumps({"id": "evt_2", "type": "x", "created": "soon"}).encode(), "valid"))
@example(case=(b'{"id": "evt_3", "created": Infinity}', "valid"))
@example(case=(b"\xff\xfe", "valid"))
@example(
    case=(
        json.dumps(
            {
                "id": "evt_4",
                "type": "invoice.paid",
                "data": {"object": {"id": "in_1", "payments": [1]}},
            }
        ).encode(),
        "valid",
    )
)
async def test_stripe_webhook_bodies_get_a_documented_answer(stripe_webhook, case):
    body, signing = case
    await stripe_webhook.post(body, signing)


_NO_CHAT = {"update_id": 1, "message": {"message_id": 1, "date": 1, "chat": None, "text": "/start"}}
_NULL_PAYLOAD = {
    "update_id": 2,
    "pre_checkout_query": {
        "id": "q1",
        "from": {"id": 7, "first_name": "A", "is_bot": False},
        "currency": "XTR",
        "total_amount": None,
        "invoice_payload": None,
    },
}

_SENDER = {"id": 7, "first_name": "A", "is_bot": False}
_FLOAT_LANGUAGE = {
    "update_id": 3,
    "message": {
        "message_id": 1,
        "date": 1,
        "chat": {"id": 7, "type": "private"},
        "from": {**_SENDER, "language_code": 1.5},
        "text": "/imagine",
    },
}
_BOOL_DATA = {
    "update_id": 4,
    "callback_query": {"id": "q", "chat_instance": "c", "data": True, "from": _SENDER},
}


@ONE_APP_FOR_ALL_BODIES
@given(case=fs.telegram_bodies())
@example(case=(json.dumps(_NO_CHAT).encode(), True))  # AttributeError in a filter
@example(case=(json.dumps(_NULL_PAYLOAD).encode(), True))  # AttributeError in payments
@example(case=(json.dumps(_FLOAT_LANGUAGE).encode(), True))  # the error hook itself failed
@example(case=(json.dumps(_BOOL_DATA).encode(), True))
async def test_telegram_webhook_bodies_get_a_documented_answer(telegram_webhook, case):
    body, with_secret = case
    await telegram_webhook.post(body, with_secret)


async def test_an_undocumented_answer_is_caught(billing_app, monkeypatch):
    """The check can fail: a route that answers 500 is reported."""

    async def broken(payload, signature):
        raise RuntimeError("boom")

    monkeypatch.setattr(billing_app.core.billing, "handle_webhook", broken)
    target = StripeWebhookTarget(billing_app)
    try:
        with pytest.raises((UnexpectedAnswer, RuntimeError)):
            await target.post(b"{}", "valid")
    finally:
        await target.aclose()
