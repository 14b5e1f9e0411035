"""Telegram Stars, core side: invoice payloads, the pre-checkout check, crediting once
per Telegram charge id, and the admin refund through the adapter's port."""

from __future__ import annotations

import pytest

from core.errors import CreditDebt, PaymentRefused, UnknownPack
from core.ledger import Reason
from core.text.catalogue import Messages
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user


class RecordingStarsRefunds:
    """The port the Telegram adapter implements; records calls, can be made to fail."""

    def __init__(self, *, fail: bool = False) -> None:
        self.calls: list[tuple[str, str]] = []
        self.fail = fail

    async def refund_star_payment(self, platform_user_id: str, charge_id: str) -> None:
        self.calls.append((platform_user_id, charge_id))
        if self.fail:
            raise RuntimeError("telegram said no")


async def _telegram_user(app) -> Actor:
    actor = Actor("telegram", unique_user("tg"), "Star buyer", "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    return actor


async def test_invoice_pre_checkout_and_payment_credit_once(app):
    billing, welcome = app.core.billing, app.catalog.welcome_grant_credits
    actor = await _telegram_user(app)
    invoice = await billing.stars_invoice(actor, "small")
    assert (invoice.currency, invoice.stars, invoice.credits) == ("XTR", 250, 100)
    assert len(invoice.payload.encode()) <= 128
    assert actor.platform_user_id not in invoice.payload  # opaque: our ids only
    with pytest.raises(UnknownPack):
        await billing.stars_invoice(actor, "nope")

    await billing.stars_pre_checkout(actor, invoice.payload, "XTR", 250)
    other = await _telegram_user(app)
    tampered = invoice.payload.replace(":small:", ":large:")
    refusals = [
        (actor, tampered, "XTR", 250, "bad_payload"),
        (actor, "garbage", "XTR", 250, "bad_payload"),
        (actor, invoice.payload, "XTR", 1, "wrong_amount"),
        (actor, invoice.payload, "USD", 250, "wrong_amount"),
        (other, invoice.payload, "XTR", 250, "wrong_account"),
    ]
    for who, payload, currency, amount, reason in refusals:
        with pytest.raises(PaymentRefused) as err:
            await billing.stars_pre_checkout(who, payload, currency, amount)
        assert err.value.reason == reason
        assert "{" not in Messages().render_error(err.value)

    first = await billing.stars_paid(actor, invoice.payload, "XTR", 250, "tg-charge-1")
    again = await billing.stars_paid(actor, invoice.payload, "XTR", 250, "tg-charge-1")
    assert (first.applied, first.credits, first.balance_credits) == (True, 100, welcome + 100)
    assert (again.applied, again.balance_credits) == (False, welcome + 100)
    with pytest.raises(PaymentRefused):  # a payload the bot did not make credits nothing
        await billing.stars_paid(actor, tampered, "XTR", 1000, "tg-charge-2")
    view = await billing.overview(actor)
    assert view.balance_credits == welcome + 100
    assert (view.recent[0].reason, view.recent[0].reference) == (
        Reason.STARS_PURCHASE,
        "tg-charge-1",
    )


async def test_admin_refund_takes_credits_back_and_calls_the_port(app):
    billing = app.core.billing
    actor = await _telegram_user(app)
    invoice = await billing.stars_invoice(actor, "small")
    await billing.stars_paid(actor, invoice.payload, "XTR", 250, "tg-charge-9")
    spent = app.catalog.welcome_grant_credits + 100 - 2
    await app.core.admin_grant(
        actor, -spent, reason="spent in test", operator="test:ops"
    )  # 2 credits left

    with pytest.raises(PaymentRefused) as err:  # no Telegram adapter in this process
        await billing.admin_refund_stars("tg-charge-9")
    assert err.value.reason == "stars_unavailable"
    assert (await app.core.account(actor)).balance_credits == 2  # nothing recorded
    billing.stars_refunds = RecordingStarsRefunds(fail=True)  # Telegram unreachable
    pending = await billing.admin_refund_stars("tg-charge-9")
    assert (pending.status, pending.error_code, pending.attempts) == ("pending", "RUNTIMEERROR", 1)
    overview = await billing.overview(actor)  # the credits are taken back before asking
    assert (overview.balance_credits, overview.debt_credits) == (0, 98)

    port = RecordingStarsRefunds()
    billing.stars_refunds = port
    result = await billing.admin_refund_stars("tg-charge-9")  # resumes the pending one
    assert (result.status, result.taken_credits, result.debt_credits) == ("done", 2, 98)
    assert port.calls == [(actor.platform_user_id, "tg-charge-9")]
    overview = await billing.overview(actor)
    assert (overview.balance_credits, overview.debt_credits) == (0, 98)
    assert overview.recent[0].reason == Reason.STARS_REFUND
    with pytest.raises(PaymentRefused) as err:
        await billing.admin_refund_stars("tg-charge-9")
    assert err.value.reason == "already_refunded"
    with pytest.raises(PaymentRefused) as err:
        await billing.admin_refund_stars("no-such-charge")
    assert err.value.reason == "not_found"
    with pytest.raises(CreditDebt):
        await app.core.imagine(
            actor, ImagineRequest("a star", model_id="preview"), ReplyTarget("telegram", {})
        )
