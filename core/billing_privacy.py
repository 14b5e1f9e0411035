"""Billing's privacy participants: what /mydata exports and /forgetme erases of the
payment tables, and the Stripe customer at the payment provider.

Payment records (payments, subscriptions, debts, checkout sessions) are financial records
the law requires us to keep: on erasure they move to the erasure's pseudonym with every
column that could lead back to the person cleared. Promo redemptions and the customer
mapping are deleted; the customer itself is deleted at Stripe (its saved payment details,
e-mail and address go with it).
"""

from __future__ import annotations

from sqlalchemy import func, select, update

from core.models import (
    accounts,
    billing_customers,
    checkout_sessions,
    credit_debts,
    payments,
    promo_redemptions,
    subscriptions,
)
from core.payments import Payments
from core.privacy import ErasureContext, ExportContext, PrivacyRegistry, TableParticipant

# Ledger reasons that record money changing hands: kept, pseudonymised, on erasure.
PAYMENT_REASONS = (
    "purchase",
    "subscription",
    "stars_purchase",
    "payment_reversal",
    "stars_refund",
    "debt_settled",
)


class PaymentCustomerParticipant:
    """The account's customer at the payment provider: exported as its id, deleted there
    on erasure. Idempotent: a customer already gone counts as deleted."""

    name = "payment_customer"
    tables = ()
    external = True
    order = 0

    def __init__(self, payments_port: Payments) -> None:
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
        for customer_id in customer_ids:
            await self._payments.delete_customer(customer_id)
        return {"payment_customers": len(customer_ids)}


class DebtParticipant(TableParticipant):
    """Debts move to the pseudonym like the payments they came from, and the pseudonym's
    cached ``debt_credits`` follows, so it still equals the sum of its debt rows."""

    async def erase(self, ctx: ErasureContext) -> dict[str, int]:
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


def register_billing_participants(
    registry: PrivacyRegistry, payments_port: Payments | None
) -> None:
    def table(name, tbl, section, on_erase="pseudonymise", clear=()):
        registry.register(
            TableParticipant(
                name, tbl, "credits.json", section, on_erase=on_erase, clear_columns=clear
            )
        )

    table("payments", payments, "payments")
    table("subscriptions", subscriptions, "subscriptions")
    registry.register(
        DebtParticipant("credit_debts", credit_debts, "credits.json", "debts", "pseudonymise")
    )
    # The reply target names the chat and user the purchase notice went to.
    table("checkout_sessions", checkout_sessions, "checkout_sessions", clear=("reply_target",))
    table("promo_redemptions", promo_redemptions, "promo_redemptions", on_erase="delete")
    table("billing_customers", billing_customers, "payment_customer", on_erase="delete")
    registry.add_payment_reasons(*PAYMENT_REASONS)
    if payments_port is not None:
        registry.register(PaymentCustomerParticipant(payments_port))
