"""abuse_prevention_hashes: keyed identity hashes that survive erasure (issue 12)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "abuse_prevention_hashes",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("identity_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=80), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("erased_at", _UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_abuse_prevention_hashes")),
        sa.UniqueConstraint(
            "identity_hash", "purpose", name="uq_abuse_prevention_hashes_hash_purpose"
        ),
    )


def downgrade() -> None:
    op.drop_table("abuse_prevention_hashes")
