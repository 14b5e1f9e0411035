"""Every Redis key and stream name, in one place. ``prefix`` lets several deployments
(or test runs) share one Redis."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RedisKeys:
    prefix: str = "seedream"

    @property
    def jobs_stream(self) -> str:
        return f"{self.prefix}:jobs"

    @property
    def workers_group(self) -> str:
        return "workers"

    def events_stream(self, platform: str) -> str:
        return f"{self.prefix}:events:{platform}"

    @property
    def adapters_group(self) -> str:
        return "adapters"

    def delivered(self, job_id: str, kind: str) -> str:
        """Set once an event was handed to its chat: a redelivery is then skipped."""
        return f"{self.prefix}:delivered:{job_id}:{kind}"

    def rate(self, scope: str, subject: str) -> str:
        return f"{self.prefix}:rate:{scope}:{subject}"

    def cap(self, name: str) -> str:
        return f"{self.prefix}:cap:{name}"
