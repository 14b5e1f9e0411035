"""Billing's privacy participants: what /mydata exports and /forgetme erases of the
payment tables, and the Stripe customer at the payment provider.

Payment records (payments, subscriptions, debts, checkout sessions) are financial records
the law requires us to keep: on erasure they move to the erasure's pseudonym with every
column that could lead back to the person cleared. Promo redemptions and the customer
mapping are deleted; the customer itself is deleted at Stripe (its saved payment details,
e-mail and address go with it).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select, update

from core.billing.payments import Payments
from core.db.tables import (
    accounts,
    billing_customers,
    checkout_sessions,
    credit_debts,
    ledger_entries,
    payments,
    promo_redemptions,
    stars_refunds,
    subscriptions,
)
from core.errors import PaymentsUnavailable
from core.ledger import Reason
from core.privacy.registry import ErasureContext, ExportContext, PrivacyRegistry, TableParticipant

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from core.messaging.keys import RedisKeys

log = logging.getLogger("seedream.privacy")

NOTICE_KIND = "notice"  # JobEvent.kind of billing's chat notices
CANCELED = "canceled"

# Ledger reasons that record money changing hands: kept, pseudonymised, on erasure.
PAYMENT_REASONS = (
    Reason.PURCHASE,
    Reason.SUBSCRIPTION,
    Reason.STARS_PURCHASE,
    Reason.PAYMENT_REVERSAL,
    Reason.STARS_REFUND,
    Reason.STARS_REFUND_UNDONE,
    Reason.DEBT_SETTLED,
)


class PaymentCustomerParticipant:
    """The account's customer at the payment provider: exported as its id (with the
    ``billing_customers`` rows), deleted there on erasure, which also cancels its
    subscriptions at the provider. Idempotent: a customer already gone counts as deleted.

    Registered whether or not card payments are configured: with no payments port, an
    account that has a customer cannot be erased (the promise to delete the customer
    would be broken silently), so the erasure stops with ``PaymentsUnavailable``."""

    name = "payment_customer"
    count_keys: tuple[str, ...] = ("payment_customers",)  # what erase() counts
    tables = ()
    external = True
    order = 0

    def __init__(self, payments_port: Payments | None) -> None:
        self._payments = payments_port

    async def collect(self, conn, account_id: int) -> list[str]:
        rows = await conn.execute(
            select(billing_customers.c.customer_id).where(
                billing_customers.c.account_id == account_id
            )
        )
        return [row.customer_id for row in rows]

    async def export(self, ctx: ExportContext) -> None:
        return None  # the customer id is exported with the billing_customers rows

    async def erase(self, ctx: ErasureContext) -> dict[str, int]:
        customer_ids = ctx.subject.notes.get(self.name) or []
        if customer_ids:
            if self._payments is None:
                log.error("erasure stopped: a payment customer exists but payments are off")
                raise PaymentsUnavailable()
            for customer_id in customer_ids:
                await self._payments.delete_customer(customer_id)
        return {"payment_customers": len(customer_ids)}


class NoticeMarkersParticipant:
    """Redis delivery markers of billing notices ("purchase landed", "payment
    reversed", ...): named after the payment, invoice, session, subscription or
    reversal they are about, not after a job, so the core's Redis participant cannot
    find them. (Notice events still in a stream name the account and go with it.)"""

    name = "billing_notice_markers"
    count_keys: tuple[str, ...] = ("redis_notice_markers",)  # what erase() counts
    tables = ()
    external = True
    order = 0

    def __init__(self, redis: Redis, keys: RedisKeys, registry: PrivacyRegistry) -> None:
        self._redis = redis
        self._keys = keys
        self._registry = registry

    async def collect(self, conn, account_id: int) -> list[str]:
        """The references billing notices about the account carry."""
        reasons = sorted(self._registry.payment_reasons)
        queries = [
            select(ledger_entries.c.reference).where(
                ledger_entries.c.account_id == account_id, ledger_entries.c.reason.in_(reasons)
            ),
            select(credit_debts.c.reference).where(credit_debts.c.account_id == account_id),
            select(checkout_sessions.c.id).where(checkout_sessions.c.account_id == account_id),
            select(subscriptions.c.id).where(subscriptions.c.account_id == account_id),
        ]
        found: set[str] = set()
        for query in queries:
            found.update((await conn.execute(query)).scalars())
        return sorted(found)

    async def export(self, ctx: ExportContext) -> None:
        return None  # short-lived markers: nothing a user would read

    async def erase(self, ctx: ErasureContext) -> dict[str, int]:
        names = [self._keys.delivered(ref, NOTICE_KIND) for ref in ctx.subject.notes[self.name]]
        removed = 0
        for start in range(0, len(names), 500):
            removed += int(await self._redis.delete(*names[start : start + 500]))
        return {"redis_notice_markers": removed}


class DebtParticipant(TableParticipant):
    """Debts move to the pseudonym like the payments they came from, and the pseudonym's
    cached ``debt_credits`` follows, so it still equals the sum of its debt rows.

    A debt settled by a promo grant is keyed ``promo:<code>:<account id>`` (in the debt
    rows and the ledger's ``debt_settled`` entry, both kept): the old account id is
    replaced by the pseudonym's, so no kept reference names the erased account."""

    async def export(self, ctx: ExportContext) -> None:
        await super().export(ctx)
        debt = await ctx.conn.scalar(
            select(accounts.c.debt_credits).where(accounts.c.id == ctx.subject.account_id)
        )
        ctx.add_json(self.export_file, "debt_credits", int(debt or 0))

    async def erase(self, ctx: ErasureContext) -> dict[str, int]:
        assert ctx.conn is not None
        await _rename_promo_references(ctx)
        counts = await super().erase(ctx)
        if ctx.pseudonymised:
            pseudonym = await ctx.pseudonym_id()
            total = (
                select(func.coalesce(func.sum(credit_debts.c.amount_credits), 0))
                .where(credit_debts.c.account_id == pseudonym)
                .scalar_subquery()
            )
            await ctx.conn.execute(
                update(accounts).where(accounts.c.id == pseudonym).values(debt_credits=total)
            )
        return counts


async def _rename_promo_references(ctx: ErasureContext) -> None:
    """``promo:<code>:<account id>`` -> ``promo:<code>:<pseudonym id>`` in the account's
    kept debt settlements (debt rows and ledger entries); the same for a welcome grant's
    ``welcome:account:<account id>``."""
    conn = ctx.conn
    assert conn is not None
    suffix = f":{ctx.account_id}"
    for table in (credit_debts, ledger_entries):
        found = (
            await conn.execute(
                select(table.c.id, table.c.reference).where(
                    table.c.account_id == ctx.account_id,
                    table.c.reason == Reason.DEBT_SETTLED,
                    or_(
                        *(
                            table.c.reference.startswith(f"{r}:", autoescape=True)
                            for r in (Reason.PROMO, Reason.WELCOME)
                        )
                    ),
                    table.c.reference.endswith(suffix, autoescape=True),
                )
            )
        ).all()
        if not found:
            continue
        renamed = f":{await ctx.pseudonym_id()}"
        for row in found:
            await conn.execute(
                update(table)
                .where(table.c.id == row.id)
                .values(reference=row.reference[: -len(suffix)] + renamed)
            )


class SubscriptionParticipant(TableParticipant):
    """Subscriptions are kept on the pseudonym; deleting the customer at the provider
    has cancelled the live ones, so they are recorded as ``canceled`` (final: a late
    event cannot give the pseudonym a plan)."""

    async def erase(self, ctx: ErasureContext) -> dict[str, int]:
        assert ctx.conn is not None
        await ctx.conn.execute(
            update(subscriptions)
            .where(subscriptions.c.account_id == ctx.account_id)
            .where(subscriptions.c.status != CANCELED)
            .values(status=CANCELED, updated_at=ctx.now)
        )
        return await super().erase(ctx)


def register_billing_participants(
    registry: PrivacyRegistry,
    payments_port: Payments | None,
    *,
    redis: Redis | None = None,
    keys: RedisKeys | None = None,
) -> None:
    def table(name, tbl, section, on_erase="pseudonymise", clear=()):
        registry.register(
            TableParticipant(
                name, tbl, "credits.json", section, on_erase=on_erase, clear_columns=clear
            )
        )

    table("payments", payments, "payments")
    # Refunds are financial records like the payments they return; the Telegram user id
    # goes (a refund still pending then is finished by nobody: see core.stars_refunds).
    table("stars_refunds", stars_refunds, "stars_refunds", clear=("platform_user_id",))
    registry.register(
        SubscriptionParticipant(
            "subscriptions", subscriptions, "credits.json", "subscriptions", "pseudonymise"
        )
    )
    registry.register(
        DebtParticipant("credit_debts", credit_debts, "credits.json", "debts", "pseudonymise")
    )
    # The reply target names the chat and user the purchase notice went to.
    table("checkout_sessions", checkout_sessions, "checkout_sessions", clear=("reply_target",))
    table("promo_redemptions", promo_redemptions, "promo_redemptions", on_erase="delete")
    table("billing_customers", billing_customers, "payment_customer", on_erase="delete")
    registry.add_payment_reasons(*PAYMENT_REASONS)
    registry.register(PaymentCustomerParticipant(payments_port))
    if redis is not None and keys is not None:
        registry.register(NoticeMarkersParticipant(redis, keys, registry))
