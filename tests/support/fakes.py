"""Hand-written fakes at the narrow ports (no mock.patch)."""

from __future__ import annotations

import asyncio

from core.errors import ProviderError
from core.providers import GenerationResult, GenerationSpec
from core.types import JobEvent


class FailingProvider:
    """A provider that always raises ``error``; records how often it was called."""

    name = "failing"

    def __init__(self, error: ProviderError) -> None:
        self.error = error
        self.calls = 0

    async def generate(self, spec: GenerationSpec) -> GenerationResult:
        self.calls += 1
        raise self.error


class CountingProvider:
    """Wraps a provider and counts the calls that reach it."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.calls = 0

    async def generate(self, spec: GenerationSpec) -> GenerationResult:
        self.calls += 1
        return await self.inner.generate(spec)


class RecordingDelivery:
    """A delivery handler that records events and lets a test await a terminal one."""

    def __init__(self) -> None:
        self.events: list[JobEvent] = []
        self._changed = asyncio.Condition()

    async def __call__(self, event: JobEvent) -> None:
        async with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def kinds(self, job_id: str) -> list[str]:
        return [e.kind for e in self.events if e.job_id == job_id]

    async def wait_for(self, job_id: str, kind: str, *, timeout_s: float = 30.0) -> JobEvent:
        async with asyncio.timeout(timeout_s), self._changed:
            while True:
                for e in self.events:
                    if e.job_id == job_id and e.kind == kind:
                        return e
                await self._changed.wait()

    async def wait_for_notice(self, key: str, *, timeout_s: float = 10.0) -> JobEvent:
        """The first ``kind="notice"`` event with ``notice_key == key``."""
        async with asyncio.timeout(timeout_s), self._changed:
            while True:
                for e in self.events:
                    if e.kind == "notice" and e.notice_key == key:
                        return e
                await self._changed.wait()

    def notices(self, key: str) -> list[JobEvent]:
        return [e for e in self.events if e.kind == "notice" and e.notice_key == key]


class FlakyProvider:
    """Raises the given errors on its first calls, then delegates to ``inner``."""

    def __init__(self, inner, *, failures: list[ProviderError]) -> None:
        self.inner = inner
        self.name = inner.name
        self.failures = list(failures)
        self.calls = 0

    async def generate(self, spec: GenerationSpec) -> GenerationResult:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return await self.inner.generate(spec)
