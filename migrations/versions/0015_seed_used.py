"""jobs.seed_used: the seed a finished job's images were made with - the one the service
reported, or the requested one where the route honours seeds, or NULL (not claimed).
Jobs finished before this revision keep NULL: which seed they were made with is unknown.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("seed_used", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("seed_used")
