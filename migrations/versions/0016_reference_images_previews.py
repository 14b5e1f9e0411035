"""Reference images and chat previews: the ``uploads`` table (images users bring to
/imagine), ``jobs.reference_upload_ids`` (which uploads a job draws from), and each
image's preview columns (a chat-sized derivative stored next to the original).
PostgreSQL: the accept function (migration 0014) takes the job's reference uploads too.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

_UTC = sa.DateTime(timezone=True)

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


# 0014's function with one parameter more, p_reference_upload_ids, written to the job.
# A new parameter makes a new function in PostgreSQL, so the old one is dropped.
OLD_SIGNATURE = """seedream_accept_job(
    bigint, text, varchar, bigint, timestamptz, varchar, varchar, text, text, boolean,
    varchar, integer, integer, bigint, integer, varchar, text, varchar, integer, integer,
    integer, smallint, varchar, varchar)"""


def _accept_0014() -> str:
    """Migration 0014's CREATE FUNCTION text (the downgrade puts it back)."""
    path = Path(__file__).with_name("0014_accept_function.py")
    spec = importlib.util.spec_from_file_location("seedream_migration_0014", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.ACCEPT_SQL)


def _accept_0016() -> str:
    sql = _accept_0014()
    for old, new in (
        (
            "p_source_image_id varchar\n)",
            "p_source_image_id varchar,\n    p_reference_upload_ids varchar\n)",
        ),
        ("request_key, source_image_id)", "request_key, source_image_id, reference_upload_ids)"),
        ("p_source_image_id);", "p_source_image_id, p_reference_upload_ids);"),
    ):
        assert sql.count(old) == 1, old
        sql = sql.replace(old, new)
    return sql


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
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION {OLD_SIGNATURE}")
        op.execute(_accept_0016())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION seedream_accept_job")
        op.execute(_accept_0014())
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
