"""Every reason a ledger entry can have: one enum, mirrored by a CHECK constraint on
``ledger_entries.reason`` (so a row with a reason not listed here is refused by the
database), and the one rule for which incoming credits settle a debt first.

A reference is unique within its reason. Adding a reason means adding it here, to
``core.db.tables.LEDGER_REASONS``, and a migration that replaces the CHECK (a test holds
the three and the database equal).
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Ledger reasons, with what their reference is."""

    WELCOME = "welcome"  # account:<account id>
    SPEND = "spend"  # job id
    REFUND = "refund"  # job id (a job that produced nothing)
    ADMIN_GRANT = "admin_grant"  # caller-chosen or random
    ADMIN_DEBIT = "admin_debit"  # caller-chosen or random
    PURCHASE = "purchase"  # Stripe Checkout Session id
    SUBSCRIPTION = "subscription"  # Stripe invoice id
    STARS_PURCHASE = "stars_purchase"  # Telegram charge id
    PROMO = "promo"  # CODE:<account id>
    PAYMENT_REVERSAL = "payment_reversal"  # charge id + refunded amount, or dispute id
    STARS_REFUND = "stars_refund"  # Telegram charge id
    STARS_REFUND_UNDONE = "stars_refund_undone"  # Telegram charge id (refund refused)
    DEBT_SETTLED = "debt_settled"  # <grant reason>:<grant reference>
    LINK_OUT = "link_out"  # link:<code row id>
    LINK_IN = "link_in"  # link:<code row id>
    ERASURE_CLOSE = "erasure_close"  # erasure id (closes a pseudonym's balance)

    @property
    def settles_debt(self) -> bool:
        """Whether credits coming in for this reason pay an outstanding debt first."""
        return self in SETTLES_DEBT


# The debt rule. A debt is recorded when a refund or dispute takes back credits that
# were already spent (the balance is taken first, so an account in debt has nothing
# left). Every credit that comes in afterwards as value for the user pays the debt
# first, whoever gives it: a purchase, a subscription, a promo code, an operator's
# grant (so a user an operator helps is unblocked), the welcome grant, a job refund
# (its credits were spent before the debt arose; had they still been in the balance,
# the reversal would have taken them), and the balance a /link brings over. Only the
# bookkeeping entries do not: restoring credits taken back for a Stars refund Telegram
# refused (that undoes a take-back, it is not value given), and the entry that closes
# an erased account's pseudonym.
SETTLES_DEBT: frozenset[Reason] = frozenset(
    {
        Reason.WELCOME,
        Reason.REFUND,
        Reason.ADMIN_GRANT,
        Reason.PURCHASE,
        Reason.SUBSCRIPTION,
        Reason.STARS_PURCHASE,
        Reason.PROMO,
        Reason.LINK_IN,
    }
)


class DebtReason(StrEnum):
    """Reasons of ``credit_debts`` rows (a separate ledger, of what is owed)."""

    DEBT = "debt"  # the take-back's reference: a reversal found the credits spent
    SETTLED = "debt_settled"  # <grant reason>:<grant reference>
    UNDONE = "debt_undone"  # Telegram charge id: a refused Stars refund
