"""scheduling columns

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("lane", sa.SmallInteger(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("fair_vt", sa.BigInteger(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("max_running", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.add_column(sa.Column("not_before", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_jobs_account_id_status", ["account_id", "status"], unique=False)
        batch_op.create_index(
            "ix_jobs_claim_order",
            ["lane", "fair_vt", "created_at"],
            unique=False,
            postgresql_where=sa.text("status = 'queued'"),
            sqlite_where=sa.text("status = 'queued'"),
        )
    # Jobs that ended before this revision were already reported: do not report again.
    op.execute(
        "UPDATE jobs SET notified_at = finished_at "
        "WHERE status IN ('succeeded', 'failed', 'cancelled')"
    )


def downgrade() -> None:

    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_jobs_claim_order",
            postgresql_where=sa.text("status = 'queued'"),
            sqlite_where=sa.text("status = 'queued'"),
        )
        batch_op.drop_index("ix_jobs_account_id_status")
        batch_op.drop_column("notified_at")
        batch_op.drop_column("not_before")
        batch_op.drop_column("max_running")
        batch_op.drop_column("fair_vt")
        batch_op.drop_column("lane")
