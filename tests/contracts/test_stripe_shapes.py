"""The fake Stripe serves objects shaped as the pinned API version shapes them.

Authority: the installed stripe-python library. Its resource classes are generated from
Stripe's OpenAPI spec for the API version in ``stripe._api_version``; every field the
fake puts on an object must be a field of that class, and the fields removed by
2025-03-31.basil (``Invoice.payment_intent``, ``Invoice.charge``) must not be there.
"""

from __future__ import annotations

import stripe
from stripe._api_version import _ApiVersion

from core.billing.payments_stripe import STRIPE_API_VERSION
from tests.support.fake_stripe import FakeStripe

BASIL = "2025-03-31"


def _fields(resource: type) -> set[str]:
    names: set[str] = set()
    for klass in resource.__mro__:
        names |= set(getattr(klass, "__annotations__", {}))
    return names


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".")[:2])


def test_the_pinned_version_is_the_librarys_and_after_basil():
    assert STRIPE_API_VERSION[:10] >= BASIL
    if _version_tuple(stripe.VERSION) >= (16, 1):
        # Upgrading stripe-python changes the version its classes describe: choose the
        # pin again (and the README's webhook endpoint version) on purpose.
        assert _ApiVersion.CURRENT == STRIPE_API_VERSION
    assert "payment_intent" not in _fields(stripe.Invoice)
    assert "charge" not in _fields(stripe.Invoice)


async def test_every_object_the_fake_serves_has_only_the_librarys_fields(stripe_fake, http):
    fake: FakeStripe = stripe_fake
    customer = (
        await http.post(
            f"{fake.base_url}/v1/customers",
            data={"metadata[account_id]": "1"},
            headers={"Authorization": f"Bearer {fake.api_key}"},
        )
    ).json()
    form = {
        "mode": "subscription",
        "customer": customer["id"],
        "line_items[0][price_data][currency]": "usd",
        "line_items[0][price_data][unit_amount]": "900",
        "line_items[0][price_data][recurring][interval]": "month",
        "line_items[0][price_data][product_data][name]": "Pro",
        "line_items[0][quantity]": "1",
    }
    auth = {"Authorization": f"Bearer {fake.api_key}"}
    session = await http.post(f"{fake.base_url}/v1/checkout/sessions", data=form, headers=auth)
    session_id = session.json()["id"]
    portal = await http.post(
        f"{fake.base_url}/v1/billing_portal/sessions",
        data={"customer": customer["id"], "return_url": "https://x.example/r"},
        headers=auth,
    )
    completed = fake.pay(session_id)
    paid = fake.invoice_paid(session_id, billing_reason="subscription_create")
    invoice_id = paid["data"]["object"]["id"]
    listed = await http.get(
        f"{fake.base_url}/v1/invoice_payments", params={"invoice": invoice_id}, headers=auth
    )
    dispute = fake.dispute(invoice_id, amount=100)
    served = [
        (stripe.Customer, customer),
        (stripe.checkout.Session, session.json()),
        (stripe.checkout.Session, completed["data"]["object"]),
        (stripe.billing_portal.Session, portal.json()),
        (stripe.Invoice, paid["data"]["object"]),
        (stripe.InvoicePayment, listed.json()["data"][0]),
        (stripe.InvoicePayment, fake.invoice_payment_paid(invoice_id)["data"]["object"]),
        (stripe.Charge, fake.refund(invoice_id)["data"]["object"]),
        (stripe.Dispute, dispute["data"]["object"]),
        (stripe.Dispute, fake.dispute_closed(dispute, status="won")["data"]["object"]),
        (stripe.Event, {k: v for k, v in paid.items() if k != "data"}),
        (stripe.Subscription, fake.subscription(session_id, status="active")["data"]["object"]),
    ]
    for resource, obj in served:
        extra = set(obj) - _fields(resource)
        assert not extra, f"{resource.__name__} has no {sorted(extra)} at {STRIPE_API_VERSION}"
    assert "payment_intent" not in paid["data"]["object"]
    assert "payments" not in paid["data"]["object"]  # includable only, never in webhooks
    assert paid["api_version"] == STRIPE_API_VERSION
