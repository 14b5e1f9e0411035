"""Product analytics, opt-in: ``accounts.analytics_id``.

A random pseudonymous id, set when the user turns analytics on (``/settings analytics
on``) and cleared when they turn it off; NULL (the default) means no event is ever sent
for the account. It is deleted with the account by ``/forgetme``.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("analytics_id", sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("analytics_id")
