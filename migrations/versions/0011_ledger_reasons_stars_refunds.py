"""ledger_entries.reason checked against the known reasons; stars_refunds, the outbox
of Telegram Stars refunds

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

When = sa.DateTime(timezone=True)

# The reasons at this revision (core.ledger.reasons.Reason); a later reason needs a
# revision that replaces the constraint.
REASONS = (
    "admin_debit",
    "admin_grant",
    "debt_settled",
    "erasure_close",
    "link_in",
    "link_out",
    "payment_reversal",
    "promo",
    "purchase",
    "refund",
    "spend",
    "stars_purchase",
    "stars_refund",
    "stars_refund_undone",
    "subscription",
    "welcome",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    # SQLite cannot add a constraint to a table: batch mode copies the table.
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_ledger_entries_reason_known"), _in("reason", REASONS)
        )
    op.create_table(
        "stars_refunds",
        sa.Column("charge_id", sa.String(length=255), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("platform_user_id", sa.String(length=64), nullable=True),
        sa.Column("stars", sa.BigInteger(), nullable=False),
        sa.Column("taken_credits", sa.BigInteger(), nullable=False),
        sa.Column("debt_credits", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("updated_at", When, nullable=False),
        sa.CheckConstraint(
            _in("status", ("pending", "done", "failed")),
            name=op.f("ck_stars_refunds_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_stars_refunds_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("charge_id", name=op.f("pk_stars_refunds")),
    )
    op.create_index("ix_stars_refunds_account_id", "stars_refunds", ["account_id"])
    op.create_index("ix_stars_refunds_status", "stars_refunds", ["status"])


def downgrade() -> None:
    op.drop_index("ix_stars_refunds_status", table_name="stars_refunds")
    op.drop_index("ix_stars_refunds_account_id", table_name="stars_refunds")
    op.drop_table("stars_refunds")
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_ledger_entries_reason_known"), type_="check")
