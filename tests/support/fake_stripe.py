"""A loopback fake of the Stripe API endpoints Seedream uses, stateful, plus the events
Stripe would send about what happened on it (signed with stripe-python's own helper).

Endpoints (form-encoded bodies with bracketed keys, ``Authorization: Bearer sk_...``):
``POST /v1/customers``, ``DELETE /v1/customers/{id}``, ``POST /v1/checkout/sessions``,
``POST /v1/billing_portal/sessions``, ``GET /v1/invoice_payments``. A repeated
``Idempotency-Key`` gets the first answer back, errors included, as on Stripe. Errors
look like Stripe's: ``{"error": {"type", "message", "param"?, "code"?}}``.

Sources (an authority we did not write): the installed stripe-python library at the API
version it was generated for (``stripe._api_version``): its resource classes give the
fields of every object served here (``stripe.Invoice`` has no ``payment_intent`` since
2025-03-31.basil; ``stripe.InvoicePayment``, ``stripe.Dispute``, ``stripe.Charge``), its
``params`` TypedDicts give the required request parameters (``InvoicePaymentListParams``:
``payment[type]`` is required with ``payment``), ``WebhookSignature`` signs events;
docs.stripe.com/api/errors (error shape), /api/idempotent_requests (a key replays the
first answer, errors included, for 24 hours), /api/versioning (``Stripe-Version``).
tests/contracts/test_stripe_*.py prove each rule.
"""

from __future__ import annotations

import itertools
import json
import re
import time
import uuid
from typing import Any
from urllib.parse import parse_qsl

import stripe
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from core.billing.payments_stripe import STRIPE_API_VERSION

API_KEY = "sk_test_fake_0123456789"
WEBHOOK_SECRET = "whsec_test_fake_0123456789"
_KEY = re.compile(r"\[([^\]]*)\]")


def parse_form(body: str) -> dict[str, Any]:
    """``a[b][0][c]=x`` → ``{"a": {"b": [{"c": "x"}]}}`` (Stripe's encoding)."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        head = key.split("[", 1)[0]
        path = [head, *_KEY.findall(key)]
        node: Any = root
        for part, following in itertools.pairwise(path):
            container = [] if following.isdigit() else {}
            if isinstance(node, list):
                index = int(part)
                while len(node) <= index:
                    node.append(None)
                node[index] = node[index] if node[index] is not None else container
                node = node[index]
            else:
                node = node.setdefault(part, container)
        last = path[-1]
        if isinstance(node, list):
            index = int(last)
            while len(node) <= index:
                node.append(None)
            node[index] = value
        else:
            node[last] = value
    return root


def _error(
    status: int,
    message: str,
    kind: str = "invalid_request_error",
    code: str | None = None,
    param: str | None = None,
) -> JSONResponse:
    error = {"type": kind, "message": message}
    if code:
        error["code"] = code
    if param:
        error["param"] = param
    return JSONResponse({"error": error}, status_code=status)


API_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$")


class FakeStripe:
    def __init__(self, *, api_key: str = API_KEY, webhook_secret: str = WEBHOOK_SECRET) -> None:
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.customers: dict[str, dict] = {}
        self.sessions: dict[str, dict] = {}
        self.portals: dict[str, dict] = {}
        self.invoice_payments: dict[str, dict] = {}
        self.requests: list[tuple[str, str, dict]] = []  # (method, path, form)
        self.versions: list[str | None] = []  # the Stripe-Version header of each request
        self.fail_next: dict[str, tuple[int, dict]] = {}  # path -> (status, error)
        self._idempotent: dict[str, tuple[int, dict]] = {}
        self.idempotency_keys: list[tuple[str, str | None]] = []  # (path, key) per POST
        self.base_url = ""  # set by the test once served
        self.app = Starlette(
            routes=[
                Route("/v1/customers", self._create_customer, methods=["POST"]),
                Route("/v1/customers/{id}", self._delete_customer, methods=["DELETE"]),
                Route("/v1/checkout/sessions", self._create_session, methods=["POST"]),
                Route("/v1/billing_portal/sessions", self._create_portal, methods=["POST"]),
                Route("/v1/invoice_payments", self._list_invoice_payments, methods=["GET"]),
            ]
        )

    # -- the API -----------------------------------------------------------------------

    async def _guard(self, request: Request) -> tuple[dict, Response | None]:
        raw = request.url.query if request.method == "GET" else (await request.body()).decode()
        form = parse_form(raw)
        self.requests.append((request.method, request.url.path, form))
        version = request.headers.get("stripe-version")
        self.versions.append(version)
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return form, _error(401, "Invalid API Key provided.", "authentication_error")
        if version is not None and not API_VERSION.match(version):
            return form, _error(400, f"Invalid Stripe API version: {version}")
        return form, None

    def replay(self, key: str, body: dict, status: int = 200) -> None:
        """An answer already given to ``key`` (by an earlier request with that key)."""
        self._idempotent[key] = (status, body)

    def _once(self, request: Request, make) -> JSONResponse:
        key = request.headers.get("idempotency-key")
        self.idempotency_keys.append((request.url.path, key))
        if key and key in self._idempotent:
            status, body = self._idempotent[key]
            return JSONResponse(body, status_code=status)
        failure = self.fail_next.pop(request.url.path, None)
        status, body = failure if failure else make()
        if key:
            self._idempotent[key] = (status, body)
        return JSONResponse(body, status_code=status)

    async def _create_customer(self, request: Request) -> Response:
        form, refused = await self._guard(request)
        if refused:
            return refused

        def make():
            customer = {
                "id": f"cus_{uuid.uuid4().hex[:14]}",
                "object": "customer",
                "metadata": form.get("metadata", {}),
                "created": int(time.time()),
            }
            self.customers[customer["id"]] = customer
            return 200, customer

        return self._once(request, make)

    async def _delete_customer(self, request: Request) -> Response:
        _, refused = await self._guard(request)
        if refused:
            return refused
        customer_id = request.path_params["id"]
        if self.customers.pop(customer_id, None) is None:
            return _error(404, f"No such customer: '{customer_id}'", code="resource_missing")
        return JSONResponse({"id": customer_id, "object": "customer", "deleted": True})

    async def _create_session(self, request: Request) -> Response:
        form, refused = await self._guard(request)
        if refused:
            return refused
        mode = form.get("mode")
        items = form.get("line_items") or []
        if mode not in ("payment", "subscription") or len(items) != 1:
            return _error(400, "mode and exactly one line item are required", param="mode")
        if form.get("customer") not in self.customers:
            return _no_customer(form.get("customer"))
        price = items[0].get("price_data") or {}
        if mode == "subscription" and "recurring" not in price:
            return _error(400, "subscription mode needs a recurring price")

        def make():
            session_id = f"cs_test_{uuid.uuid4().hex}"
            session = {
                "id": session_id,
                "object": "checkout.session",
                "mode": mode,
                "status": "open",
                "payment_status": "unpaid",
                "customer": form["customer"],
                "client_reference_id": form.get("client_reference_id"),
                "metadata": form.get("metadata", {}),
                "amount_total": int(price.get("unit_amount", 0)) * int(items[0]["quantity"]),
                "currency": price.get("currency"),
                "success_url": form.get("success_url"),
                "cancel_url": form.get("cancel_url"),
                "url": f"{self.base_url}/pay/{session_id}",
                "payment_intent": None,
                "subscription": None,
                "_line": price,
                "_intent_metadata": (form.get("payment_intent_data") or {}).get("metadata", {}),
                "_sub_metadata": (form.get("subscription_data") or {}).get("metadata", {}),
            }
            self.sessions[session_id] = session
            return 200, _public(session)

        return self._once(request, make)

    async def _create_portal(self, request: Request) -> Response:
        form, refused = await self._guard(request)
        if refused:
            return refused
        if form.get("customer") not in self.customers:
            return _no_customer(form.get("customer"))
        portal_id = f"bps_{uuid.uuid4().hex[:14]}"
        portal = {
            "id": portal_id,
            "object": "billing_portal.session",
            "customer": form["customer"],
            "return_url": form.get("return_url"),
            "url": f"{self.base_url}/portal/{portal_id}",
        }
        self.portals[portal_id] = portal
        return JSONResponse(portal)

    # -- what happens on Stripe's side, as events ------------------------------------------

    def pay(self, session_id: str, *, delayed: bool = False) -> dict:
        """The customer pays: the session completes (unpaid first for a delayed method)."""
        session = self.sessions[session_id]
        session["status"] = "complete"
        session["payment_status"] = "unpaid" if delayed else "paid"
        if session["mode"] == "payment":
            session["payment_intent"] = f"pi_{uuid.uuid4().hex[:20]}"
        else:
            session["subscription"] = f"sub_{uuid.uuid4().hex[:14]}"
        return self.event("checkout.session.completed", _public(session))

    def async_result(self, session_id: str, *, succeeded: bool) -> dict:
        session = self.sessions[session_id]
        session["payment_status"] = "paid" if succeeded else "unpaid"
        kind = "succeeded" if succeeded else "failed"
        return self.event(f"checkout.session.async_payment_{kind}", _public(session))

    def invoice_paid(self, session_id: str, *, billing_reason: str) -> dict:
        """A subscription invoice is paid by a new PaymentIntent. Shaped as the pinned
        API version shapes it: no ``payment_intent``, no ``charge``, and ``payments``
        left out (an includable property, never in webhook payloads). The payment is an
        InvoicePayment (``invoice_payment_paid`` gives its event; the list API finds it)."""
        session = self.sessions[session_id]
        invoice_id = f"in_{uuid.uuid4().hex[:20]}"
        invoice = {
            "id": invoice_id,
            "object": "invoice",
            "customer": session["customer"],
            "billing_reason": billing_reason,
            "status": "paid",
            "amount_due": session["amount_total"],
            "amount_paid": session["amount_total"],
            "currency": session["currency"],
            "livemode": False,
            "parent": {
                "type": "subscription_details",
                "subscription_details": {
                    "subscription": session["subscription"],
                    "metadata": session["_sub_metadata"],
                },
            },
        }
        payment_id = f"inpay_{uuid.uuid4().hex[:20]}"
        now = int(time.time())
        self.invoice_payments[payment_id] = {
            "id": payment_id,
            "object": "invoice_payment",
            "amount_paid": session["amount_total"],
            "amount_requested": session["amount_total"],
            "created": now,
            "currency": session["currency"],
            "invoice": invoice_id,
            "is_default": True,
            "livemode": False,
            "payment": {"type": "payment_intent", "payment_intent": _pi()},
            "status": "paid",
            "status_transitions": {"canceled_at": None, "paid_at": now},
        }
        return self.event("invoice.paid", invoice)

    def invoice_payment_paid(self, invoice_id: str) -> dict:
        return self.event("invoice_payment.paid", self.invoice_payment_of(invoice_id))

    def invoice_payment_of(self, invoice_id: str) -> dict:
        (found,) = (p for p in self.invoice_payments.values() if p["invoice"] == invoice_id)
        return found

    async def _list_invoice_payments(self, request: Request) -> Response:
        form, refused = await self._guard(request)
        if refused:
            return refused
        payment = form.get("payment")
        if payment is not None and payment.get("type") not in ("payment_intent", "payment_record"):
            # InvoicePaymentListParamsPayment: ``type`` is required.
            return _error(400, "Missing required param: payment[type].", param="payment[type]")
        if form.get("status") not in (None, "canceled", "open", "paid"):
            return _error(400, "Invalid status", param="status")
        found = [
            p
            for p in self.invoice_payments.values()
            if form.get("invoice") in (None, p["invoice"])
            and form.get("status") in (None, p["status"])
            and (payment is None or payment.get("payment_intent") in (None, _pi_of(p)))
        ]
        limit = int(form.get("limit") or 10)
        if not 1 <= limit <= 100:
            return _error(400, "Limit must be between 1 and 100.", param="limit")
        return JSONResponse(
            {
                "object": "list",
                "data": found[:limit],
                "has_more": len(found) > limit,
                "url": "/v1/invoice_payments",
            }
        )

    def subscription(self, session_id: str, *, status: str, deleted: bool = False) -> dict:
        session = self.sessions[session_id]
        sub = {
            "id": session["subscription"],
            "object": "subscription",
            "customer": session["customer"],
            "status": "canceled" if deleted else status,
            "metadata": session["_sub_metadata"],
        }
        kind = "deleted" if deleted else "updated"
        return self.event(f"customer.subscription.{kind}", sub)

    def _paid_by(self, paid: str) -> tuple[str, int, str | None]:
        """(payment intent, amount, customer) of a Checkout Session or an invoice id."""
        if paid in self.sessions:
            session = self.sessions[paid]
            return session["payment_intent"], session["amount_total"], session["customer"]
        payment = self.invoice_payment_of(paid)
        return _pi_of(payment), payment["amount_paid"], None

    def refund(self, paid: str, *, amount_refunded: int | None = None) -> dict:
        """``charge.refunded`` for the payment of a Checkout Session or an invoice;
        ``amount_refunded`` is cumulative, as on the Charge."""
        intent, amount, customer = self._paid_by(paid)
        charge = {
            "id": f"ch_{intent[3:]}",
            "object": "charge",
            "amount": amount,
            "amount_refunded": amount if amount_refunded is None else amount_refunded,
            "refunded": amount_refunded is None or amount_refunded == amount,
            "payment_intent": intent,
            "customer": customer,
            "metadata": self.sessions[paid]["_intent_metadata"] if paid in self.sessions else {},
        }
        return self.event("charge.refunded", charge)

    def dispute(self, paid: str, *, amount: int | None = None) -> dict:
        """``charge.dispute.created`` for ``amount`` (all of the payment by default)."""
        intent, paid_amount, _ = self._paid_by(paid)
        dispute = {
            "id": f"du_{uuid.uuid4().hex[:20]}",
            "object": "dispute",
            "amount": paid_amount if amount is None else amount,
            "currency": "usd",
            "charge": f"ch_{intent[3:]}",
            "payment_intent": intent,
            "reason": "fraudulent",
            "status": "needs_response",
            "livemode": False,
        }
        return self.event("charge.dispute.created", dispute)

    def dispute_closed(self, created: dict, *, status: str) -> dict:
        """``charge.dispute.closed`` for the dispute of a ``dispute()`` event: won, lost
        or warning_closed."""
        dispute = dict(created["data"]["object"], status=status)
        return self.event("charge.dispute.closed", dispute)

    @staticmethod
    def event(event_type: str, obj: dict, *, created: int | None = None) -> dict:
        return {
            "id": f"evt_{uuid.uuid4().hex[:24]}",
            "object": "event",
            "api_version": STRIPE_API_VERSION,  # the webhook endpoint uses the pinned one
            "created": created if created is not None else int(time.time()),
            "livemode": False,
            "pending_webhooks": 1,
            "type": event_type,
            "data": {"object": obj},
        }

    def sign(self, payload: str, *, timestamp: int | None = None, secret: str | None = None):
        """The ``Stripe-Signature`` header, made by stripe-python's own helper."""
        return stripe.WebhookSignature.generate_signature_header(
            payload, secret or self.webhook_secret, timestamp=timestamp
        )

    def signed(self, event: dict, **kwargs) -> tuple[bytes, dict[str, str]]:
        payload = json.dumps(event)
        headers = {"Stripe-Signature": self.sign(payload, **kwargs)}
        headers["Content-Type"] = "application/json"
        return payload.encode(), headers


def _pi() -> str:
    return f"pi_{uuid.uuid4().hex[:20]}"


def _pi_of(invoice_payment: dict) -> str | None:
    return invoice_payment["payment"].get("payment_intent")


def _no_customer(customer_id) -> JSONResponse:
    return _error(
        400, f"No such customer: '{customer_id}'", code="resource_missing", param="customer"
    )


def _public(session: dict) -> dict:
    return {k: v for k, v in session.items() if not k.startswith("_")}
