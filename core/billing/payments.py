"""The payments port: what the core asks of a card-payment service (Stripe in
``core.billing.payments_stripe``), and the port a Telegram adapter implements for Stars refunds.

The core never sees card data: it creates a customer per account, asks for hosted
checkout and portal pages, and receives the service's signed webhook events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


class InvalidWebhook(Exception):
    """A webhook whose signature, timestamp or body does not check out (HTTP 400)."""


@dataclass(frozen=True, slots=True)
class LineItem:
    name: str
    amount_minor: int  # cents
    currency: str  # lower-case ISO code
    recurring_interval: str | None = None  # "month" for a subscription


@dataclass(frozen=True, slots=True)
class CheckoutRequest:
    mode: str  # "payment" | "subscription"
    customer_id: str
    item: LineItem
    client_reference_id: str  # our account id
    metadata: dict[str, str]  # on the session, and on the payment or subscription
    success_url: str
    cancel_url: str
    locale: str | None = None


@dataclass(frozen=True, slots=True)
class HostedPage:
    id: str
    url: str


@dataclass(frozen=True, slots=True)
class PaymentEvent:
    """A verified webhook event: ``data`` is the event's ``data.object``;
    ``payment_intent``, for a paid invoice, is the payment that paid it (looked up with
    ``Payments.invoice_payment_intent``: invoices no longer name it)."""

    id: str
    type: str
    created_s: int
    data: dict[str, Any] = field(default_factory=dict)
    payment_intent: str | None = None


class Payments(Protocol):
    """A card-payment service with hosted pages and signed webhooks."""

    async def create_customer(self, account_id: int, deployment_id: str) -> str:
        """A new customer for ``account_id`` of this deployment; its id.

        Raises:
            PaymentsUnavailable: the service failed, or answered with a customer that
                is not this account's of this deployment.
        """

    async def invoice_payment_intent(self, invoice_id: str) -> str | None:
        """The payment intent that paid ``invoice_id``; None when there is none."""

    async def create_checkout(self, request: CheckoutRequest) -> HostedPage:
        """A personal hosted checkout page."""

    async def create_portal(self, customer_id: str, return_url: str) -> str:
        """A link to the customer portal (manage or cancel subscriptions)."""

    async def delete_customer(self, customer_id: str) -> None:
        """Delete the customer and its stored payment details (erasure)."""

    def verify_event(self, payload: bytes, signature_header: str | None) -> PaymentEvent:
        """Check the webhook signature and age, then parse the event.

        Raises:
            InvalidWebhook: missing or wrong signature, stale timestamp, bad JSON.
        """

    async def aclose(self) -> None:
        """Close the HTTP client."""


class StarsRefundRefused(Exception):
    """Telegram answered a refund with an error (``code``, e.g. CHARGE_ALREADY_REFUNDED):
    a final answer, unlike a network error or a timeout."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class StarsRefunds(Protocol):
    """Implemented by the Telegram adapter (``refundStarPayment``)."""

    async def refund_star_payment(self, platform_user_id: str, charge_id: str) -> None:
        """Give the Stars of ``charge_id`` back to the user.

        Raises: StarsRefundRefused (Telegram said no); anything else is taken as
        transient (the refund is asked again later)."""
