"""What the operator dashboard shows, read from the database (the one store every
process shares): jobs per hour by outcome, the queue, provider health and circuits (as
workers wrote them, ``core.observability.health``), credits sold, spent and refunded,
revenue by currency, active users and the commonest error codes. One account's page is
``core.observability.account_lookup``.

Every function takes a connection and ``now`` (tests pass a fixed one); windows are
``[now - window, now]``. Results are frozen dataclasses, ready for a template or for
the accessible tables under the charts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, case, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.db.tables import (
    HEALTH_LATENCY_BUCKETS_S,
    jobs,
    ledger_entries,
    payments,
    provider_circuits,
    provider_health,
)
from core.jobs.status import FINAL_STATUSES, JobStatus
from core.ledger.reasons import Reason
from core.observability.health import CIRCUIT_STALE_S

DAY = timedelta(hours=24)
WEEK = timedelta(days=7)
HEALTH_WINDOW = timedelta(hours=1)

# Ledger reasons by what they mean for the dashboard's credit flow.
SOLD_REASONS = (Reason.PURCHASE, Reason.SUBSCRIPTION, Reason.STARS_PURCHASE)
GIVEN_REASONS = (Reason.WELCOME, Reason.PROMO, Reason.ADMIN_GRANT)
# Credits taken back because the money went back (a card refund or dispute, a Stars refund).
REVERSAL_REASONS = (Reason.PAYMENT_REVERSAL, Reason.STARS_REFUND)


@dataclass(frozen=True, slots=True)
class JobsHour:
    hour_start: datetime  # UTC, on the hour
    succeeded: int
    failed: int
    cancelled: int

    @property
    def total(self) -> int:
        return self.succeeded + self.failed + self.cancelled


@dataclass(frozen=True, slots=True)
class QueueView:
    queued_jobs: int
    running_jobs: int
    oldest_queued_age_s: float | None  # None when nothing waits


@dataclass(frozen=True, slots=True)
class ProviderHealthView:
    provider: str
    requests: int
    failed_transient: int
    failed_rate_limited: int
    failed_timeout: int
    failed_permanent: int
    latency_mean_ms: float | None
    latency_max_ms: int
    # The smallest latency bucket bound holding at least half the requests (p50 or
    # better); None with no requests, or when half took longer than the last bound.
    latency_p50_at_most_s: float | None
    circuit_open_workers: int  # workers (with a fresh row) whose circuit is open
    circuit_workers: int  # workers with a fresh row for this provider

    @property
    def failures(self) -> int:
        return (
            self.failed_transient
            + self.failed_rate_limited
            + self.failed_timeout
            + self.failed_permanent
        )

    @property
    def failure_rate(self) -> float:
        return self.failures / self.requests if self.requests else 0.0

    @property
    def circuit_open(self) -> bool:
        return self.circuit_open_workers > 0


@dataclass(frozen=True, slots=True)
class CreditFlow:
    sold_credits: int  # purchases, subscriptions, Stars
    given_credits: int  # welcome, promo codes, operator grants
    spent_credits: int  # jobs (positive number)
    refunded_credits: int  # failed or cancelled jobs given back
    reversed_credits: int  # taken back with a payment refund or dispute (positive)


@dataclass(frozen=True, slots=True)
class Revenue:
    currency: str  # "usd", "xtr" (Telegram Stars)
    amount_minor: int  # gross, in the currency's minor unit (cents; Stars)
    payments: int


@dataclass(frozen=True, slots=True)
class ActiveUsers:
    last_24h: int  # accounts with a job created in the last 24 h
    last_7d: int


@dataclass(frozen=True, slots=True)
class ErrorCount:
    code: str
    jobs: int


@dataclass(frozen=True, slots=True)
class DashboardOverview:
    at: datetime
    jobs_per_hour: tuple[JobsHour, ...]  # 24 hours, oldest first, the current one last
    queue: QueueView
    providers: tuple[ProviderHealthView, ...]  # by name
    credits_24h: CreditFlow
    revenue_24h: tuple[Revenue, ...]  # by currency
    revenue_30d: tuple[Revenue, ...]
    active_users: ActiveUsers
    top_errors_24h: tuple[ErrorCount, ...]


# -- the reads ---------------------------------------------------------------------------


def _hour_key(conn: AsyncConnection, column):
    """The UTC hour of ``column`` as 'YYYY-MM-DD HH' text, on either backend."""
    if conn.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD HH24")
    return func.strftime("%Y-%m-%d %H", column)


async def jobs_per_hour(conn: AsyncConnection, now: datetime) -> tuple[JobsHour, ...]:
    """Jobs that ended in each of the last 24 hours (by ``finished_at``), by outcome."""
    current = now.replace(minute=0, second=0, microsecond=0)
    first = current - timedelta(hours=23)
    hour = _hour_key(conn, jobs.c.finished_at).label("hour")
    rows = await conn.execute(
        select(hour, jobs.c.status, func.count())
        .where(jobs.c.finished_at >= first, jobs.c.finished_at <= now)
        .where(jobs.c.status.in_(FINAL_STATUSES))
        .group_by(literal_column("hour"), jobs.c.status)
    )
    counts: dict[tuple[str, str], int] = {(h, s): int(n) for h, s, n in rows}
    found = []
    for i in range(24):
        start = first + timedelta(hours=i)
        key = start.strftime("%Y-%m-%d %H")
        found.append(
            JobsHour(
                hour_start=start,
                succeeded=counts.get((key, JobStatus.SUCCEEDED), 0),
                failed=counts.get((key, JobStatus.FAILED), 0),
                cancelled=counts.get((key, JobStatus.CANCELLED), 0),
            )
        )
    return tuple(found)


async def queue_view(conn: AsyncConnection, now: datetime) -> QueueView:
    rows = await conn.execute(
        select(jobs.c.status, func.count(), func.min(jobs.c.created_at))
        .where(jobs.c.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)))
        .group_by(jobs.c.status)
    )
    by_status = {status: (int(count), oldest) for status, count, oldest in rows}
    queued, oldest = by_status.get(JobStatus.QUEUED, (0, None))
    age_s = None if oldest is None else max(0.0, (now - oldest).total_seconds())
    return QueueView(
        queued_jobs=queued,
        running_jobs=by_status.get(JobStatus.RUNNING, (0, None))[0],
        oldest_queued_age_s=age_s,
    )


async def provider_health_view(
    conn: AsyncConnection,
    now: datetime,
    *,
    window: timedelta = HEALTH_WINDOW,
    stale_s: float = CIRCUIT_STALE_S,
) -> tuple[ProviderHealthView, ...]:
    """Each provider's calls in ``window`` (summed over workers) and its circuit as the
    workers that wrote in the last ``stale_s`` see it."""
    h = provider_health.c
    le_columns = [h[f"latency_le_{bound}s"] for bound in HEALTH_LATENCY_BUCKETS_S]
    sums = await conn.execute(
        select(
            h.provider,
            func.sum(h.requests),
            func.sum(h.failed_transient),
            func.sum(h.failed_rate_limited),
            func.sum(h.failed_timeout),
            func.sum(h.failed_permanent),
            func.sum(h.latency_sum_ms),
            func.max(h.latency_max_ms),
            *(func.sum(c) for c in le_columns),
        )
        .where(h.bucket_start >= now - window, h.bucket_start <= now)
        .group_by(h.provider)
    )
    c = provider_circuits.c
    circuits = await conn.execute(
        select(c.provider, func.count(), func.sum(_as_int(c.open)))
        .where(c.updated_at >= now - timedelta(seconds=stale_s))
        .group_by(c.provider)
    )
    workers = {name: (int(total), int(opened or 0)) for name, total, opened in circuits}
    views: dict[str, ProviderHealthView] = {}
    for row in sums:
        name, requests, transient, limited, timeout, permanent, sum_ms, max_ms = row[:8]
        requests = int(requests or 0)
        total, opened = workers.get(name, (0, 0))
        views[name] = ProviderHealthView(
            provider=name,
            requests=requests,
            failed_transient=int(transient or 0),
            failed_rate_limited=int(limited or 0),
            failed_timeout=int(timeout or 0),
            failed_permanent=int(permanent or 0),
            latency_mean_ms=int(sum_ms or 0) / requests if requests else None,
            latency_max_ms=int(max_ms or 0),
            latency_p50_at_most_s=_p50_bound(requests, [int(n or 0) for n in row[8:]]),
            circuit_open_workers=opened,
            circuit_workers=total,
        )
    for name, (total, opened) in workers.items():  # known to a worker, no calls lately
        if name not in views:
            views[name] = ProviderHealthView(
                provider=name,
                requests=0,
                failed_transient=0,
                failed_rate_limited=0,
                failed_timeout=0,
                failed_permanent=0,
                latency_mean_ms=None,
                latency_max_ms=0,
                latency_p50_at_most_s=None,
                circuit_open_workers=opened,
                circuit_workers=total,
            )
    return tuple(views[name] for name in sorted(views))


def _as_int(column):
    return case((column.is_(True), 1), else_=0).cast(Integer)


def _p50_bound(requests: int, cumulative: list[int]) -> float | None:
    if not requests:
        return None
    for bound, count in zip(HEALTH_LATENCY_BUCKETS_S, cumulative, strict=True):
        if count * 2 >= requests:
            return float(bound)
    return None


async def credit_flow(conn: AsyncConnection, since: datetime, now: datetime) -> CreditFlow:
    rows = await conn.execute(
        select(ledger_entries.c.reason, func.sum(ledger_entries.c.amount_credits))
        .where(ledger_entries.c.created_at >= since, ledger_entries.c.created_at <= now)
        .group_by(ledger_entries.c.reason)
    )
    by_reason = {reason: int(total or 0) for reason, total in rows}

    def total(reasons) -> int:
        return sum(by_reason.get(r, 0) for r in reasons)

    return CreditFlow(
        sold_credits=total(SOLD_REASONS),
        given_credits=total(GIVEN_REASONS),
        spent_credits=-by_reason.get(Reason.SPEND, 0),
        refunded_credits=by_reason.get(Reason.REFUND, 0),
        reversed_credits=-total(REVERSAL_REASONS),
    )


async def revenue(conn: AsyncConnection, since: datetime, now: datetime) -> tuple[Revenue, ...]:
    rows = await conn.execute(
        select(payments.c.currency, func.sum(payments.c.amount_minor), func.count())
        .where(payments.c.created_at >= since, payments.c.created_at <= now)
        .group_by(payments.c.currency)
        .order_by(payments.c.currency)
    )
    return tuple(Revenue(currency, int(amount or 0), int(n)) for currency, amount, n in rows)


async def active_users(conn: AsyncConnection, now: datetime) -> ActiveUsers:
    def since(delta: timedelta):
        return (
            select(func.count(func.distinct(jobs.c.account_id)))
            .where(jobs.c.created_at >= now - delta, jobs.c.created_at <= now)
            .scalar_subquery()
        )

    row = (await conn.execute(select(since(DAY), since(WEEK)))).one()
    return ActiveUsers(last_24h=int(row[0]), last_7d=int(row[1]))


async def top_error_codes(
    conn: AsyncConnection, since: datetime, now: datetime, *, limit: int = 10
) -> tuple[ErrorCount, ...]:
    """The commonest ``error_code`` of jobs that ended in the window, most first."""
    count = func.count().label("n")
    rows = await conn.execute(
        select(jobs.c.error_code, count)
        .where(jobs.c.error_code.is_not(None))
        .where(jobs.c.finished_at >= since, jobs.c.finished_at <= now)
        .group_by(jobs.c.error_code)
        .order_by(count.desc(), jobs.c.error_code)
        .limit(limit)
    )
    return tuple(ErrorCount(code, int(n)) for code, n in rows)


async def overview(conn: AsyncConnection, now: datetime) -> DashboardOverview:
    return DashboardOverview(
        at=now,
        jobs_per_hour=await jobs_per_hour(conn, now),
        queue=await queue_view(conn, now),
        providers=await provider_health_view(conn, now),
        credits_24h=await credit_flow(conn, now - DAY, now),
        revenue_24h=await revenue(conn, now - DAY, now),
        revenue_30d=await revenue(conn, now - timedelta(days=30), now),
        active_users=await active_users(conn, now),
        top_errors_24h=await top_error_codes(conn, now - DAY, now),
    )
