"""Telegram Stars in the fake Bot API (mixed into ``FakeBotApi``): sendInvoice,
answerPreCheckoutQuery, refundStarPayment, getStarTransactions, and the updates Telegram
sends for a payment (``pre_checkout_query``, ``successful_payment``, ``refunded_payment``).

Held to sources we did not write (``tests/contracts/test_telegram_payments_fake.py``
proves each refusal):

- python-telegram-bot (the installed test dependency): ``telegram.constants.InvoiceLimit``
  (title 1-32 characters, description 1-255, payload 1-128 bytes, at most MAX_STAR_COUNT
  Stars), ``StarTransactionsLimit`` (limit 1-100); every update and result is built from
  PTB's own classes (``Update``, ``Message``, ``SuccessfulPayment``, ``RefundedPayment``,
  ``PreCheckoutQuery``, ``StarTransaction``, ``TransactionPartnerUser``) with
  ``to_dict()``, so PTB's ``de_json`` reads back exactly what the fake serves.
- Bot API docs (sendInvoice, answerPreCheckoutQuery, refundStarPayment,
  getStarTransactions; "Payments in Telegram Stars"): XTR invoices have an empty provider
  token and exactly one price; a query is answered once; transactions are listed in
  chronological order, ``offset`` transactions skipped; a transaction's id is the
  ``telegram_payment_charge_id`` of the payment, and its refund carries the same id.
- MTProto ``payments.refundStarsCharge`` error table: CHARGE_ALREADY_REFUNDED,
  CHARGE_ID_EMPTY, USER_ID_INVALID. STARS_INVOICE_INVALID for an XTR invoice with more
  than one price is what developers report from the real API. The descriptions of the
  other refusals (unknown charge, title, description, payload, query id) are our wording:
  the client relies on the status 400 and the ``Bad Request: ...`` shape only.

Errors have Telegram's shape: ``{"ok": false, "error_code": 400, "description": ...}``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from telegram import (
    Chat,
    Message,
    PreCheckoutQuery,
    RefundedPayment,
    StarTransaction,
    StarTransactions,
    SuccessfulPayment,
    TransactionPartnerUser,
    Update,
    User,
)
from telegram.constants import InvoiceLimit, StarTransactionsLimit

STARS = "XTR"


@dataclass
class StarCharge:
    """A Stars payment the fake took: a StarTransaction, and its refund if any."""

    charge_id: str
    user: dict[str, Any]
    amount: int
    invoice_payload: str
    at: dt.datetime
    refunded_at: dt.datetime | None = None


class StarsApi:
    """Needs ``self._error(status, description)`` and ``self._next_message_id()``."""

    def _init_stars(self) -> None:
        self.charges: dict[str, StarCharge] = {}
        self.star_ledger: list[tuple[str, bool]] = []  # (charge id, is refund), in order
        self.open_queries: set[str] = set()
        self._charge_ids = itertools.count(1)

    @property
    def refunded_charges(self) -> set[str]:
        return {c.charge_id for c in self.charges.values() if c.refunded_at is not None}

    def refund_now(self, charge_id: str) -> None:
        """Refund a charge as if done elsewhere (e.g. by Telegram support)."""
        charge = self.charges[charge_id]
        charge.refunded_at = _now()
        self.star_ledger.append((charge_id, True))

    # -- updates Telegram sends ------------------------------------------------------

    def pre_checkout_payload(
        self, user: dict[str, Any], invoice_payload: str, total_amount: int
    ) -> dict[str, Any]:
        query_id = f"pcq{self._next_message_id()}"
        self.open_queries.add(query_id)
        query = PreCheckoutQuery(query_id, _user(user), STARS, total_amount, invoice_payload)
        return _update_body(Update(0, pre_checkout_query=query))

    def successful_payment_payload(
        self,
        user: dict[str, Any],
        invoice_payload: str,
        total_amount: int,
        charge_id: str | None = None,
    ) -> dict[str, Any]:
        """The service message Telegram sends after a payment; the fake records the
        charge (a StarTransaction). Redeliver the payload to test that it counts once."""
        charge_id = charge_id or f"stxCharge{next(self._charge_ids)}"
        if charge_id not in self.charges:
            self.charges[charge_id] = StarCharge(
                charge_id, user, total_amount, invoice_payload, _now()
            )
            self.star_ledger.append((charge_id, False))
        paid = SuccessfulPayment(STARS, total_amount, invoice_payload, charge_id, "")
        return self._service_message(user, successful_payment=paid)

    def refunded_payment_payload(self, user: dict[str, Any], charge_id: str) -> dict[str, Any]:
        """The service message Telegram sends when a payment was refunded."""
        charge = self.charges[charge_id]
        refunded = RefundedPayment(STARS, charge.amount, charge.invoice_payload, charge_id)
        return self._service_message(user, refunded_payment=refunded)

    def _service_message(self, user: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat = Chat(user["id"], Chat.PRIVATE, first_name=user.get("first_name"))
        message = Message(self._next_message_id(), _now(), chat, from_user=_user(user), **content)
        return _update_body(Update(0, message=message))

    # -- Bot API methods ---------------------------------------------------------------

    async def _m_sendInvoice(self, params: dict[str, Any]) -> Any:
        title, description = params.get("title", ""), params.get("description", "")
        payload = params.get("payload", "")
        prices = params.get("prices") or []
        if not InvoiceLimit.MIN_TITLE_LENGTH <= len(title) <= InvoiceLimit.MAX_TITLE_LENGTH:
            return self._error(400, "Bad Request: invoice title length is invalid")
        if not (
            InvoiceLimit.MIN_DESCRIPTION_LENGTH
            <= len(description)
            <= InvoiceLimit.MAX_DESCRIPTION_LENGTH
        ):
            return self._error(400, "Bad Request: invoice description length is invalid")
        if not (
            InvoiceLimit.MIN_PAYLOAD_LENGTH
            <= len(payload.encode())
            <= InvoiceLimit.MAX_PAYLOAD_LENGTH
        ):
            return self._error(400, "Bad Request: INVOICE_PAYLOAD_INVALID")
        if params.get("currency") != STARS:
            return self._error(400, "Bad Request: this fake sells digital goods for Stars only")
        if params.get("provider_token") or len(prices) != 1 or params.get("max_tip_amount"):
            return self._error(400, "Bad Request: STARS_INVOICE_INVALID")
        amount = int(prices[0].get("amount", 0))
        if not InvoiceLimit.MIN_STAR_COUNT <= amount <= InvoiceLimit.MAX_STAR_COUNT:
            return self._error(400, "Bad Request: STARS_INVOICE_INVALID")
        invoice = {
            "title": title,
            "description": description,
            "start_parameter": params.get("start_parameter", ""),
            "currency": STARS,
            "total_amount": amount,
        }
        return self._answer(params, invoice=invoice)

    async def _m_answerPreCheckoutQuery(self, params: dict[str, Any]) -> Any:
        query_id = params.get("pre_checkout_query_id", "")
        if query_id not in self.open_queries:
            return self._error(400, "Bad Request: QUERY_ID_INVALID")
        if params.get("ok") is not True and not params.get("error_message"):
            return self._error(400, "Bad Request: error_message is required when ok is false")
        self.open_queries.discard(query_id)  # answered once
        return True

    async def _m_refundStarPayment(self, params: dict[str, Any]) -> Any:
        charge_id = params.get("telegram_payment_charge_id", "")
        if not charge_id:
            return self._error(400, "Bad Request: CHARGE_ID_EMPTY")
        charge = self.charges.get(charge_id)
        if charge is None:
            return self._error(400, "Bad Request: CHARGE_NOT_FOUND")
        if str(charge.user["id"]) != str(params.get("user_id")):
            return self._error(400, "Bad Request: USER_ID_INVALID")
        if charge.refunded_at is not None:
            return self._error(400, "Bad Request: CHARGE_ALREADY_REFUNDED")
        self.refund_now(charge_id)
        return True

    async def _m_getStarTransactions(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or StarTransactionsLimit.MAX_LIMIT)
        low, high = StarTransactionsLimit.MIN_LIMIT, StarTransactionsLimit.MAX_LIMIT
        if offset < 0 or not low <= limit <= high:
            return self._error(400, "Bad Request: limit must be between 1 and 100")
        page = self.star_ledger[offset : offset + limit]
        transactions = [self._transaction(charge_id, refund) for charge_id, refund in page]
        return StarTransactions(transactions).to_dict()

    def _transaction(self, charge_id: str, refund: bool) -> StarTransaction:
        charge = self.charges[charge_id]
        partner = TransactionPartnerUser.de_json(  # de_json: any PTB since 21.4 reads it
            {
                "type": "user",
                "transaction_type": "invoice_payment",  # Bot API 9.0 (PTB 22.1)
                "user": charge.user,
                "invoice_payload": charge.invoice_payload,
            },
            None,
        )
        if refund:  # an outgoing transaction with the id of the payment it refunds
            return StarTransaction(charge_id, charge.amount, charge.refunded_at, receiver=partner)
        return StarTransaction(charge_id, charge.amount, charge.at, source=partner)


def _user(data: dict[str, Any]) -> User:
    return User.de_json(data, None)


def _update_body(update: Update) -> dict[str, Any]:
    """The update as JSON, without its id (``push_update`` numbers it)."""
    body = update.to_dict()
    body.pop("update_id")
    return body


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
