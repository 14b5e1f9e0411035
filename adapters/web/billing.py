"""Billing on the web process: the Stripe webhook and the checkout landing pages.

``POST /stripe/webhook`` answers 200 once an event is applied (or was already, or is of
a type we ignore), 413 for a body over ``MAX_WEBHOOK_BYTES`` (refused before it is read),
400 for a bad signature, a timestamp outside the tolerance or a bad body (nothing changes),
404 when payments are not configured (and 500 on a failure, so Stripe delivers again).
The pages only say to go back to the chat: credits arrive through the webhook, never
because a browser reached a page.
"""

from __future__ import annotations

import html
import logging

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from adapters.common.body import BodyTooLarge, read_body, too_large
from adapters.common.webhooks import NO_WEBHOOK_METER, WebhookMeter
from adapters.web.languages import page_language, web_messages
from core import Billing, InvalidWebhook, Messages, PaymentsDisabled

__all__ = ["billing_routes"]

log = logging.getLogger("seedream.web.billing")

MAX_WEBHOOK_BYTES = 1024 * 1024

_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<style>
  body {{ font-family: system-ui, sans-serif; background: #f4f1ea; color: #1d2a33;
         display: flex; min-height: 100vh; margin: 0; align-items: center;
         justify-content: center; }}
  main {{ background: #fff; border-radius: 12px; padding: 2.5rem 3rem; max-width: 32rem;
          box-shadow: 0 4px 24px rgba(0, 0, 0, 0.08); border-top: 8px solid {accent}; }}
  h1 {{ margin-top: 0; font-size: 1.6rem; }}
  p {{ font-size: 1.1rem; line-height: 1.5; }}
</style>
</head>
<body><main><h1>{title}</h1><p id="message">{message}</p></main></body>
</html>
"""

_PAGES = {
    "success": ("billing.page_success", "#2f9e44"),
    "cancel": ("billing.page_cancel", "#e8590c"),
    "return": ("billing.page_return", "#1c7ed6"),
}


def billing_routes(
    billing: Billing, messages: Messages, meter: WebhookMeter = NO_WEBHOOK_METER
) -> list[Route]:
    """The webhook and the pages; ``meter`` counts webhook requests and refusals."""
    messages = web_messages(messages)  # the core's texts, then the pages' own

    async def webhook(request: Request) -> Response:
        meter.webhook_received("stripe")
        try:
            payload = await read_body(request, MAX_WEBHOOK_BYTES)
        except BodyTooLarge:
            meter.webhook_failed("stripe", "too_large")
            return too_large()
        try:
            outcome = await billing.handle_webhook(payload, request.headers.get("stripe-signature"))
        except PaymentsDisabled:
            meter.webhook_failed("stripe", "not_configured")
            return JSONResponse({"error": "payments are not configured"}, status_code=404)
        except InvalidWebhook as exc:
            meter.webhook_failed("stripe", "bad_signature")
            log.warning("webhook refused: %s", exc)
            return JSONResponse({"error": "invalid signature or payload"}, status_code=400)
        except Exception:
            # Counted, then propagated: a 500, and Stripe delivers the event again.
            meter.webhook_failed("stripe", "error")
            raise
        return JSONResponse({"received": True, "outcome": outcome})

    def page(kind: str):
        key, accent = _PAGES[kind]

        async def render(request: Request) -> HTMLResponse:
            lang = page_language(request, messages)
            body = _PAGE.format(
                lang=lang,
                title=html.escape(messages.render("billing.page_title", lang)),
                message=html.escape(messages.render(key, lang)),
                accent=accent,
            )
            return HTMLResponse(body, headers={"Cache-Control": "no-store"})

        return render

    return [
        Route("/stripe/webhook", webhook, methods=["POST"]),
        Route("/billing/success", page("success")),
        Route("/billing/cancel", page("cancel")),
        Route("/billing/return", page("return")),
    ]
