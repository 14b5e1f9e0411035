"""Reference images and chat previews: the ``uploads`` table (images users bring to
/imagine), ``jobs.reference_upload_ids`` (which uploads a job draws from), and each
image's preview columns (a chat-sized derivative stored next to the original).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

_UTC = sa.DateTime(timezone=True)

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "uploads",
        sa.Column("id", sa.String(24), primary_key=True),
        sa.Column("account_id", sa.BigInteger(), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("storage_key", sa.String(256), nullable=False),
        sa.Column("mime", sa.String(32), nullable=False),
        sa.Column("width_px", sa.Integer(), nullable=False),
        sa.Column("height_px", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("deleted_at", _UTC, nullable=True),
    )
    op.create_index("ix_uploads_account_id", "uploads", ["account_id"])
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("reference_upload_ids", sa.String(512), nullable=True))
    with op.batch_alter_table("images") as batch:
        batch.add_column(sa.Column("preview_key", sa.String(256), nullable=True))
        batch.add_column(sa.Column("preview_mime", sa.String(32), nullable=True))
        batch.add_column(sa.Column("preview_width_px", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("preview_height_px", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("preview_size_bytes", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("images") as batch:
        for name in (
            "preview_size_bytes",
            "preview_height_px",
            "preview_width_px",
            "preview_mime",
            "preview_key",
        ):
            batch.drop_column(name)
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("reference_upload_ids")
    op.drop_index("ix_uploads_account_id", table_name="uploads")
    op.drop_table("uploads")
