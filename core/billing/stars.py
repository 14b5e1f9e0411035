"""Telegram Stars, core side: invoice payloads, pre-checkout checks, crediting by the
Telegram charge id (exactly once), and refunds recorded in the ledger.

The payload is opaque to Telegram and the user: ``s1:<account>:<pack>:<nonce>:<mac>``,
at most 128 bytes, with an HMAC so a payload the bot did not make is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.billing.grants import Granted, TakenBack, grant, record_payment
from core.billing.grants import reverse_payment as _reverse
from core.catalog import Catalog, CreditPack
from core.db.tables import identities, payments
from core.errors import PaymentRefused
from core.ledger import Reason

PAYLOAD_VERSION = "s1"
MAX_PAYLOAD_BYTES = 128
STARS_CURRENCY = "XTR"


@dataclass(frozen=True, slots=True)
class StarsOrder:
    account_id: int
    pack: CreditPack


def make_payload(account_id: int, pack_id: str, secret: bytes) -> str:
    body = f"{PAYLOAD_VERSION}:{account_id}:{pack_id}:{secrets.token_hex(4)}"
    payload = f"{body}:{_mac(body, secret)}"
    if len(payload.encode()) > MAX_PAYLOAD_BYTES:
        raise ValueError("pack id too long for a Stars invoice payload")
    return payload


def check_order(
    payload: str, currency: str, total_amount: int, catalog: Catalog, secret: bytes
) -> StarsOrder:
    """Raises: PaymentRefused (bad_payload, unknown_pack, wrong_amount)."""
    body, _, mac = payload.rpartition(":")
    parts = body.split(":")
    if (
        len(payload.encode()) > MAX_PAYLOAD_BYTES
        or len(parts) != 4
        or parts[0] != PAYLOAD_VERSION
        or not parts[1].isdigit()
        or not hmac.compare_digest(mac, _mac(body, secret))
    ):
        raise PaymentRefused(reason="bad_payload")
    pack = catalog.packs.get(parts[2])
    if pack is None or pack.stars is None:
        raise PaymentRefused(reason="unknown_pack")
    if currency != STARS_CURRENCY or total_amount != pack.stars:
        raise PaymentRefused(reason="wrong_amount")
    return StarsOrder(int(parts[1]), pack)


async def credit(
    conn: AsyncConnection, order: StarsOrder, charge_id: str, stars: int
) -> tuple[Granted, bool]:
    """Credit the pack once per Telegram charge id. Returns (grant, newly recorded)."""
    recorded = await record_payment(
        conn,
        reference=charge_id,
        provider="stars",
        account_id=order.account_id,
        kind="pack",
        item_id=order.pack.id,
        credits_granted=order.pack.credits,
        amount_minor=stars,
        currency=STARS_CURRENCY.lower(),
    )
    granted = await grant(
        conn,
        account_id=order.account_id,
        amount_credits=order.pack.credits,
        reason=Reason.STARS_PURCHASE,
        reference=charge_id,
        note=f"pack {order.pack.id}",
    )
    return granted, recorded


async def refund_target(conn: AsyncConnection, charge_id: str) -> tuple[int, str]:
    """(account id, Telegram user id) of a Stars payment to refund.

    Raises: PaymentRefused (not_found, already_refunded)."""
    row = (
        await conn.execute(
            select(payments.c.account_id, payments.c.reversed_credits, payments.c.credits)
            .where(payments.c.reference == charge_id)
            .where(payments.c.provider == "stars")
        )
    ).one_or_none()
    if row is None:
        raise PaymentRefused(reason="not_found")
    if row.reversed_credits >= row.credits:
        raise PaymentRefused(reason="already_refunded")
    user_id = await conn.scalar(
        select(identities.c.platform_user_id)
        .where(identities.c.account_id == row.account_id)
        .where(identities.c.platform == "telegram")
    )
    if user_id is None:
        raise PaymentRefused(reason="not_found")
    return int(row.account_id), str(user_id)


async def take_back(conn: AsyncConnection, charge_id: str) -> TakenBack:
    result = await _reverse(conn, charge_id, reason=Reason.STARS_REFUND, reference=charge_id)
    assert result is not None  # refund_target found the payment
    return result


def _mac(body: str, secret: bytes) -> str:
    return hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()[:16]
