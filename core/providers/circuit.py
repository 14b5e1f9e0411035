"""A per-provider circuit breaker, per worker process: after ``failure_threshold``
transient failures within ``window_s`` the provider is skipped for ``cooldown_s``
(its routes fail over to the next), then one trial request decides.

A request goes through ``attempt`` only::

    with breaker.attempt(name, time_limit_s=30) as permit:
        if permit is None:
            ...  # open (cooling down, or another request is the trial): skip
        ...  # call the provider, then permit.succeeded() or permit.failed()

The block always settles its trial: left without a verdict (the concurrency cap was
full, a bad request, a cancellation), the trial is released unjudged and the next
caller may try. A trial still running after its time limit (a task lost for good) is
forgotten, so the provider is never skipped forever.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class _State:
    failures: list[float] = field(default_factory=list)
    open_until: float = 0.0
    trial: int = 0  # the running trial's number, 0: none
    trial_expires_at: float = 0.0


class Permit:
    """The right to send one request; report what the provider said (at most once)."""

    def __init__(self, breaker: CircuitBreaker, name: str, trial: int) -> None:
        self._breaker, self._name, self.trial = breaker, name, trial
        self.judged = False

    def succeeded(self) -> None:
        """The provider answered (an image, or a refusal: it works)."""
        if not self.judged:
            self.judged = True
            self._breaker.record_success(self._name)

    def failed(self) -> None:
        """A transient failure or a timeout."""
        if not self.judged:
            self.judged = True
            self._breaker.record_failure(self._name)


class CircuitBreaker:
    def __init__(
        self,
        *,
        failure_threshold: int = 5,
        window_s: float = 60.0,
        cooldown_s: float = 30.0,
        trial_time_limit_s: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._threshold = failure_threshold
        self._window_s = window_s
        self._cooldown_s = cooldown_s
        self._trial_time_limit_s = trial_time_limit_s
        self._clock = clock
        self._states: dict[str, _State] = {}
        self._numbers = itertools.count(1)

    @contextmanager
    def attempt(self, name: str, *, time_limit_s: float | None = None) -> Iterator[Permit | None]:
        """A permit to call ``name`` now, or ``None`` while its circuit is open (after
        the cool-down: one trial at a time, for at most ``time_limit_s``)."""
        permit = self._take(name, time_limit_s or self._trial_time_limit_s)
        try:
            yield permit
        finally:
            if permit is not None and permit.trial and not permit.judged:
                self._release(name, permit.trial)

    def is_open(self, name: str) -> bool:
        state = self._states.get(name)
        return state is not None and state.open_until != 0.0

    def open_states(self, names: Iterable[str]) -> dict[str, bool]:
        """Whether each of ``names`` is open now (cooling down or on trial)."""
        return {name: self.is_open(name) for name in names}

    def record_success(self, name: str) -> None:
        self._states.pop(name, None)

    def record_failure(self, name: str) -> None:
        state = self._states.setdefault(name, _State())
        now = self._clock()
        if state.trial or state.open_until:
            state.trial = 0
            state.open_until = now + self._cooldown_s
            return
        state.failures = [t for t in state.failures if now - t < self._window_s] + [now]
        if len(state.failures) >= self._threshold:
            state.open_until = now + self._cooldown_s
            state.failures.clear()

    def _take(self, name: str, time_limit_s: float) -> Permit | None:
        state = self._states.get(name)
        if state is None or state.open_until == 0.0:
            return Permit(self, name, 0)
        now = self._clock()
        if now < state.open_until:
            return None
        if state.trial and now <= state.trial_expires_at:
            return None
        state.trial = next(self._numbers)  # a new trial, or one replacing a forgotten one
        state.trial_expires_at = now + time_limit_s
        return Permit(self, name, state.trial)

    def _release(self, name: str, trial: int) -> None:
        """End trial number ``trial`` without a verdict, unless a newer one replaced it."""
        state = self._states.get(name)
        if state is not None and state.trial == trial:
            state.trial = 0
