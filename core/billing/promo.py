"""Promo codes: created by an operator, redeemed once per account (and once per platform
identity, /forgetme or not: ``core.privacy.abuse``), at most ``max_redemptions`` times in
all.

A redemption is one transaction: the per-account redemption row (unique on code and
account), a guarded ``UPDATE ... SET redeemed_count = redeemed_count + 1 WHERE
redeemed_count < max_redemptions`` (the row lock makes concurrent redeemers queue, and
each re-checks the count), and the ledger grant keyed ``CODE:account``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.billing.grants import Granted, grant, insert_once
from core.clock import utcnow
from core.db.tables import promo_codes, promo_redemptions
from core.errors import InvalidOption, PromoRefused
from core.ledger import Reason
from core.privacy.abuse import AbuseHasher, promo_purpose

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{2,63}$")


@dataclass(frozen=True, slots=True)
class PromoCode:
    code: str
    credits: int
    max_redemptions: int
    redeemed_count: int
    expires_at: datetime | None


def normalise_code(code: str) -> str:
    """Upper case, without surrounding space or invisible control and format characters
    (a right-to-left override, as prompts drop them), which no code contains."""
    visible = "".join(ch for ch in code if not unicodedata.category(ch).startswith("C"))
    return visible.strip().upper()


async def create_code(
    conn: AsyncConnection,
    code: str,
    *,
    amount_credits: int,
    max_redemptions: int,
    expires_at: datetime | None,
) -> PromoCode:
    """Raises: InvalidOption (bad code, amounts, a past expiry, or a code that exists)."""
    code = normalise_code(code)
    if not CODE_PATTERN.match(code):
        raise InvalidOption(field="code", reason="promo_code_format")
    if not 0 < amount_credits <= 10**9:
        raise InvalidOption(field="credits", reason="out_of_range", max=10**9)
    if not 0 < max_redemptions <= 10**9:
        raise InvalidOption(field="max-redemptions", reason="out_of_range", max=10**9)
    if expires_at is not None and expires_at <= utcnow():
        raise InvalidOption(field="expires", reason="promo_expiry_past")
    if not await insert_once(
        conn,
        promo_codes,
        ["code"],
        code=code,
        credits=amount_credits,
        max_redemptions=max_redemptions,
        redeemed_count=0,
        expires_at=expires_at,
        created_at=utcnow(),
    ):
        raise InvalidOption(field="code", reason="promo_code_exists", value=code)
    return PromoCode(code, amount_credits, max_redemptions, 0, expires_at)


async def redeem(
    conn: AsyncConnection, code: str, account_id: int, abuse: AbuseHasher
) -> tuple[PromoCode, Granted]:
    """Redeem ``code`` for ``account_id``; the caller commits (and rolls back on error).
    An identity of the account that redeemed ``code`` before an erasure counts as having
    redeemed it (``core.privacy.abuse``); the redemption keeps its identities' hashes.

    Raises:
        PromoRefused: unknown, expired, exhausted or already_redeemed.
    """
    code = normalise_code(code)[:64]
    row = (await conn.execute(select(promo_codes).where(promo_codes.c.code == code))).one_or_none()
    if row is None:
        raise PromoRefused(reason="unknown", code=code)
    if row.expires_at is not None and row.expires_at <= utcnow():
        raise PromoRefused(reason="expired", code=code)
    purpose = promo_purpose(code)
    if await abuse.already_had(conn, account_id, purpose):
        raise PromoRefused(reason="already_redeemed", code=code)
    if not await insert_once(
        conn,
        promo_redemptions,
        ["code", "account_id"],
        code=code,
        account_id=account_id,
        created_at=utcnow(),
    ):
        raise PromoRefused(reason="already_redeemed", code=code)
    counted = (
        await conn.execute(
            update(promo_codes)
            .where(promo_codes.c.code == code)
            .where(promo_codes.c.redeemed_count < promo_codes.c.max_redemptions)
            .values(redeemed_count=promo_codes.c.redeemed_count + 1)
            .returning(promo_codes.c.redeemed_count)
        )
    ).scalar_one_or_none()
    if counted is None:
        raise PromoRefused(reason="exhausted", code=code)
    granted = await grant(
        conn,
        account_id=account_id,
        amount_credits=int(row.credits),
        reason=Reason.PROMO,
        reference=f"{code}:{account_id}",
    )
    await abuse.record(conn, account_id, purpose)
    promo = PromoCode(code, int(row.credits), int(row.max_redemptions), counted, row.expires_at)
    return promo, granted
