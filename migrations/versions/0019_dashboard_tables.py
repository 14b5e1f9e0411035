"""The operator dashboard's data (issue 18): provider health buckets and circuit states
that workers write and any process reads, and the audit of operators' actions.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_UTC = sa.DateTime(timezone=True)
_LATENCY_BUCKETS_S = (1, 5, 20, 60)  # core.db.tables.HEALTH_LATENCY_BUCKETS_S, as of 0019
_ADMIN_ACTIONS = "action IN ('ban', 'unban', 'grant', 'debit')"


def _count(name: str, kind: sa.types.TypeEngine | None = None) -> sa.Column:
    return sa.Column(name, kind or sa.Integer(), server_default="0", nullable=False)


def upgrade() -> None:
    op.create_table(
        "provider_health",
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("bucket_start", _UTC, nullable=False),
        _count("requests"),
        _count("failed_transient"),
        _count("failed_rate_limited"),
        _count("failed_timeout"),
        _count("failed_permanent"),
        _count("latency_sum_ms", sa.BigInteger()),
        _count("latency_max_ms"),
        *(_count(f"latency_le_{bound}s") for bound in _LATENCY_BUCKETS_S),
        sa.PrimaryKeyConstraint("provider", "bucket_start", name=op.f("pk_provider_health")),
    )
    op.create_index(
        "ix_provider_health_bucket_start", "provider_health", ["bucket_start"], unique=False
    )
    op.create_table(
        "provider_circuits",
        sa.Column("worker_id", sa.String(length=128), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("updated_at", _UTC, nullable=False),
        sa.PrimaryKeyConstraint("worker_id", "provider", name=op.f("pk_provider_circuits")),
    )
    op.create_table(
        "admin_audit",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("operator", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("amount_credits", sa.BigInteger(), nullable=True),
        sa.Column("ledger_reason", sa.String(length=32), nullable=True),
        sa.Column("ledger_reference", sa.String(length=128), nullable=True),
        sa.Column("created_at", _UTC, nullable=False),
        sa.CheckConstraint(_ADMIN_ACTIONS, name=op.f("ck_admin_audit_action_known")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_admin_audit_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_audit")),
    )
    op.create_index(
        "ix_admin_audit_account_id_id", "admin_audit", ["account_id", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_admin_audit_account_id_id", table_name="admin_audit")
    op.drop_table("admin_audit")
    op.drop_table("provider_circuits")
    op.drop_index("ix_provider_health_bucket_start", table_name="provider_health")
    op.drop_table("provider_health")
