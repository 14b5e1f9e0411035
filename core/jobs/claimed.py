"""The row of a job a worker just claimed: what the runner reads, typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.jobs.status import JobStatus


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    """Every column of ``jobs`` as the claim left it (a test holds the fields and the
    columns equal): running, leased to ``worker_id`` until ``lease_expires_at``."""

    id: str
    account_id: int
    status: JobStatus
    model_id: str
    prompt: str
    negative_prompt: str | None
    enhance: bool
    enhanced_prompt: str | None
    aspect_ratio: str
    width_px: int
    height_px: int
    seed: int | None
    seed_used: int | None
    image_count: int
    cost_credits: int
    platform: str
    reply_target: str | None
    locale: str | None
    attempts: int  # this attempt's number, from 1
    max_attempts: int
    lease_expires_at: datetime
    worker_id: str
    provider_route: str | None
    error_code: str | None
    created_at: datetime
    started_at: datetime  # the first claim's time
    finished_at: datetime | None
    lane: int
    fair_vt: int
    max_running: int
    not_before: datetime | None
    notified_at: datetime | None
    delivered_at: datetime | None
    request_key: str | None
    source_image_id: str | None
    reference_upload_ids: str | None  # comma-separated uploads ids, in order

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> ClaimedJob:
        """From the claim's ``RETURNING`` row (an asyncpg record or a SQLAlchemy row's
        ``_mapping``).

        Raises:
            TypeError: the row's columns are not the fields (a column added to the table
                but not here).
        """
        values = dict(row)
        values["status"] = JobStatus(values["status"])
        return cls(**values)
