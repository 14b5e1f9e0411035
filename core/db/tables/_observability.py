"""What workers share about the image services: per-minute health buckets and each
worker's circuit state (``core.observability.health`` writes them, the dashboard and
the metrics read them). The database is the one store every deployment has, so these
live here rather than in Redis."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table

from core.db.tables._base import UTCDateTime, metadata

# Upper bounds (seconds) of the cumulative latency buckets each health row counts, as a
# Prometheus histogram does; the count of all requests is the +Inf bucket.
HEALTH_LATENCY_BUCKETS_S = (1, 5, 20, 60)

# One row per image service and minute, summed over every worker (an upsert adds).
provider_health = Table(
    "provider_health",
    metadata,
    Column("provider", String(32), primary_key=True),
    Column("bucket_start", UTCDateTime, primary_key=True),  # the minute, UTC
    Column("requests", Integer, nullable=False, server_default="0"),
    # The service answered (an image, a refusal, "cannot serve this"): not a failure.
    Column("failed_transient", Integer, nullable=False, server_default="0"),  # 5xx, network
    Column("failed_rate_limited", Integer, nullable=False, server_default="0"),  # 429
    Column("failed_timeout", Integer, nullable=False, server_default="0"),
    Column("failed_permanent", Integer, nullable=False, server_default="0"),  # bad key, 4xx
    Column("latency_sum_ms", BigInteger, nullable=False, server_default="0"),
    Column("latency_max_ms", Integer, nullable=False, server_default="0"),
    *(
        Column(f"latency_le_{bound}s", Integer, nullable=False, server_default="0")
        for bound in HEALTH_LATENCY_BUCKETS_S
    ),
    Index("ix_provider_health_bucket_start", "bucket_start"),
)

# Each worker's view of each service's circuit, rewritten at every flush; a row not
# updated for a while belongs to a worker that stopped and is ignored by readers.
provider_circuits = Table(
    "provider_circuits",
    metadata,
    Column("worker_id", String(128), primary_key=True),
    Column("provider", String(32), primary_key=True),
    Column("open", Boolean, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
