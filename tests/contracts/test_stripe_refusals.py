"""What the real Stripe refuses, the fake refuses the same way: status code and the
error shape ``{"error": {"type", "message", "param"?, "code"?}}``, seen through the
real ``StripeClient`` (which maps them to its exception classes) or raw HTTP.

Sources, per rule:
- authentication (401 ``authentication_error``): docs.stripe.com/api/errors;
- unknown customer (400 ``resource_missing``, ``param`` customer) and deleting one twice
  (404): docs.stripe.com/api/errors, ``stripe.InvalidRequestError``;
- Checkout ``mode`` and a recurring price for ``subscription`` mode:
  ``stripe.params.checkout.SessionCreateParams`` and docs.stripe.com/api/checkout/sessions;
- ``GET /v1/invoice_payments``: ``payment[type]`` is required with ``payment``, ``limit``
  is 1..100, ``status`` is open|paid|canceled (``InvoicePaymentListParams``);
- an invalid ``Stripe-Version`` is refused (docs.stripe.com/api/versioning);
- an ``Idempotency-Key`` replays the first answer, errors included
  (docs.stripe.com/api/idempotent_requests);
- webhook signatures: stripe-python's ``WebhookSignature``; a timestamp outside the
  tolerance in either direction is refused (docs.stripe.com/webhooks, "replay attacks").
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import httpx
import pytest
import stripe

from core.billing.payments import InvalidWebhook
from core.billing.payments_stripe import STRIPE_API_VERSION, StripePayments, _HTTPXClient
from tests.support.fake_stripe import API_KEY, WEBHOOK_SECRET, FakeStripe


@pytest.fixture
async def clients() -> AsyncIterator[list[_HTTPXClient]]:
    made: list[_HTTPXClient] = []
    yield made
    for http_client in made:
        await http_client.close_async()


def _client(fake: FakeStripe, made: list, key: str = API_KEY) -> stripe.StripeClient:
    made.append(_HTTPXClient())
    return stripe.StripeClient(
        key,
        base_addresses={"api": fake.base_url},
        max_network_retries=0,
        http_client=made[-1],
        stripe_version=STRIPE_API_VERSION,
    )


def _error(reply: httpx.Response, status: int, param: str | None = None) -> dict:
    assert reply.status_code == status, reply.text
    error = reply.json()["error"]
    assert error["type"] == "invalid_request_error" and error["message"]
    assert error.get("param") == param
    return error


async def test_a_wrong_key_is_an_authentication_error(stripe_fake, clients):
    with pytest.raises(stripe.AuthenticationError) as err:
        await _client(stripe_fake, clients, "sk_test_wrong").v1.customers.create_async()
    assert err.value.http_status == 401


async def test_an_unknown_customer_is_refused_naming_the_param(stripe_fake, clients):
    client = _client(stripe_fake, clients)
    with pytest.raises(stripe.InvalidRequestError) as err:
        await client.v1.billing_portal.sessions.create_async(
            params={"customer": "cus_missing", "return_url": "https://x.example/r"}
        )
    assert (err.value.http_status, err.value.code, err.value.param) == (
        400,
        "resource_missing",
        "customer",
    )
    with pytest.raises(stripe.InvalidRequestError) as err:
        await client.v1.customers.delete_async("cus_missing")
    assert (err.value.http_status, err.value.code) == (404, "resource_missing")


async def test_checkout_refuses_a_bad_mode_and_a_subscription_without_recurring_price(
    stripe_fake, http
):
    auth = {"Authorization": f"Bearer {API_KEY}"}
    customer = (await http.post(f"{stripe_fake.base_url}/v1/customers", headers=auth)).json()
    line = {
        "customer": customer["id"],
        "line_items[0][price_data][currency]": "usd",
        "line_items[0][price_data][unit_amount]": "500",
        "line_items[0][price_data][product_data][name]": "P",
        "line_items[0][quantity]": "1",
    }
    url = f"{stripe_fake.base_url}/v1/checkout/sessions"
    _error(await http.post(url, data={**line, "mode": "buy"}, headers=auth), 400, "mode")
    _error(await http.post(url, data={**line, "mode": "subscription"}, headers=auth), 400)
    assert stripe_fake.sessions == {}


async def test_invoice_payment_listing_follows_its_params(stripe_fake, http):
    url, auth = (
        f"{stripe_fake.base_url}/v1/invoice_payments",
        {"Authorization": f"Bearer {API_KEY}"},
    )
    no_type = {"payment[payment_intent]": "pi_1"}
    _error(await http.get(url, params=no_type, headers=auth), 400, "payment[type]")
    _error(await http.get(url, params={"limit": "101"}, headers=auth), 400, "limit")
    _error(await http.get(url, params={"status": "done"}, headers=auth), 400, "status")
    typed = {"payment[payment_intent]": "pi_1", "payment[type]": "payment_intent"}
    assert (await http.get(url, params=typed, headers=auth)).json()["data"] == []


async def test_an_invalid_api_version_is_refused_and_ours_is_sent(stripe_fake, http, clients):
    headers = {"Authorization": f"Bearer {API_KEY}", "Stripe-Version": "latest"}
    _error(await http.post(f"{stripe_fake.base_url}/v1/customers", headers=headers), 400)
    await _client(stripe_fake, clients).v1.customers.create_async()
    assert stripe_fake.versions[-1] == STRIPE_API_VERSION


async def test_an_idempotency_key_replays_the_first_answer_errors_included(stripe_fake, clients):
    stripe_fake.fail_next["/v1/customers"] = (
        500,
        {"error": {"type": "api_error", "message": "An unknown error occurred"}},
    )
    client = _client(stripe_fake, clients)
    for _ in range(2):
        with pytest.raises(stripe.APIError):
            await client.v1.customers.create_async(options={"idempotency_key": "k-1"})
    created = await client.v1.customers.create_async(options={"idempotency_key": "k-2"})
    again = await client.v1.customers.create_async(options={"idempotency_key": "k-2"})
    assert created.id == again.id and len(stripe_fake.customers) == 1


@pytest.mark.parametrize("offset_s", [-301, 301, 3600])
async def test_a_signature_outside_the_tolerance_is_refused_in_both_directions(offset_s):
    port = StripePayments(secret_key=API_KEY, webhook_secret=WEBHOOK_SECRET)
    await port.aclose()  # no HTTP here
    body = json.dumps({"id": "evt_1", "type": "x", "data": {"object": {}}})
    header = stripe.WebhookSignature.generate_signature_header(
        body, WEBHOOK_SECRET, timestamp=int(time.time()) + offset_s
    )
    with pytest.raises(InvalidWebhook):
        port.verify_event(body.encode(), header)
    fresh = stripe.WebhookSignature.generate_signature_header(body, WEBHOOK_SECRET)
    assert port.verify_event(body.encode(), fresh).id == "evt_1"
