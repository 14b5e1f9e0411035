"""Billing pieces with no I/O: the catalogue's plans and packs, Stars payloads, prices,
the fake's form decoding, and the Stripe port's signature checks and error mapping."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import stripe

from core.billing.payments import InvalidWebhook
from core.billing.payments_stripe import StripePayments
from core.billing.stars import check_order, make_payload
from core.billing.types import format_price
from core.catalog import CatalogError, load_catalog
from core.errors import PaymentRefused, PaymentsUnavailable
from core.messaging.events import event_from_json, event_to_json
from core.types import JobEvent, ReplyTarget
from tests.support.fake_stripe import parse_form

SECRET = b"stars-secret"


def test_shipped_catalogue_sells_packs_and_a_monthly_plan():
    catalog = load_catalog()
    pro, free = catalog.plans["pro"], catalog.plans["free"]
    assert pro.subscribable and pro.monthly_credits > 0 and pro.price_cents > 0
    assert not free.subscribable
    assert all(p.stars and p.price_cents > 0 for p in catalog.packs.values())


@pytest.mark.parametrize(
    "extra, problem",
    [
        ('[plans.free]\nlabel = "Free"\nprice_cents = 100\n', "cannot have a price"),
        ('[plans.gold]\nlabel = "Gold"\nmonthly_credits = -1\n', "must be >= 0"),
        (
            '[[packs]]\nid = "p"\nlabel = "P"\ncredits = 5\nprice_cents = 100\nstars = 0\n',
            "stars must be positive",
        ),
    ],
)
def test_bad_billing_entries_name_the_problem(tmp_path: Path, extra: str, problem: str):
    base = '[[models]]\nid = "m"\nlabel = "M"\nroutes = ["local:x"]\ncost_credits = 1\n'
    base += 'aspect_ratios = ["1:1"]\n'
    path = tmp_path / "catalog.toml"
    path.write_text(base + extra)
    with pytest.raises(CatalogError, match=problem):
        load_catalog(path)


def test_stars_payload_is_short_opaque_and_checked():
    catalog = load_catalog()
    payload = make_payload(12345678901, "large", SECRET)
    assert len(payload.encode()) <= 128
    order = check_order(payload, "XTR", 1000, catalog, SECRET)
    assert (order.account_id, order.pack.id) == (12345678901, "large")
    assert make_payload(1, "large", SECRET) != make_payload(1, "large", SECRET)  # a nonce each
    for bad in (
        payload.replace("12345678901", "12345678902"),
        payload[:-1] + ("0" if payload[-1] != "0" else "1"),
        "x" * 200,
        "",
    ):
        with pytest.raises(PaymentRefused) as err:
            check_order(bad, "XTR", 1000, catalog, SECRET)
        assert err.value.reason == "bad_payload"
    with pytest.raises(PaymentRefused):
        check_order(payload, "XTR", 1000, catalog, b"another bot")
    with pytest.raises(ValueError):
        make_payload(1, "p" * 120, SECRET)


def test_prices_are_shown_in_major_units():
    assert format_price(500, "usd") == "5.00 USD"
    assert format_price(1999, "eur") == "19.99 EUR"


def test_the_fake_decodes_stripe_form_bodies():
    body = (
        "mode=payment&line_items[0][price_data][currency]=usd&line_items[0][quantity]=1"
        "&line_items[0][price_data][product_data][name]=100+credits&metadata[account_id]=7"
    )
    assert parse_form(body) == {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {"currency": "usd", "product_data": {"name": "100 credits"}},
                "quantity": "1",
            }
        ],
        "metadata": {"account_id": "7"},
    }


async def test_webhook_verification_uses_the_library_and_its_tolerance():
    port = StripePayments(secret_key="sk_test_x", webhook_secret="whsec_x", webhook_tolerance_s=300)
    try:
        event = {"id": "evt_1", "type": "invoice.paid", "created": 5, "data": {"object": {"a": 1}}}
        body = json.dumps(event)
        header = stripe.WebhookSignature.generate_signature_header(body, "whsec_x")
        parsed = port.verify_event(body.encode(), header)
        assert (parsed.id, parsed.type, parsed.created_s, parsed.data) == (
            "evt_1",
            "invoice.paid",
            5,
            {"a": 1},
        )
        old = stripe.WebhookSignature.generate_signature_header(
            body, "whsec_x", timestamp=int(time.time()) - 301
        )
        for bad_header in (None, "", "t=1,v1=00", old):
            with pytest.raises(InvalidWebhook):
                port.verify_event(body.encode(), bad_header)
        with pytest.raises(InvalidWebhook):
            port.verify_event(
                b"\xff\xfe", stripe.WebhookSignature.generate_signature_header("x", "whsec_x")
            )
    finally:
        await port.aclose()


async def test_stripe_failures_become_a_clear_payments_unavailable(stripe_fake):
    port = StripePayments(
        secret_key="sk_test_wrong",
        webhook_secret=None,
        api_base=stripe_fake.base_url,
        max_network_retries=0,
    )
    try:
        with pytest.raises(PaymentsUnavailable):
            await port.create_customer(1, "deployment-1")
        with pytest.raises(InvalidWebhook):  # no webhook secret configured
            port.verify_event(b"{}", "t=1,v1=00")
    finally:
        await port.aclose()


def test_notice_events_survive_the_redis_payload():
    event = JobEvent(
        kind="notice",
        job_id="cs_test_1",
        account_id=7,
        reply_target=ReplyTarget("telegram", {"chat_id": 5}),
        locale="en",
        notice_key="billing.purchase_landed",
        notice_params={"credits": 100, "balance_credits": 120},
    )
    assert event_from_json(event_to_json(event)) == event
