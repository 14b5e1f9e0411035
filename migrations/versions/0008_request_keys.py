"""jobs.request_key: the platform's id of the request, unique, so a redelivered update
finds its job instead of paying again

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_key", sa.String(length=96), nullable=True))
        batch_op.create_index("uq_jobs_request_key", ["request_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("uq_jobs_request_key")
        batch_op.drop_column("request_key")
