"""A worker's timings and limits (``bot.bootstrap`` builds them from the environment)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WorkerSettings:
    concurrency: int = 2
    job_timeout_s: float = 300.0  # one attempt, all routes included
    job_deadline_s: float = 1800.0  # from submission to the end, whatever happens between
    heartbeat_interval_s: float = 5.0
    reconcile_interval_s: float = 2.0  # recovery of expired leases
    sweep_interval_s: float = 10.0  # lost wake-ups, undelivered events
    retry_base_delay_s: float = 2.0
    retry_max_delay_s: float = 60.0
    busy_retry_delay_s: float = 1.0  # every route at its concurrency cap
    redeliver_after_s: float = 30.0  # an ended job no adapter took is announced again
    redeliver_for_s: float = 24 * 3600.0
    link_ttl_s: int = 7 * 24 * 3600
    receive_timeout_s: float = 1.0
    health_flush_interval_s: float = 10.0  # provider health and circuits to the database
    health_prune_interval_s: float = 3600.0  # old health buckets deleted

    @property
    def lease_s(self) -> float:
        # A dead worker's jobs are back in the queue within two heartbeat intervals.
        return self.heartbeat_interval_s * 1.5
