"""payment_reversals (refunds and disputes by payment intent) and deployment_values

The reversals held in pending_reversals (as a share in millionths) move to
payment_reversals: a refund's reference ``<charge>:refunded:<cumulative cents>`` gives its
amount exactly; a held dispute counts as the whole payment, as it did before. The
pending_reversals table goes.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_UTC = sa.DateTime(timezone=True)
_REFUND = re.compile(r"^(?P<charge>.+):refunded:(?P<amount>\d+)$")
WHOLE_MINOR = 2**40  # more than any payment: the share is capped at the amount paid


def upgrade() -> None:
    op.create_table(
        "payment_reversals",
        sa.Column("reference", sa.String(length=255), nullable=False),
        sa.Column("payment_intent", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("updated_at", _UTC, nullable=False),
        sa.PrimaryKeyConstraint("reference", name=op.f("pk_payment_reversals")),
    )
    op.create_index(
        "ix_payment_reversals_payment_intent",
        "payment_reversals",
        ["payment_intent"],
        unique=False,
    )
    op.create_table(
        "deployment_values",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_deployment_values")),
    )
    _move_held_reversals()
    op.drop_index("ix_pending_reversals_payment_intent", table_name="pending_reversals")
    op.drop_table("pending_reversals")


def _move_held_reversals() -> None:
    conn = op.get_bind()
    held = conn.execute(sa.text("SELECT reference, payment_intent FROM pending_reversals")).all()
    now = datetime.now(UTC)
    rows: dict[str, dict] = {}
    for reference, intent in held:
        refund = _REFUND.match(reference)
        if refund:
            key, kind, amount, status = (
                refund["charge"],
                "refund",
                int(refund["amount"]),
                "refunded",
            )
        else:
            key, kind, amount, status = reference, "dispute", WHOLE_MINOR, "needs_response"
        if key not in rows or rows[key]["amount_minor"] < amount:
            rows[key] = {
                "reference": key,
                "payment_intent": intent,
                "kind": kind,
                "amount_minor": amount,
                "status": status,
                "created_at": now,
                "updated_at": now,
            }
    if rows:
        table = sa.table(
            "payment_reversals",
            *(sa.column(name) for name in next(iter(rows.values()))),
        )
        op.bulk_insert(table, list(rows.values()))


def downgrade() -> None:
    # Reversals kept since are not moved back (a share in millionths loses precision).
    op.create_table(
        "pending_reversals",
        sa.Column("reference", sa.String(length=160), nullable=False),
        sa.Column("payment_intent", sa.String(length=255), nullable=False),
        sa.Column("fraction_ppm", sa.Integer(), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.PrimaryKeyConstraint("reference", name=op.f("pk_pending_reversals")),
    )
    op.create_index(
        "ix_pending_reversals_payment_intent",
        "pending_reversals",
        ["payment_intent"],
        unique=False,
    )
    op.drop_table("deployment_values")
    op.drop_index("ix_payment_reversals_payment_intent", table_name="payment_reversals")
    op.drop_table("payment_reversals")
