"""The /link merge itself: what happens to each table when one account is absorbed
into another (see ``core.accounts.linking`` for the command around it). Runs inside the caller's
transaction, with both account rows locked."""

from __future__ import annotations

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.billing.subscriptions import ACTIVE_STATUSES
from core.db.tables import (
    accounts,
    admin_audit,
    billing_customers,
    checkout_sessions,
    consents,
    credit_debts,
    exports,
    identities,
    images,
    jobs,
    link_codes,
    payments,
    privacy_confirmations,
    promo_redemptions,
    stars_refunds,
    subscriptions,
    uploads,
    web_links,
)
from core.errors import LinkRefused
from core.jobs.status import ACTIVE_STATUSES as ACTIVE_JOB_STATUSES
from core.ledger import Reason, apply_entry

LINK_OUT = Reason.LINK_OUT  # reference: "link:<code row id>"
LINK_IN = Reason.LINK_IN

# What a merge does with each table holding an account reference (tests check that this
# names every such table, so a new one cannot be forgotten):
#   move   - the absorbed account's rows go to the survivor
#   custom - handled by its own step in :func:`merge`
MERGE_RULES: dict[str, str] = {
    "identities": "move",
    "jobs": "move",
    "images": "move",
    "uploads": "move",  # objects stay under the absorbed's folder; the rows name them
    "exports": "move",
    "consents": "move",  # the whole consent history; the newest acceptance counts
    "checkout_sessions": "move",
    "payments": "move",  # refunds and disputes of earlier payments find the survivor
    "subscriptions": "move",  # refused when both have a live one; the plan re-syncs
    "credit_debts": "move",  # with accounts.debt_credits added up
    "stars_refunds": "move",  # a pending one resumes on the survivor
    "admin_audit": "move",  # what operators did follows the person
    "ledger_entries": "custom",  # history stays; the balance moves by link_out/link_in
    "promo_redemptions": "custom",  # a code both redeemed: the survivor's row is kept
    "billing_customers": "custom",  # moved; refused when both have a customer
    "privacy_confirmations": "custom",  # a pending /forgetme code of the absorbed: dropped
    "link_codes": "custom",  # the absorbed's unused codes dropped, used ones moved
    "web_links": "custom",  # the absorbed's web links dropped (a session ends; ask again)
}
_MOVED = {
    "identities": identities,
    "jobs": jobs,
    "images": images,
    "uploads": uploads,
    "exports": exports,
    "consents": consents,
    "checkout_sessions": checkout_sessions,
    "payments": payments,
    "subscriptions": subscriptions,
    "credit_debts": credit_debts,
    "stars_refunds": stars_refunds,
    "admin_audit": admin_audit,
}


async def check_mergeable(conn: AsyncConnection, survivor, absorbed) -> None:
    for row in (survivor, absorbed):
        if row.banned_at is not None or row.erased_at is not None:
            raise LinkRefused(reason="banned")
        if row.merged_into_account_id is not None:
            raise LinkRefused(reason="merged")

    async def platforms(account_id: int) -> set[str]:
        found = await conn.execute(
            select(identities.c.platform).where(identities.c.account_id == account_id)
        )
        return set(found.scalars())

    shared = (await platforms(survivor.id)) & (await platforms(absorbed.id))
    if shared:
        raise LinkRefused(reason="same_platform", platform=sorted(shared)[0])
    active = await conn.scalar(
        select(func.count())
        .select_from(jobs)
        .where(jobs.c.account_id == absorbed.id, jobs.c.status.in_(ACTIVE_JOB_STATUSES))
    )
    if active:
        raise LinkRefused(reason="jobs_active")

    async def count(table, *where) -> dict[int, int]:
        found = await conn.execute(
            select(table.c.account_id, func.count())
            .where(table.c.account_id.in_((survivor.id, absorbed.id)), *where)
            .group_by(table.c.account_id)
        )
        return {int(a): int(n) for a, n in found}

    if len(await count(subscriptions, subscriptions.c.status.in_(sorted(ACTIVE_STATUSES)))) == 2:
        raise LinkRefused(reason="both_subscribed")
    if len(await count(billing_customers)) == 2:
        # One account has one payment customer (the table's key); dropping one would
        # leave a customer at the provider that /forgetme could no longer delete.
        raise LinkRefused(reason="both_customers")


async def merge(conn: AsyncConnection, survivor, absorbed, reference: str) -> int:
    """Move everything of ``absorbed`` to ``survivor`` (both rows locked). Returns the
    credits moved."""
    s_id, a_id = survivor.id, absorbed.id
    balance = int(absorbed.balance_credits)
    if balance > 0:
        await apply_entry(
            conn, account_id=a_id, amount_credits=-balance, reason=LINK_OUT, reference=reference
        )
        await apply_entry(
            conn, account_id=s_id, amount_credits=balance, reason=LINK_IN, reference=reference
        )
    # A promo code both redeemed: the survivor's redemption stands for the joined
    # account (both grants were made to separate accounts and stay in their ledgers).
    both = select(promo_redemptions.c.code).where(promo_redemptions.c.account_id == s_id)
    await conn.execute(
        delete(promo_redemptions).where(
            promo_redemptions.c.account_id == a_id, promo_redemptions.c.code.in_(both)
        )
    )
    await conn.execute(
        update(promo_redemptions)
        .where(promo_redemptions.c.account_id == a_id)
        .values(account_id=s_id)
    )
    await conn.execute(
        update(billing_customers)
        .where(billing_customers.c.account_id == a_id)
        .values(account_id=s_id)
    )
    await conn.execute(
        delete(privacy_confirmations).where(privacy_confirmations.c.account_id == a_id)
    )
    unused = and_(link_codes.c.account_id == a_id, link_codes.c.used_at.is_(None))
    await conn.execute(delete(link_codes).where(unused))
    await conn.execute(
        update(link_codes).where(link_codes.c.account_id == a_id).values(account_id=s_id)
    )
    await conn.execute(delete(web_links).where(web_links.c.account_id == a_id))
    for table in _MOVED.values():
        await conn.execute(update(table).where(table.c.account_id == a_id).values(account_id=s_id))
    survivor_values: dict[str, object] = {
        "debt_credits": accounts.c.debt_credits + int(absorbed.debt_credits)
    }
    newer = absorbed.terms_accepted_at is not None and (
        survivor.terms_accepted_at is None
        or absorbed.terms_accepted_at > survivor.terms_accepted_at
    )
    if newer:  # the newest acceptance of the terms counts for the joined account
        survivor_values.update(
            terms_version=absorbed.terms_version,
            terms_accepted_at=absorbed.terms_accepted_at,
            age_confirmed_at=absorbed.age_confirmed_at,
        )
    await conn.execute(update(accounts).where(accounts.c.id == s_id).values(**survivor_values))
    await conn.execute(
        update(accounts)
        .where(accounts.c.id == a_id)
        .values(
            debt_credits=0,
            merged_into_account_id=s_id,
            private_replies=False,
            analytics_id=None,  # the survivor's analytics choice stands; this id is forgotten
        )
    )
    return balance
