"""Billing: payment customers, checkout sessions, payments and their reversals, Stars
refunds, webhook events, subscriptions, promo codes and this deployment's own values."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from core.db.tables._base import BigId, UTCDateTime, in_list_sql, metadata

billing_customers = Table(
    "billing_customers",
    metadata,
    Column(
        "account_id",
        BigInteger,
        ForeignKey("accounts.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("provider", String(16), nullable=False),  # "stripe"
    Column("customer_id", String(255), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("customer_id", name="uq_billing_customers_customer_id"),
)

checkout_sessions = Table(
    "checkout_sessions",
    metadata,
    Column("id", String(255), primary_key=True),  # the payment provider's session id
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # "pack" | "subscription"
    Column("item_id", String(64), nullable=False),  # the pack or plan id
    Column("credits", BigInteger, nullable=False),  # what the pack grants (0 for a plan)
    Column("platform", String(16), nullable=False),
    Column("reply_target", Text),  # where the "purchase landed" notice goes
    Column("locale", String(16)),
    Column("status", String(16), nullable=False),  # open | paid | failed
    Column("subscription_id", String(255)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("completed_at", UTCDateTime),
    Index("ix_checkout_sessions_account_id_created_at", "account_id", "created_at"),
)

payments = Table(
    "payments",
    metadata,
    # Checkout Session id (pack), invoice id (subscription) or Telegram charge id (Stars)
    Column("reference", String(255), primary_key=True),
    Column("provider", String(16), nullable=False),  # "stripe" | "stars"
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # "pack" | "subscription"
    Column("item_id", String(64), nullable=False),
    Column("credits", BigInteger, nullable=False),  # granted
    Column("amount_minor", BigInteger, nullable=False),  # cents, or Stars
    Column("currency", String(8), nullable=False),  # "usd", "xtr"
    Column("payment_intent", String(255)),  # matches charge and dispute events
    Column("reversed_credits", BigInteger, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("reversed_at", UTCDateTime),
    CheckConstraint("reversed_credits <= credits", name="reversal_within_grant"),
    Index("ix_payments_payment_intent", "payment_intent"),
    Index("ix_payments_account_id", "account_id"),
)

# The outbox of Stars refunds (``core.billing.stars_refunds``): the credits are taken back and
# the row committed as ``pending`` before Telegram is asked; the answer makes it
# ``done`` or ``failed``. One row per charge, so a charge is never refunded twice.
STARS_REFUND_STATUSES = ("pending", "done", "failed")
stars_refunds = Table(
    "stars_refunds",
    metadata,
    Column("charge_id", String(255), primary_key=True),  # telegram_payment_charge_id
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("platform_user_id", String(64)),  # the Telegram user; cleared on erasure
    Column("stars", BigInteger, nullable=False),
    Column("taken_credits", BigInteger, nullable=False),
    Column("debt_credits", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),
    Column("error_code", String(64)),  # Telegram's answer, or the last transient error
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    CheckConstraint(in_list_sql("status", STARS_REFUND_STATUSES), name="status_known"),
    Index("ix_stars_refunds_account_id", "account_id"),
    Index("ix_stars_refunds_status", "status"),
)

webhook_events = Table(
    "webhook_events",
    metadata,
    Column("id", String(255), primary_key=True),  # evt_...: processed once
    Column("type", String(64), nullable=False),
    Column("outcome", String(64), nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", String(255), primary_key=True),  # sub_...
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("plan", String(32), nullable=False),
    Column("status", String(32), nullable=False),  # Stripe's status; "canceled" is final
    Column("last_event_at", BigInteger, nullable=False, server_default="0"),  # unix s
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_subscriptions_account_id", "account_id"),
)

promo_codes = Table(
    "promo_codes",
    metadata,
    Column("code", String(64), primary_key=True),  # stored upper-case
    Column("credits", BigInteger, nullable=False),
    Column("max_redemptions", Integer, nullable=False),
    Column("redeemed_count", Integer, nullable=False, server_default="0"),
    Column("expires_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("credits > 0", name="credits_positive"),
    CheckConstraint("redeemed_count <= max_redemptions", name="within_max"),
)

promo_redemptions = Table(
    "promo_redemptions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("code", String(64), ForeignKey("promo_codes.code"), nullable=False),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("code", "account_id", name="uq_promo_redemptions_code_account"),
    Index("ix_promo_redemptions_account_id", "account_id"),
)

# Refunds and disputes by payment intent, kept whether or not the payment they reverse is
# recorded yet: what a payment has lost is computed from these rows, so their order of
# arrival and repeated delivery do not matter.
payment_reversals = Table(
    "payment_reversals",
    metadata,
    Column("reference", String(255), primary_key=True),  # charge id (refunds) or dispute id
    Column("payment_intent", String(255), nullable=False),
    Column("kind", String(16), nullable=False),  # "refund" | "dispute"
    Column("amount_minor", BigInteger, nullable=False),  # refunded so far, or disputed
    Column("status", String(32), nullable=False),  # "refunded", or the dispute's status
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_payment_reversals_payment_intent", "payment_intent"),
)

# This installation's own values, e.g. ``deployment_id``: a random id
# made once, named in the metadata of the Stripe customers it creates. Not a secret.
deployment_values = Table(
    "deployment_values",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(255), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)
