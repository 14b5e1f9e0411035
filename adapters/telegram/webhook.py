"""Webhook mode: Telegram POSTs updates to ``WEBHOOK_PATH`` on the web server, with the
secret given to ``setWebhook`` in the ``X-Telegram-Bot-Api-Secret-Token`` header. A
request without the right secret is refused (403) before its body is read, a body over
``MAX_BODY_BYTES`` too (413). A body that is not an update this bot can handle
(``updates.read_update``) is logged once, without its content, and answered 200: any
other answer makes Telegram send it again for ever. A payment update is credited before
the answer; if that fails the answer is 500 and Telegram sends it again."""

from __future__ import annotations

import hmac
import logging

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from adapters.common.body import BodyTooLarge, read_body, too_large
from adapters.common.webhooks import NO_WEBHOOK_METER, WebhookMeter
from adapters.telegram.app import TelegramAdapter
from adapters.telegram.config import WEBHOOK_PATH
from adapters.telegram.payments import PaymentNotSettled
from adapters.telegram.updates import MalformedUpdate, read_update

log = logging.getLogger("seedream.telegram")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1_000_000


def webhook_route(adapter: TelegramAdapter, meter: WebhookMeter = NO_WEBHOOK_METER) -> Route:
    """The webhook route; ``meter`` counts its requests and refusals."""
    secret = (adapter.config.webhook_secret or "").encode()
    if not secret:
        raise ValueError("webhook mode needs a secret token")

    async def receive(request: Request) -> JSONResponse:
        meter.webhook_received("telegram")
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, secret):
            meter.webhook_failed("telegram", "wrong_secret")
            log.warning("telegram webhook: request with a wrong secret refused")
            return JSONResponse({"ok": False}, status_code=403)
        try:
            body = await read_body(request, MAX_BODY_BYTES)
        except BodyTooLarge:
            meter.webhook_failed("telegram", "too_large")
            return too_large({"ok": False})
        try:
            update = read_update(body, adapter.application.bot)
        except MalformedUpdate as exc:
            meter.webhook_failed("telegram", "malformed")
            log.warning("telegram update refused: %s (webhook)", exc.reason)
            return JSONResponse({"ok": True})
        try:
            await adapter.process_webhook_update(update)
        except PaymentNotSettled:  # not credited yet (logged): Telegram sends it again
            meter.webhook_failed("telegram", "error")
            return JSONResponse({"ok": False}, status_code=500)
        except Exception:
            meter.webhook_failed("telegram", "error")
            raise
        return JSONResponse({"ok": True})

    return Route(WEBHOOK_PATH, receive, methods=["POST"])
