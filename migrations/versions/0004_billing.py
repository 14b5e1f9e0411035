"""billing: payment customers, checkout sessions, payments, processed webhook events,
subscriptions, promo codes and redemptions, credit debts (+ accounts.debt_credits),
reversals waiting for their payment

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, **kw) -> sa.ForeignKeyConstraint:
    ref_table = target.split(".")[0]
    return sa.ForeignKeyConstraint(
        [column], [target], name=op.f(f"fk_{table}_{column}_{ref_table}"), **kw
    )


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("debt_credits", sa.BigInteger(), server_default="0", nullable=False)
        )
    op.create_table(
        "billing_customers",
        sa.Column("account_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("customer_id", sa.String(length=255), nullable=False),
        sa.Column("created_at", When, nullable=False),
        _fk("billing_customers", "account_id", "accounts.id", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_billing_customers")),
        sa.UniqueConstraint("customer_id", name="uq_billing_customers_customer_id"),
    )
    op.create_table(
        "checkout_sessions",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("credits", sa.BigInteger(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("reply_target", sa.Text(), nullable=True),
        sa.Column("locale", sa.String(length=16), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("subscription_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", When, nullable=False),
        sa.Column("completed_at", When, nullable=True),
        _fk("checkout_sessions", "account_id", "accounts.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkout_sessions")),
    )
    op.create_index(
        "ix_checkout_sessions_account_id_created_at",
        "checkout_sessions",
        ["account_id", "created_at"],
    )
    op.create_table(
        "payments",
        sa.Column("reference", sa.String(length=255), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("credits", sa.BigInteger(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=8), nullable=False),
        sa.Column("payment_intent", sa.String(length=255), nullable=True),
        sa.Column("reversed_credits", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("reversed_at", When, nullable=True),
        sa.CheckConstraint(
            "reversed_credits <= credits", name=op.f("ck_payments_reversal_within_grant")
        ),
        _fk("payments", "account_id", "accounts.id"),
        sa.PrimaryKeyConstraint("reference", name=op.f("pk_payments")),
    )
    op.create_index("ix_payments_payment_intent", "payments", ["payment_intent"])
    op.create_index("ix_payments_account_id", "payments", ["account_id"])
    op.create_table(
        "webhook_events",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=64), nullable=False),
        sa.Column("received_at", When, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_events")),
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("plan", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("last_event_at", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("updated_at", When, nullable=False),
        _fk("subscriptions", "account_id", "accounts.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriptions")),
    )
    op.create_index("ix_subscriptions_account_id", "subscriptions", ["account_id"])
    op.create_table(
        "promo_codes",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("credits", sa.BigInteger(), nullable=False),
        sa.Column("max_redemptions", sa.Integer(), nullable=False),
        sa.Column("redeemed_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("expires_at", When, nullable=True),
        sa.Column("created_at", When, nullable=False),
        sa.CheckConstraint("credits > 0", name=op.f("ck_promo_codes_credits_positive")),
        sa.CheckConstraint(
            "redeemed_count <= max_redemptions", name=op.f("ck_promo_codes_within_max")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_promo_codes")),
    )
    op.create_table(
        "promo_redemptions",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", When, nullable=False),
        _fk("promo_redemptions", "code", "promo_codes.code"),
        _fk("promo_redemptions", "account_id", "accounts.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promo_redemptions")),
        sa.UniqueConstraint("code", "account_id", name="uq_promo_redemptions_code_account"),
    )
    op.create_index("ix_promo_redemptions_account_id", "promo_redemptions", ["account_id"])
    op.create_table(
        "credit_debts",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("amount_credits", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=160), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.CheckConstraint("amount_credits <> 0", name=op.f("ck_credit_debts_amount_not_zero")),
        _fk("credit_debts", "account_id", "accounts.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_debts")),
        sa.UniqueConstraint("reason", "reference", name="uq_credit_debts_reason_reference"),
    )
    op.create_index("ix_credit_debts_account_id", "credit_debts", ["account_id"])
    op.create_table(
        "pending_reversals",
        sa.Column("reference", sa.String(length=160), nullable=False),
        sa.Column("payment_intent", sa.String(length=255), nullable=False),
        sa.Column("fraction_ppm", sa.Integer(), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.PrimaryKeyConstraint("reference", name=op.f("pk_pending_reversals")),
    )
    op.create_index("ix_pending_reversals_payment_intent", "pending_reversals", ["payment_intent"])


def downgrade() -> None:
    for table in (
        "pending_reversals",
        "credit_debts",
        "promo_redemptions",
        "promo_codes",
        "subscriptions",
        "webhook_events",
        "payments",
        "checkout_sessions",
        "billing_customers",
    ):
        op.drop_table(table)
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("debt_credits")
