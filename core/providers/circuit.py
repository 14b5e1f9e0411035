"""A per-provider circuit breaker, per worker process: after ``failure_threshold``
transient failures within ``window_s`` the provider is skipped for ``cooldown_s``
(its routes fail over to the next), then one trial request decides."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class _State:
    failures: list[float] = field(default_factory=list)
    open_until: float = 0.0
    trial_running: bool = False


class CircuitBreaker:
    def __init__(
        self,
        *,
        failure_threshold: int = 5,
        window_s: float = 60.0,
        cooldown_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._threshold = failure_threshold
        self._window_s = window_s
        self._cooldown_s = cooldown_s
        self._clock = clock
        self._states: dict[str, _State] = {}

    def allow(self, name: str) -> bool:
        """May a request go to ``name`` now? (After the cool-down: one trial at a time.)"""
        state = self._states.get(name)
        if state is None or state.open_until == 0.0:
            return True
        if self._clock() < state.open_until or state.trial_running:
            return False
        state.trial_running = True
        return True

    def is_open(self, name: str) -> bool:
        state = self._states.get(name)
        return state is not None and state.open_until != 0.0

    def record_success(self, name: str) -> None:
        self._states.pop(name, None)

    def record_failure(self, name: str) -> None:
        state = self._states.setdefault(name, _State())
        now = self._clock()
        if state.trial_running or state.open_until:
            state.trial_running = False
            state.open_until = now + self._cooldown_s
            return
        state.failures = [t for t in state.failures if now - t < self._window_s] + [now]
        if len(state.failures) >= self._threshold:
            state.open_until = now + self._cooldown_s
            state.failures.clear()
