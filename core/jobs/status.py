"""A job's status and the one table of the moves between statuses.

A job is inserted ``queued``; a worker's claim makes it ``running``; a running job ends
``succeeded``, goes back to ``queued`` (a retry, a shutdown, an expired lease), or ends
``failed`` or ``cancelled`` like a queued one can. The three endings are final.

Every UPDATE of ``jobs.status`` guards on the statuses the row may move from, and those
guards come from :data:`TRANSITIONS`: SQLAlchemy statements are built by
:func:`status_update`; the few statements written as SQL text (``core.jobs.store``, the
accept function of migration 0014) are checked against the table by
tests/unit/test_job_status.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from sqlalchemy import Update, update

from core.db.tables import jobs


class JobStatus(StrEnum):
    """The values of ``jobs.status`` (the column's CHECK lists the same)."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return not TRANSITIONS[self]


INITIAL_STATUS = JobStatus.QUEUED

# status -> the statuses it may move to
TRANSITIONS: Mapping[JobStatus, frozenset[JobStatus]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING, JobStatus.FAILED, JobStatus.CANCELLED}),
    JobStatus.RUNNING: frozenset(
        {JobStatus.SUCCEEDED, JobStatus.QUEUED, JobStatus.FAILED, JobStatus.CANCELLED}
    ),
    JobStatus.SUCCEEDED: frozenset(),
    JobStatus.FAILED: frozenset(),
    JobStatus.CANCELLED: frozenset(),
}

FINAL_STATUSES = tuple(s for s in JobStatus if s.is_final)
ACTIVE_STATUSES = tuple(s for s in JobStatus if not s.is_final)  # queued or running


class InvalidTransition(ValueError):
    """A move the transition table does not allow: a programming error."""


def may_move(source: JobStatus, target: JobStatus) -> bool:
    return target in TRANSITIONS[source]


def may_move_from(target: JobStatus) -> frozenset[JobStatus]:
    """The statuses a job may be in to move to ``target``."""
    return frozenset(s for s, targets in TRANSITIONS.items() if target in targets)


def sorted_statuses(statuses: Iterable[JobStatus]) -> list[JobStatus]:
    """In declaration order (queued first): stable SQL for the same set."""
    chosen = set(statuses)
    return [s for s in JobStatus if s in chosen]


def status_update(target: JobStatus, *, only_from: Iterable[JobStatus] | None = None) -> Update:
    """``UPDATE jobs SET status = target WHERE status IN (...)``, guarded by every status the
    table lets move to ``target``, or by ``only_from`` when the caller allows fewer.
    Callers add their own conditions (the job, the worker) and values.

    Raises:
        InvalidTransition: ``only_from`` names a status that may not move to ``target``.
    """
    allowed = may_move_from(target)
    sources = allowed if only_from is None else frozenset(only_from)
    if not sources or not sources <= allowed:
        forbidden = ", ".join(sorted_statuses(sources - allowed)) or "nothing"
        raise InvalidTransition(f"a job may not move from {forbidden} to {target}")
    ordered = sorted_statuses(sources)
    guard = jobs.c.status == ordered[0] if len(ordered) == 1 else jobs.c.status.in_(ordered)
    return update(jobs).where(guard).values(status=target)
