"""The payments port on Stripe, through stripe-python's ``StripeClient``.

The API version is pinned (``STRIPE_API_VERSION``, sent as ``Stripe-Version`` on every
call); the webhook endpoint must use the same version, so events are shaped as this code
reads them. The API base is configurable (tests point it at a loopback fake); requests
go through the library's httpx client, asynchronously. Webhooks are checked with the
library's own ``WebhookSignature.verify_header``, and their timestamp must be within the
tolerance in both directions (the library refuses only old ones).
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import stripe

from core.billing.payments import CheckoutRequest, HostedPage, InvalidWebhook, PaymentEvent
from core.errors import PaymentsUnavailable

if TYPE_CHECKING:
    from stripe.params.checkout import SessionCreateParams, SessionCreateParamsLineItemPriceData

log = logging.getLogger("seedream.payments")

DEFAULT_API_BASE = "https://api.stripe.com"
# The version stripe-python 16.1 is generated for (``stripe._api_version``): its resource
# classes describe the objects of this version. Since 2025-03-31.basil an invoice has no
# ``payment_intent``: its payments are InvoicePayment objects.
STRIPE_API_VERSION = "2026-10-28.endive"


class _HTTPXClient(stripe.HTTPXClient):
    """stripe's httpx client hands the encoded form body over as ``data=``, which httpx
    0.28 deprecates for raw text; ``content=`` sends the same bytes."""

    def _get_request_args_kwargs(self, method, url, headers, post_data):
        args, kwargs = super()._get_request_args_kwargs(method, url, headers, post_data)
        kwargs["content"] = kwargs.pop("data", None) or None
        return args, kwargs


@contextmanager
def _mapped_errors(action: str) -> Iterator[None]:
    try:
        yield
    except stripe.StripeError as exc:
        # The user message and request id help the operator; the API key is never in it.
        log.error(
            "stripe %s failed: %s (status=%s request=%s)",
            action,
            type(exc).__name__,
            exc.http_status,
            exc.request_id,
        )
        raise PaymentsUnavailable() from exc


class StripePayments:
    def __init__(
        self,
        *,
        secret_key: str,
        webhook_secret: str | None,
        api_base: str = DEFAULT_API_BASE,
        webhook_tolerance_s: int = stripe.Webhook.DEFAULT_TOLERANCE,
        max_network_retries: int = 2,
        timeout_s: float = 30.0,
    ) -> None:
        self._http = _HTTPXClient(timeout=timeout_s)
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base.rstrip("/")},
            max_network_retries=max_network_retries,
            http_client=self._http,
            stripe_version=STRIPE_API_VERSION,
        )
        self._webhook_secret = webhook_secret
        self._tolerance_s = webhook_tolerance_s

    async def create_customer(self, account_id: int, deployment_id: str) -> str:
        metadata = {"account_id": str(account_id), "deployment_id": deployment_id}
        with _mapped_errors("customer create"):
            customer = await self._client.v1.customers.create_async(
                params={"metadata": metadata},
                # One key per attempt: the library's retries of this call reuse it, but
                # a failed attempt is not replayed to the next one, and an account id
                # reused elsewhere (another deployment, a reset database) never gets
                # the customer made for it there.
                options={"idempotency_key": f"seedream-customer-{uuid.uuid4().hex}"},
            )
        found = customer.to_dict().get("metadata") or {}
        if {k: found.get(k) for k in metadata} != metadata:
            log.error("stripe customer create answered with a customer not ours: %s", customer.id)
            raise PaymentsUnavailable()
        return customer.id

    async def invoice_payment_intent(self, invoice_id: str) -> str | None:
        with _mapped_errors("invoice payments list"):
            found = await self._client.v1.invoice_payments.list_async(
                params={"invoice": invoice_id, "status": "paid", "limit": 10}
            )
        for entry in found.data:
            payment = entry.to_dict().get("payment") or {}
            if payment.get("type") == "payment_intent" and payment.get("payment_intent"):
                intent = payment["payment_intent"]
                return intent if isinstance(intent, str) else intent["id"]
        return None

    async def create_checkout(self, request: CheckoutRequest) -> HostedPage:
        item = request.item
        price_data: SessionCreateParamsLineItemPriceData = {
            "currency": item.currency,
            "unit_amount": item.amount_minor,
            "product_data": {"name": item.name},
        }
        if item.recurring_interval:
            price_data["recurring"] = {"interval": item.recurring_interval}
        params: SessionCreateParams = {
            "mode": request.mode,
            "customer": request.customer_id,
            "client_reference_id": request.client_reference_id,
            "line_items": [{"price_data": price_data, "quantity": 1}],
            "metadata": request.metadata,
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
        }
        # Session metadata is not copied to the payment or subscription; set both.
        if request.mode == "subscription":
            params["subscription_data"] = {"metadata": request.metadata}
        else:
            params["payment_intent_data"] = {"metadata": request.metadata}
        if request.locale:
            params["locale"] = "auto"
        with _mapped_errors("checkout create"):
            session = await self._client.v1.checkout.sessions.create_async(params=params)
        assert session.url is not None  # only embedded or custom ui_mode sessions lack one
        return HostedPage(id=session.id, url=session.url)

    async def create_portal(self, customer_id: str, return_url: str) -> str:
        with _mapped_errors("portal create"):
            portal = await self._client.v1.billing_portal.sessions.create_async(
                params={"customer": customer_id, "return_url": return_url}
            )
        return portal.url

    async def delete_customer(self, customer_id: str) -> None:
        with _mapped_errors("customer delete"):
            try:
                await self._client.v1.customers.delete_async(customer_id)
            except stripe.InvalidRequestError as exc:
                if exc.code != "resource_missing":
                    raise
                # Already deleted (an erasure run twice): the goal is reached.

    def verify_event(self, payload: bytes, signature_header: str | None) -> PaymentEvent:
        if not self._webhook_secret:
            raise InvalidWebhook("no webhook secret configured")
        try:
            stripe.WebhookSignature.verify_header(
                payload, signature_header, self._webhook_secret, self._tolerance_s
            )
            self._check_not_future(signature_header)
            body = json.loads(payload)
        except stripe.SignatureVerificationError as exc:
            raise InvalidWebhook("signature") from exc
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidWebhook("body") from exc
        if not isinstance(body, dict) or not isinstance(body.get("id"), str):
            raise InvalidWebhook("body")
        data, created = body.get("data") or {}, body.get("created") or 0
        # A signed body is still checked for shape: "data": [1], "created": "soon" or
        # Infinity (which Python's json reads) are refused (400), not a 500 for ever.
        if not isinstance(data, dict) or type(created) is not int:
            raise InvalidWebhook("body")
        obj = data.get("object")
        return PaymentEvent(
            id=body["id"],
            type=str(body.get("type", "")),
            created_s=created,
            data=obj if isinstance(obj, dict) else {},
        )

    def _check_not_future(self, signature_header: str | None) -> None:
        """stripe-python refuses timestamps older than the tolerance, not ones ahead of
        our clock by more than it (a signature made for later replay)."""
        stamps = [part[2:] for part in (signature_header or "").split(",") if part.startswith("t=")]
        try:
            signed_at = int(stamps[0])
        except (IndexError, ValueError) as exc:
            raise InvalidWebhook("signature") from exc
        if self._tolerance_s and signed_at > time.time() + self._tolerance_s:
            raise InvalidWebhook("signature from the future")

    async def aclose(self) -> None:
        await self._http.close_async()
