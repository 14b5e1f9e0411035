"""Telegram Stars after the payment: what Telegram reports later, credited or taken back
once. Crediting by charge id (shared with ``stars_paid``), a charge found in the bot's
Star transactions that was never credited (the Telegram adapter's reconciler), and a
payment Telegram refunded (a ``refunded_payment`` update, or a refund transaction).

A refund reported by Telegram uses the ledger reason and reference of
``admin_refund_stars`` (``stars_refund``, the charge id), so an operator's refund and
Telegram's report of the same refund take the credits back once.
"""

from __future__ import annotations

from sqlalchemy import select

from core.billing import stars
from core.billing.grants import TakenBack
from core.billing.host import BillingHost
from core.billing.types import StarsPurchase
from core.db.tables import payments


class StarsPlatformSync:
    """Mixed into ``core.billing.Billing``, which provides what ``BillingHost`` declares."""

    async def _credit_stars(
        self: BillingHost, payload: str, currency: str, total_amount: int, charge_id: str
    ) -> StarsPurchase:
        """Raises: PaymentRefused (the payload or amount does not match: nothing credited)."""
        order = stars.check_order(
            payload, currency, total_amount, self.catalog, self.settings.stars_secret
        )
        async with self._uow() as uow:
            granted, _ = await stars.credit(uow.conn, order, charge_id[:255], total_amount)
            await uow.commit()
        if granted.applied:
            self.analytics.record_purchase(
                order.account_id, method="stars", kind="pack", item_id=order.pack.id
            )
        return StarsPurchase(
            charge_id,
            order.pack.credits,
            granted.settled_credits,
            granted.balance_credits,
            granted.applied,
        )

    async def stars_charge_found(
        self: BillingHost, payload: str, total_amount: int, charge_id: str
    ) -> StarsPurchase:
        """A Stars payment found in the bot's transactions: credit it unless it was
        (``applied`` is False then).

        Raises: PaymentRefused (not an invoice of this bot, or the amount does not match).
        """
        return await self._credit_stars(payload, stars.STARS_CURRENCY, total_amount, charge_id)

    async def stars_refunded_by_platform(self: BillingHost, charge_id: str) -> TakenBack | None:
        """Telegram refunded this charge: take its credits back (a debt for the spent
        ones), once. Returns what was taken back now (zero when it was taken back
        before), or None when no payment with this charge id was credited.
        The adapter tells the user (it knows the chat).
        """
        async with self._uow() as uow:
            account_id = await uow.conn.scalar(
                select(payments.c.account_id)
                .where(payments.c.reference == charge_id[:255])
                .where(payments.c.provider == "stars")
            )
            if account_id is None:
                return None
            result = await stars.take_back(uow.conn, charge_id[:255])
            await uow.commit()
        return result
