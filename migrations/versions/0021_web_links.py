"""Personal web links (issue 18: /gallery, later the dashboard): a sha256 of each random
token, never the token; and the index the gallery pages an account's images by.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_UTC = sa.DateTime(timezone=True)
_PURPOSES = "purpose IN ('gallery', 'dashboard')"  # core.db.tables.WEB_LINK_PURPOSES, as of 0021


def upgrade() -> None:
    op.create_table(
        "web_links",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("expires_at", _UTC, nullable=False),
        sa.Column("revoked_at", _UTC, nullable=True),
        sa.CheckConstraint(_PURPOSES, name=op.f("ck_web_links_purpose_known")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_web_links_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_links")),
        sa.UniqueConstraint("token_sha256", name="uq_web_links_token_sha256"),
    )
    op.create_index(
        "ix_web_links_account_id_purpose", "web_links", ["account_id", "purpose"], unique=False
    )
    op.create_index(
        "ix_images_account_id_created_at_id",
        "images",
        ["account_id", "created_at", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_images_account_id_created_at_id", table_name="images")
    op.drop_index("ix_web_links_account_id_purpose", table_name="web_links")
    op.drop_table("web_links")
