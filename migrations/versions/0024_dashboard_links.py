"""Dashboard links (issue 18): a web link may belong to an operator ("cli",
"discord:<id>", "telegram:<id>") instead of an account; a check ties the holder to the
purpose (gallery: an account; dashboard: an operator).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

_HOLDER = (
    "(purpose = 'gallery' AND account_id IS NOT NULL AND operator IS NULL)"
    " OR (purpose = 'dashboard' AND operator IS NOT NULL AND account_id IS NULL)"
)


def upgrade() -> None:
    # No dashboard link existed before this revision (nothing could issue one).
    op.execute("DELETE FROM web_links WHERE purpose = 'dashboard'")
    # SQLite cannot alter a column or add a constraint: batch mode copies the table.
    with op.batch_alter_table("web_links", schema=None) as batch_op:
        batch_op.add_column(sa.Column("operator", sa.String(length=80), nullable=True))
        batch_op.alter_column("account_id", existing_type=sa.BigInteger(), nullable=True)
        batch_op.create_check_constraint(op.f("ck_web_links_holder_matches_purpose"), _HOLDER)
    op.create_index(
        "ix_web_links_operator_purpose", "web_links", ["operator", "purpose"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_web_links_operator_purpose", table_name="web_links")
    op.execute("DELETE FROM web_links WHERE account_id IS NULL")
    with op.batch_alter_table("web_links", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_web_links_holder_matches_purpose"), type_="check")
        batch_op.alter_column("account_id", existing_type=sa.BigInteger(), nullable=False)
        batch_op.drop_column("operator")
