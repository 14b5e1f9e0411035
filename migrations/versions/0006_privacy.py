"""privacy: consent history, data exports, erasure confirmations, erased pseudonyms

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", _UTC, nullable=True))

    op.create_table(
        "consents",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("policy_version", sa.String(length=32), nullable=True),
        sa.Column("created_at", _UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_consents_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index("ix_consents_account_id", "consents", ["account_id"], unique=False)

    op.create_table(
        "exports",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("storage_key", sa.String(length=256), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("expires_at", _UTC, nullable=False),
        sa.CheckConstraint("status IN ('building', 'ready')", name=op.f("ck_exports_status_known")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_exports_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exports")),
    )
    op.create_index(
        "ix_exports_account_id_created_at", "exports", ["account_id", "created_at"], unique=False
    )
    op.create_index("ix_exports_expires_at", "exports", ["expires_at"], unique=False)

    op.create_table(
        "privacy_confirmations",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("code_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("expires_at", _UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_privacy_confirmations_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("account_id", "action", name="uq_privacy_confirmations_account_action"),
    )


def downgrade() -> None:
    op.drop_table("privacy_confirmations")
    op.drop_index("ix_exports_expires_at", table_name="exports")
    op.drop_index("ix_exports_account_id_created_at", table_name="exports")
    op.drop_table("exports")
    op.drop_index("ix_consents_account_id", table_name="consents")
    op.drop_table("consents")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("erased_at")
