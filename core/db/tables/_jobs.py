"""Generation jobs and the images they produce."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from core.db.tables._base import UTCDateTime, in_list_sql, metadata

# The values of ``core.jobs.status.JobStatus`` (a test holds the two equal).
JOB_STATUSES = ("queued", "running", "succeeded", "failed", "cancelled")

jobs = Table(
    "jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("model_id", String(64), nullable=False),
    Column("prompt", Text, nullable=False),
    Column("negative_prompt", Text),
    Column("enhance", Boolean, nullable=False, server_default="0"),
    Column("enhanced_prompt", Text),
    Column("aspect_ratio", String(16), nullable=False),
    Column("width_px", Integer, nullable=False),
    Column("height_px", Integer, nullable=False),
    Column("seed", BigInteger),  # as requested
    Column("seed_used", BigInteger),  # what the result was made with (see capabilities.seed_used)
    Column("image_count", Integer, nullable=False),
    Column("cost_credits", BigInteger, nullable=False),
    Column("platform", String(16), nullable=False),
    Column("reply_target", Text),
    Column("locale", String(16)),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("max_attempts", Integer, nullable=False, server_default="3"),
    Column("lease_expires_at", UTCDateTime),
    Column("worker_id", String(64)),
    Column("provider_route", String(128)),
    Column("error_code", String(32)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("started_at", UTCDateTime),
    Column("finished_at", UTCDateTime),
    # Scheduling: higher lane first, then the lowest virtual time (the job's rank in its
    # owner's backlog when it was queued), so one user's flood cannot starve others.
    Column("lane", SmallInteger, nullable=False, server_default="0"),
    Column("fair_vt", BigInteger, nullable=False, server_default="0"),
    Column("max_running", Integer, nullable=False, server_default="1"),
    Column("not_before", UTCDateTime),  # a retry waits for its backoff
    Column("notified_at", UTCDateTime),  # the terminal event was last handed to the bus
    Column("delivered_at", UTCDateTime),  # an adapter took the terminal event (once)
    # The platform's id of the request (e.g. a Telegram update): a redelivered update
    # finds its job instead of paying again.
    Column("request_key", String(96)),
    # A variation: the image (of the same account) it is drawn from. No foreign key: the
    # image may be deleted or purged while the job waits; the worker then fails it.
    Column("source_image_id", String(24)),
    # Reference images the user brought (``uploads`` ids, comma-separated, in order).
    # No foreign key, like ``source_image_id``: an upload erased while the job waits
    # fails the job, refunded.
    Column("reference_upload_ids", String(512)),
    CheckConstraint(in_list_sql("status", JOB_STATUSES), name="status_known"),
    CheckConstraint("cost_credits >= 0", name="cost_not_negative"),
    Index("ix_jobs_account_id_created_at", "account_id", "created_at"),
    Index("ix_jobs_status_created_at", "status", "created_at"),
    Index("ix_jobs_account_id_status", "account_id", "status"),
    # Only requests a platform may deliver twice carry a key (Telegram's updates); the
    # rest, most jobs, stay out of the index: one index write less per accept.
    Index(
        "uq_jobs_request_key",
        "request_key",
        unique=True,
        postgresql_where=text("request_key IS NOT NULL"),
        sqlite_where=text("request_key IS NOT NULL"),
    ),
    # Ended jobs not yet handed to their chat (migration 0022): the delivery backlog
    # /metrics reads and the workers' sweep announces again; small, as nearly every
    # result is taken within seconds.
    Index(
        "ix_jobs_undelivered",
        "finished_at",
        postgresql_where=text("delivered_at IS NULL AND finished_at IS NOT NULL"),
        sqlite_where=text("delivered_at IS NULL AND finished_at IS NOT NULL"),
    ),
    Index(
        "ix_jobs_claim_order",
        "lane",
        "fair_vt",
        "created_at",
        postgresql_where=text("status = 'queued'"),
        sqlite_where=text("status = 'queued'"),
    ),
)

images = Table(
    "images",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("job_id", String(32), ForeignKey("jobs.id"), nullable=False),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("storage_key", String(256), nullable=False),
    Column("mime", String(32), nullable=False),
    Column("width_px", Integer, nullable=False),
    Column("height_px", Integer, nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("deleted_at", UTCDateTime),
    # The chat-sized preview derived from the original, stored next to it under the same
    # attempt's folder (NULL for images made before previews, or when none was made).
    Column("preview_key", String(256)),
    Column("preview_mime", String(32)),
    Column("preview_width_px", Integer),
    Column("preview_height_px", Integer),
    Column("preview_size_bytes", BigInteger),
    UniqueConstraint("job_id", "position", name="uq_images_job_position"),
    Index("ix_images_account_id", "account_id"),
    # The gallery's keyset paging: an account's images newest first.
    Index("ix_images_account_id_created_at_id", "account_id", "created_at", "id"),
)

# Images users brought to /imagine as references: checked, re-encoded without metadata,
# stored under ``uploads/<account>/``, kept for the plan's retention like generated ones.
uploads = Table(
    "uploads",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("storage_key", String(256), nullable=False),
    Column("mime", String(32), nullable=False),
    Column("width_px", Integer, nullable=False),
    Column("height_px", Integer, nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("deleted_at", UTCDateTime),
    Index("ix_uploads_account_id", "account_id"),
)
