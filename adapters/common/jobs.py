"""Job texts every chat shows alike: the job accepted, its progress events, its
cancellation (by /cancel or by the worker)."""

from __future__ import annotations

from adapters.common.wording import Translate
from core import QUEUE_POSITION_CAP, AcceptedJob, JobEvent, JobView

JOB_ID_CHARS = 8  # a job is named by its id's first characters


def short_id(job_id: str) -> str:
    return job_id[:JOB_ID_CHARS]


def queued_text(t: Translate, job: AcceptedJob, *, key: str = "job.queued") -> str:
    """What /imagine, Reroll and the V buttons answer: cost, balance, queue position."""
    accepted = t(
        key,
        job_id=short_id(job.job_id),
        count=job.image_count,
        cost_credits=job.cost_credits,
        balance_credits=job.balance_credits,
    )
    return f"{accepted} {position_text(t, job.queue_position or 1)}"


def position_text(t: Translate, position: int) -> str:
    """The job's place in the queue; past the core's count, how many at least are
    ahead of it."""
    if position > QUEUE_POSITION_CAP:
        return t("job.queue_position_far", jobs_ahead=QUEUE_POSITION_CAP)
    return t("job.queue_position", position=position)


def started_text(t: Translate, event: JobEvent) -> str:
    return t("job.started", job_id=short_id(event.job_id))


def finished_text(t: Translate, event: JobEvent, *, key: str = "job.finished") -> str:
    """The headline of a result, and the note when --enhance could not be honoured."""
    text = t(key, job_id=short_id(event.job_id))
    return f"{text}\n{t('job.enhance_skipped')}" if event.enhance_skipped else text


def failed_text(t: Translate, event: JobEvent) -> str:
    """Why the job failed (the core's error key, ``error.provider`` without one) and the
    refund."""
    reason = t(event.error_key or "error.provider", **event.error_params)
    return t(
        "job.failed",
        job_id=short_id(event.job_id),
        reason=reason,
        refunded_credits=event.refunded_credits,
    )


def cancelled_text(t: Translate, job_id: str, refunded_credits: int) -> str:
    return t("job.cancelled", job_id=short_id(job_id), refunded_credits=refunded_credits)


def cancelled_job_text(t: Translate, job: JobView) -> str:
    """/cancel's answer: the job the core cancelled, refunded in full."""
    return cancelled_text(t, job.job_id, job.cost_credits)


def cancelled_event_text(t: Translate, event: JobEvent) -> str:
    return cancelled_text(t, event.job_id, event.refunded_credits)


def notice_text(t: Translate, event: JobEvent) -> str | None:
    """A ``notice`` event's text (a purchase landed, ...); None when it carries none."""
    return t(event.notice_key, **event.notice_params) if event.notice_key else None
