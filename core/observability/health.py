"""Provider health shared between processes: each worker counts its provider calls in
memory (per service and minute) and upserts them in one batch every few seconds and on
shutdown, together with its circuit breaker's state per service. Any process (the web
dashboard, ``/metrics``) reads them back from the database, the one store every
deployment has.

The circuit rows double as the workers' heartbeat: every worker has at least the
offline ``local`` provider, so each flush (every 10 s, busy or idle) rewrites its rows,
and a clean stop deletes them (``retire``). ``worker_heartbeats`` reads them back.

The counts are additive (an upsert adds to the minute's row), so every worker writes
into the same rows, and a window's counts are sums: they map onto Prometheus counters
and a histogram with the buckets of ``HEALTH_LATENCY_BUCKETS_S``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.clock import utcnow
from core.db.engine import UnitOfWorkFactory, insert_for
from core.db.tables import HEALTH_LATENCY_BUCKETS_S, provider_circuits, provider_health

log = logging.getLogger("seedream.health")

# How a provider call ended, as far as health goes. A refusal or "cannot serve this
# request" is an answer: the service works.
CALL_OUTCOMES = ("ok", "transient", "rate_limited", "timeout", "permanent")
_FAILURE_COLUMNS = {
    "transient": "failed_transient",
    "rate_limited": "failed_rate_limited",
    "timeout": "failed_timeout",
    "permanent": "failed_permanent",
}
HEALTH_KEEP_S = 48 * 3600.0  # buckets older than this are pruned
CIRCUIT_STALE_S = 120.0  # a circuit row older than this is a stopped worker's: ignored


def minute_of(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)


@dataclass
class _Bucket:
    requests: int = 0
    failed_transient: int = 0
    failed_rate_limited: int = 0
    failed_timeout: int = 0
    failed_permanent: int = 0
    latency_sum_ms: int = 0
    latency_max_ms: int = 0

    def __post_init__(self) -> None:
        self.le = [0] * len(HEALTH_LATENCY_BUCKETS_S)

    def add(self, other: _Bucket) -> None:
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.latency_max_ms = max(self.latency_max_ms, other.latency_max_ms)
        self.le = [a + b for a, b in zip(self.le, other.le, strict=True)]

    def values(self) -> dict[str, int]:
        found = {name: getattr(self, name) for name in (*_COUNTS, "latency_max_ms")}
        for bound, count in zip(HEALTH_LATENCY_BUCKETS_S, self.le, strict=True):
            found[f"latency_le_{bound}s"] = count
        return found


_COUNTS = (
    "requests",
    "failed_transient",
    "failed_rate_limited",
    "failed_timeout",
    "failed_permanent",
    "latency_sum_ms",
)


class HealthRecorder:
    """One worker's provider health: ``record`` is called per provider request (no
    I/O), ``flush`` writes what was counted since the last flush and the circuit states
    (``circuits()``: provider name -> open), ``prune`` drops old buckets."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        *,
        worker_id: str,
        circuits: Callable[[], dict[str, bool]] = dict,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._uow = uow
        self.worker_id = worker_id
        self.circuits = circuits
        self._clock = clock
        self._pending: dict[tuple[str, datetime], _Bucket] = {}

    def record(self, provider: str, outcome: str, duration_s: float) -> None:
        if outcome not in CALL_OUTCOMES:
            raise ValueError(f"unknown provider call outcome {outcome!r}")
        key = (provider, minute_of(self._clock()))
        bucket = self._pending.get(key)
        if bucket is None:
            bucket = self._pending[key] = _Bucket()
        latency_ms = max(0, round(duration_s * 1000))
        bucket.requests += 1
        if outcome != "ok":
            column = _FAILURE_COLUMNS[outcome]
            setattr(bucket, column, getattr(bucket, column) + 1)
        bucket.latency_sum_ms += latency_ms
        bucket.latency_max_ms = max(bucket.latency_max_ms, latency_ms)
        for i, bound in enumerate(HEALTH_LATENCY_BUCKETS_S):
            if latency_ms <= bound * 1000:
                bucket.le[i] += 1

    @property
    def pending(self) -> int:
        """Buckets counted and not yet written."""
        return len(self._pending)

    async def flush(self) -> None:
        """Write the counted buckets (added to what other workers wrote) and this
        worker's circuit states, in one transaction. On an error the counts are kept
        for the next flush."""
        pending, self._pending = self._pending, {}
        circuits = self.circuits()
        now = self._clock()
        try:
            async with self._uow() as uow:
                await _upsert_buckets(uow.conn, pending.items())
                await _upsert_circuits(uow.conn, self.worker_id, circuits, now)
                await uow.commit()
        except BaseException:
            for key, bucket in pending.items():  # counted since: add them back together
                kept = self._pending.setdefault(key, _Bucket())
                kept.add(bucket)
            raise

    async def retire(self) -> None:
        """A clean stop: delete this worker's circuit rows, so readers do not take it
        for a worker that died (whose rows stay until pruned)."""
        async with self._uow() as uow:
            await uow.conn.execute(
                delete(provider_circuits).where(provider_circuits.c.worker_id == self.worker_id)
            )
            await uow.commit()

    async def prune(self, *, keep_s: float = HEALTH_KEEP_S) -> int:
        """Delete buckets older than ``keep_s`` and circuit rows not written for as long
        (every worker runs this; deleting twice is harmless). Returns rows deleted."""
        cutoff = self._clock() - timedelta(seconds=keep_s)
        async with self._uow() as uow:
            old = await uow.conn.execute(
                delete(provider_health).where(provider_health.c.bucket_start < cutoff)
            )
            gone = await uow.conn.execute(
                delete(provider_circuits).where(provider_circuits.c.updated_at < cutoff)
            )
            await uow.commit()
        return old.rowcount + gone.rowcount


async def worker_heartbeats(conn: AsyncConnection, *, since: datetime) -> dict[str, datetime]:
    """Each worker's last heartbeat (its newest circuit row), for those written after
    ``since``."""
    last = func.max(provider_circuits.c.updated_at)
    query = (
        select(provider_circuits.c.worker_id, last)
        .where(provider_circuits.c.updated_at > since)
        .group_by(provider_circuits.c.worker_id)
    )
    return {worker: at for worker, at in (await conn.execute(query)).all()}


async def _upsert_buckets(
    conn: AsyncConnection, buckets: Iterable[tuple[tuple[str, datetime], _Bucket]]
) -> None:
    greatest = func.greatest if conn.dialect.name == "postgresql" else func.max
    for (provider, minute), bucket in sorted(buckets, key=lambda item: item[0]):
        values = bucket.values()
        stmt = insert_for(conn, provider_health).values(
            provider=provider, bucket_start=minute, **values
        )
        added = {
            name: provider_health.c[name] + stmt.excluded[name]
            for name in values
            if name != "latency_max_ms"
        }
        added["latency_max_ms"] = greatest(
            provider_health.c.latency_max_ms, stmt.excluded.latency_max_ms
        )
        await conn.execute(
            stmt.on_conflict_do_update(index_elements=["provider", "bucket_start"], set_=added)
        )


async def _upsert_circuits(
    conn: AsyncConnection, worker_id: str, circuits: dict[str, bool], now: datetime
) -> None:
    if not circuits:
        return
    stmt = insert_for(conn, provider_circuits).values(
        [
            {"worker_id": worker_id, "provider": name, "open": is_open, "updated_at": now}
            for name, is_open in sorted(circuits.items())
        ]
    )
    await conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["worker_id", "provider"],
            set_={"open": stmt.excluded.open, "updated_at": stmt.excluded.updated_at},
        )
    )
