"""Context for log records: the job being worked on, set by core code and read by the
log formatters in ``bot.logs`` (core never imports bot)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

job_id_var: ContextVar[str | None] = ContextVar("seedream_job_id", default=None)


@contextlib.contextmanager
def job_context(job_id: str) -> Iterator[None]:
    """Tag every log record emitted inside the block (this task only) with ``job_id``."""
    token = job_id_var.set(job_id)
    try:
        yield
    finally:
        job_id_var.reset(token)
