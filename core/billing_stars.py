"""Telegram Stars sales, the core side of them (the Telegram adapter wires the UI):
an invoice per pack, the pre-checkout check, crediting by charge id, admin refunds."""

from __future__ import annotations

from core import stars
from core.billing_events import reversal_notice
from core.billing_ledger import TakenBack
from core.billing_types import StarsInvoice, StarsPurchase
from core.errors import PaymentRefused, UnknownPack
from core.types import Actor


class StarsSales:
    """Mixed into ``core.billing.Billing`` (which provides the attributes used here)."""

    async def stars_invoice(self, actor: Actor, pack_id: str) -> StarsInvoice:
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
        self, actor: Actor, payload: str, currency: str, total_amount: int
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
        self, actor: Actor, payload: str, currency: str, total_amount: int, charge_id: str
    ) -> StarsPurchase:
        """Credit a successful Stars payment, once per Telegram charge id. The payment
        went through, so the pack is credited to the account in the payload even if the
        account has been suspended since.

        Raises: PaymentRefused (the payload or amount does not match: nothing credited).
        """
        return await self._credit_stars(payload, currency, total_amount, charge_id)

    async def admin_refund_stars(self, charge_id: str) -> TakenBack:
        """Refund a Stars payment: take back its credits (a debt for the spent ones) and
        have Telegram return the Stars; both or neither.

        Raises: PaymentRefused (not_found, already_refunded, stars_unavailable), and what
        the refund port raises (nothing is recorded then).
        """
        if self.stars_refunds is None:
            raise PaymentRefused(reason="stars_unavailable")
        async with self._uow() as uow:
            account_id, user_id = await stars.refund_target(uow.conn, charge_id)
            result = await stars.take_back(uow.conn, charge_id)
            await self.stars_refunds.refund_star_payment(user_id, charge_id)
            await uow.commit()
        await self._notify(
            [reversal_notice(account_id, charge_id, result.taken_credits, result.debt_credits)]
        )
        return result
