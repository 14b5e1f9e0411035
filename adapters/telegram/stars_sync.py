"""The Stars reconciler: credits every payment in the bot's Star transactions
(``getStarTransactions``) that was never credited, and takes back the ones Telegram
refunded, once each (the ledger's unique reason and charge id).

An update can be lost: polling confirms an update before its handler runs, and a
crediting failure in either mode leaves only a log line with the charge id. The
transactions are the record Telegram keeps; a transaction's id is the payment's
``telegram_payment_charge_id`` (its refund has the same id), and its partner carries our
``invoice_payload``. Telegram lists them oldest first; the reconciler reads them all at
its first run in a process, then only the new ones (it keeps the offset in memory).
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, StarTransaction, TransactionPartnerUser
from telegram.constants import StarTransactionsLimit
from telegram.error import Forbidden, TelegramError

from adapters.telegram.payments import purchase_text, reversal_text
from core import Billing, Messages, PaymentRefused

log = logging.getLogger("seedream.telegram")

PAGE_SIZE = int(StarTransactionsLimit.MAX_LIMIT)


class StarsReconciler:
    def __init__(self, bot: Bot, billing: Billing, messages: Messages) -> None:
        self._bot = bot
        self._billing = billing
        self._messages = messages
        self._offset = 0  # transactions already reconciled in this process

    async def run_once(self) -> int:
        """Read the new transactions and settle each; returns how many changed credits.
        A failure (logged with the charge id) stops the run; the next run reads the
        same transactions again."""
        found = await self._new_transactions()
        refunded = {t.id for t in found if _user_partner(t.receiver) is not None}
        changed = 0
        for transaction in found:
            receiver = _user_partner(transaction.receiver)
            if receiver is not None:
                changed += await self._refund(transaction, receiver)
            elif transaction.id not in refunded:
                changed += await self._payment(transaction)
        self._offset += len(found)
        return changed

    async def run_forever(self, interval_s: float) -> None:
        while True:
            try:
                changed = await self.run_once()
                if changed:
                    log.warning("stars reconciler settled %d missed transaction(s)", changed)
            except Exception as exc:  # logged; the next run tries again
                log.error("stars reconciliation failed: %s", type(exc).__name__)
            await asyncio.sleep(interval_s)

    async def _new_transactions(self) -> list[StarTransaction]:
        found: list[StarTransaction] = []
        while True:
            page = await self._bot.get_star_transactions(
                offset=self._offset + len(found), limit=PAGE_SIZE
            )
            found.extend(page.transactions)
            if len(page.transactions) < PAGE_SIZE:
                return found

    async def _payment(self, transaction: StarTransaction) -> int:
        partner = _user_partner(transaction.source)
        payload = getattr(partner, "invoice_payload", None)
        if partner is None or not payload:
            return 0  # not a payment for an invoice (e.g. a withdrawal refund)
        try:
            purchase = await self._billing.stars_charge_found(
                payload, transaction.amount, transaction.id
            )
        except PaymentRefused as exc:
            log.warning("stars transaction not creditable charge=%s (%s)", transaction.id, exc)
            return 0
        except Exception as exc:
            _log_failure("stars payment not credited", transaction.id, exc)
            raise
        if not purchase.applied:
            return 0
        log.warning("stars payment credited by the reconciler charge=%s", transaction.id)
        await self._tell(partner, lambda t: purchase_text(t, purchase))
        return 1

    async def _refund(self, transaction: StarTransaction, receiver: TransactionPartnerUser) -> int:
        try:
            taken = await self._billing.stars_refunded_by_platform(transaction.id)
        except Exception as exc:
            _log_failure("stars refund not taken back", transaction.id, exc)
            raise
        if taken is None or not (taken.taken_credits or taken.debt_credits):
            return 0
        log.warning("stars refund taken back by the reconciler charge=%s", transaction.id)
        await self._tell(receiver, lambda t: reversal_text(t, taken))
        return 1

    async def _tell(self, partner: TransactionPartnerUser, text) -> None:
        """A message in the user's private chat; the money is settled whether it is
        delivered or not."""
        locale = partner.user.language_code

        def t(key: str, **params) -> str:
            return self._messages.render(key, locale, **params)

        try:
            await self._bot.send_message(partner.user.id, text(t))
        except (Forbidden, TelegramError) as exc:
            log.warning("reconciled payment not told to the user: %s", type(exc).__name__)


def _user_partner(partner: object) -> TransactionPartnerUser | None:
    return partner if isinstance(partner, TransactionPartnerUser) else None


def _log_failure(what: str, charge_id: str, exc: Exception) -> None:
    log.error("%s charge=%s error=%s", what, charge_id, type(exc).__name__)
