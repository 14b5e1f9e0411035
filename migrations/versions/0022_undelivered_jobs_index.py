"""A partial index on the jobs whose result no chat adapter has taken yet
(``delivered_at IS NULL``, ended): the delivery backlog that ``/metrics`` reads at
every scrape (issue 19, the alert rules) and that every worker's sweep announces again.
Almost every ended job is delivered within seconds, so the index stays small, where the
status index made both read every ended job ever.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

_UNDELIVERED = sa.text("delivered_at IS NULL AND finished_at IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_jobs_undelivered",
        "jobs",
        ["finished_at"],
        postgresql_where=_UNDELIVERED,
        sqlite_where=_UNDELIVERED,
    )


def downgrade() -> None:
    op.drop_index("ix_jobs_undelivered", table_name="jobs")
