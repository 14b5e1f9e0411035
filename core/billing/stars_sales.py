"""Telegram Stars sales, the core side of them (the Telegram adapter wires the UI):
an invoice per pack, the pre-checkout check, crediting by charge id, admin refunds
through the outbox in ``core.billing.stars_refunds``."""

from __future__ import annotations

import logging

from core.billing import stars, stars_refunds
from core.billing.host import BillingHost
from core.billing.payments import StarsRefundRefused
from core.billing.reversals import reversal_notice
from core.billing.stars_refunds import StarsRefundView
from core.billing.types import StarsInvoice, StarsPurchase
from core.errors import PaymentRefused, UnknownPack
from core.types import Actor

log = logging.getLogger("seedream.billing")


class StarsSales:
    """Mixed into ``core.billing.Billing``, which provides what ``BillingHost`` declares."""

    async def stars_invoice(self: BillingHost, actor: Actor, pack_id: str) -> StarsInvoice:
        """Raises: UnknownPack, TermsNotAccepted, Banned."""
        pack = self.catalog.packs.get(pack_id.strip().lower())
        if pack is None or pack.stars is None:
            offered = [p.id for p in self.catalog.packs.values() if p.stars is not None]
            raise UnknownPack(pack_id=pack_id[:32], available=", ".join(offered))
        async with self._uow() as uow:
            row = await self._usable(uow.conn, actor)
        payload = stars.make_payload(row.id, pack.id, self.settings.stars_secret)
        return StarsInvoice(payload, pack.id, pack.label, pack.label, pack.stars, pack.credits)

    async def stars_pre_checkout(
        self: BillingHost, actor: Actor, payload: str, currency: str, total_amount: int
    ) -> None:
        """Check a pre-checkout query; the adapter answers ok, or not ok with the text.

        Raises: PaymentRefused (bad_payload, unknown_pack, wrong_amount, wrong_account),
        TermsNotAccepted, Banned.
        """
        order = stars.check_order(
            payload, currency, total_amount, self.catalog, self.settings.stars_secret
        )
        async with self._uow() as uow:
            row = await self._usable(uow.conn, actor)
        if row.id != order.account_id:
            raise PaymentRefused(reason="wrong_account")

    async def stars_paid(
        self: BillingHost,
        actor: Actor,
        payload: str,
        currency: str,
        total_amount: int,
        charge_id: str,
    ) -> StarsPurchase:
        """Credit a successful Stars payment, once per Telegram charge id. The payment
        went through, so the pack is credited to the account in the payload even if the
        account has been suspended since.

        Raises: PaymentRefused (the payload or amount does not match: nothing credited).
        """
        return await self._credit_stars(payload, currency, total_amount, charge_id)

    async def admin_refund_stars(self: BillingHost, charge_id: str) -> StarsRefundView:
        """Refund a Stars payment through the outbox (``core.billing.stars_refunds``): take its
        credits back (a debt for the spent ones) and commit, then have Telegram return
        the Stars, then record the answer. Running it again for a charge whose refund
        is pending asks Telegram again (never twice with effect); a failed one is
        reported as it is.

        Raises: PaymentRefused (not_found, already_refunded, stars_unavailable).
        """
        if self.stars_refunds is None:
            raise PaymentRefused(reason="stars_unavailable")
        async with self._uow() as uow:
            refund = await stars_refunds.begin(uow.conn, charge_id)
            await uow.commit()
        if refund.status == stars_refunds.DONE:
            raise PaymentRefused(reason="already_refunded")
        if refund.status == stars_refunds.FAILED:
            return refund
        return await self._send_stars_refund(refund)

    async def resume_stars_refunds(self: BillingHost) -> list[StarsRefundView]:
        """Ask Telegram again for every pending refund (a crash or a network error left
        them so); the admin CLI and the worker's maintenance loop run it. Nothing to do
        in a process without the Telegram refunds port."""
        if self.stars_refunds is None:
            return []
        async with self._uow() as uow:
            pending = await stars_refunds.listed(uow.conn, (stars_refunds.PENDING,))
        return [await self._send_stars_refund(refund) for refund in pending]

    async def stars_refunds_open(self: BillingHost) -> list[StarsRefundView]:
        """Pending and failed refunds, oldest first, for the operator."""
        async with self._uow() as uow:
            return await stars_refunds.listed(
                uow.conn, (stars_refunds.PENDING, stars_refunds.FAILED)
            )

    async def _send_stars_refund(self: BillingHost, refund: StarsRefundView) -> StarsRefundView:
        assert self.stars_refunds is not None
        code, final = None, True
        if refund.platform_user_id is None:
            code = stars_refunds.ACCOUNT_ERASED
        else:
            try:
                await self.stars_refunds.refund_star_payment(
                    refund.platform_user_id, refund.charge_id
                )
            except StarsRefundRefused as exc:
                code = stars_refunds.refusal_code(exc.code)
            except Exception as exc:  # transient: recorded, the refund stays pending
                # Only the type: a network error's text can carry the bot token's URL.
                log.warning("stars refund not answered (%s); kept pending", type(exc).__name__)
                code, final = stars_refunds.refusal_code(type(exc).__name__), False
        async with self._uow() as uow:
            after, changed = await stars_refunds.finish(
                uow.conn, refund.charge_id, code, final=final
            )
            await uow.commit()
        if changed and after.status == stars_refunds.DONE:
            await self._notify(
                [
                    reversal_notice(
                        after.account_id, after.charge_id, after.taken_credits, after.debt_credits
                    )
                ]
            )
        return after
