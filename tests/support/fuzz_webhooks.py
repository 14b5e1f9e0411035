"""The webhook targets of the bad-input runs: a body posted to the real route of the real
web app through ``httpx.ASGITransport`` (no socket), answered with one of the route's
documented statuses. An exception out of the app, or any other status (a 500 makes the
sender deliver the same body again for ever), is unhandled.

Used by tests/integration/test_fuzz_webhooks.py (with the test fixtures) and by
``benchmarks/fuzz.py`` (with ``webhook_targets``)."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import httpx
import stripe
from telegram.error import TelegramError

from adapters.telegram.webhook import SECRET_HEADER, webhook_route
from adapters.web.app import create_web_app
from bot.bootstrap import App, bootstrap
from bot.settings import Settings
from tests.support.billing_harness import stripe_update
from tests.support.fake_stripe import WEBHOOK_SECRET, FakeStripe
from tests.support.servers import serve_asgi
from tests.support.telegram_harness import fake_bot_api, running_adapter

# adapters/web/billing.py: 200 applied or ignored, 400 bad signature or body, 413 too big.
STRIPE_ANSWERS = frozenset({200, 400, 413})
# adapters/telegram/webhook.py: 200 (a malformed update too), 403 wrong secret, 413.
TELEGRAM_ANSWERS = frozenset({200, 403, 413})
TELEGRAM_SECRET = "fuzz-telegram-secret"


class UnexpectedAnswer(AssertionError):
    """A status the route does not document for bad input."""


def stripe_signature(body: bytes, secret: str) -> str:
    """The ``Stripe-Signature`` header for exactly ``body``: stripe-python's own helper
    for a UTF-8 body; its scheme (HMAC-SHA256 over ``"{t}." + body``) for other bytes."""
    try:
        return stripe.WebhookSignature.generate_signature_header(body.decode(), secret)
    except UnicodeDecodeError:
        stamp = int(time.time())
        mac = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256)
        return f"t={stamp},v1={mac.hexdigest()}"


class _Target:
    def __init__(self, web_app, path: str, answers: frozenset[int]) -> None:
        transport = httpx.ASGITransport(app=web_app)
        self.client = httpx.AsyncClient(transport=transport, base_url="http://seedream.test")
        self.path, self.answers = path, answers
        self.statuses: dict[int, int] = {}

    async def _post(self, body: bytes, headers: dict[str, str]) -> int:
        response = await self.client.post(self.path, content=body, headers=headers)
        status = response.status_code
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status not in self.answers:
            raise UnexpectedAnswer(f"HTTP {status}: {response.text[:200]}")
        return status

    async def aclose(self) -> None:
        await self.client.aclose()


class StripeWebhookTarget(_Target):
    def __init__(self, app: App, secret: str = WEBHOOK_SECRET) -> None:
        super().__init__(create_web_app(app), "/stripe/webhook", STRIPE_ANSWERS)
        self.secret = secret

    async def post(self, body: bytes, signing: str) -> int:
        """``signing``: valid, wrong (another secret), garbage or none."""
        headers = {"content-type": "application/json"}
        if signing == "valid":
            headers["stripe-signature"] = stripe_signature(body, self.secret)
        elif signing == "wrong":
            headers["stripe-signature"] = stripe_signature(body, self.secret + "-not")
        elif signing == "garbage":
            headers["stripe-signature"] = "t=soon,v1=" + body[:20].hex()
        return await self._post(body, headers)


class _Errors(logging.Handler):
    """The ERROR records the application logs (an exception a handler did not expect:
    the user got the generic apology)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _telegram_refused(record: logging.LogRecord) -> bool:
    return record.exc_info is not None and isinstance(record.exc_info[1], TelegramError)


class TelegramWebhookTarget(_Target):
    """Also waits for the update's handlers (the route only queues it) and counts an
    ERROR they log as unhandled."""

    def __init__(self, app: App, adapter, secret: str = TELEGRAM_SECRET) -> None:
        route = webhook_route(adapter)
        super().__init__(create_web_app(app, [route]), route.path, TELEGRAM_ANSWERS)
        self.secret, self.adapter = secret, adapter
        self.errors = _Errors()

    async def post(self, body: bytes, with_secret: bool) -> int:
        headers = {"content-type": "application/json"}
        headers[SECRET_HEADER] = self.secret if with_secret else self.secret[:-1]
        logger = logging.getLogger("seedream")
        logger.addHandler(self.errors)
        try:
            status = await self._post(body, headers)
            await self.adapter.application.update_queue.join()
        finally:
            logger.removeHandler(self.errors)
        # The Bot API refusing our answer to an update it never sent (a pre-checkout
        # query id the fake does not know) is Telegram's answer, not our crash.
        unexpected = [r for r in self.errors.records if not _telegram_refused(r)]
        self.errors.records.clear()
        if unexpected:
            record = unexpected[0]
            raise UnexpectedAnswer(f"handler error: {record.getMessage()[:200]}") from (
                record.exc_info[1] if record.exc_info else None
            )
        return status


@contextlib.asynccontextmanager
async def telegram_target(app: App) -> AsyncIterator[TelegramWebhookTarget]:
    """The real Telegram adapter in webhook mode (its Bot API a loopback fake)."""
    async with (
        fake_bot_api() as fake,
        running_adapter(
            app,
            fake,
            webhook_url="https://bot.example/telegram/webhook",
            webhook_secret=TELEGRAM_SECRET,
        ) as adapter,
    ):
        target = TelegramWebhookTarget(app, adapter)
        try:
            yield target
        finally:
            await target.aclose()


@contextlib.asynccontextmanager
async def webhook_targets(
    data_dir: Path,
) -> AsyncIterator[tuple[StripeWebhookTarget, TelegramWebhookTarget]]:
    """Both targets over one application on an embedded SQLite in ``data_dir``, Stripe
    a loopback fake (``benchmarks/fuzz.py``)."""
    fake = FakeStripe()
    async with serve_asgi(fake.app) as url:
        fake.base_url = url
        settings = Settings(
            _env_file=None,
            data_dir=data_dir,
            signing_secret="fuzz-secret-0123456789",
            user_requests_per_minute=0,
            chat_requests_per_minute=0,
            **stripe_update(fake),
        )
        async with bootstrap(settings) as app, telegram_target(app) as telegram:
            stripe_target = StripeWebhookTarget(app)
            try:
                yield stripe_target, telegram
            finally:
                await stripe_target.aclose()


__all__ = [
    "STRIPE_ANSWERS",
    "TELEGRAM_ANSWERS",
    "StripeWebhookTarget",
    "TelegramWebhookTarget",
    "UnexpectedAnswer",
    "replace",
    "telegram_target",
    "webhook_targets",
]
