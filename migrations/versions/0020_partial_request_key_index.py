"""The unique index on ``jobs.request_key`` covers only the jobs that have a key (a
request a platform may deliver twice: Telegram's updates). Most jobs have none, and
each of them cost the accept an index entry that no lookup ever reads; a lookup by key
(``request_key = ...``) implies the key is not NULL, so it still uses the index, and
the unique rule on keys is unchanged.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

_HAS_KEY = sa.text("request_key IS NOT NULL")


def upgrade() -> None:
    op.drop_index("uq_jobs_request_key", table_name="jobs")
    op.create_index(
        "uq_jobs_request_key",
        "jobs",
        ["request_key"],
        unique=True,
        postgresql_where=_HAS_KEY,
        sqlite_where=_HAS_KEY,
    )


def downgrade() -> None:
    op.drop_index("uq_jobs_request_key", table_name="jobs")
    op.create_index("uq_jobs_request_key", "jobs", ["request_key"], unique=True)
