"""The per-provider circuit breaker, on an injected clock: it opens after failures,
lets one trial through after the cool-down, and that trial always settles, whatever
way its block is left (a verdict, no verdict, an error, a cancellation), or is
forgotten after its time limit."""

from __future__ import annotations

import asyncio

import pytest

from core.providers.circuit import CircuitBreaker


class Clock:
    def __init__(self) -> None:
        self.now_s = 0.0

    def __call__(self) -> float:
        return self.now_s


def _opened(clock: Clock, **kwargs) -> CircuitBreaker:
    """A breaker whose provider "p" has just failed past its threshold (cool-down 30 s)."""
    breaker = CircuitBreaker(failure_threshold=2, window_s=60, cooldown_s=30, clock=clock, **kwargs)
    for _ in range(2):
        with breaker.attempt("p") as permit:
            permit.failed()
    return breaker


def _trial_possible(breaker: CircuitBreaker) -> bool:
    """Would a request go to "p" now? (The probe's own trial is released unjudged.)"""
    with breaker.attempt("p") as permit:
        return permit is not None


def test_circuit_opens_after_failures_and_recovers_after_a_trial():
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=3, window_s=60, cooldown_s=30, clock=clock)
    for _ in range(2):
        with breaker.attempt("p") as permit:
            permit.failed()
    assert _trial_possible(breaker) and not breaker.is_open("p")
    with breaker.attempt("p") as permit:
        permit.failed()
    assert breaker.is_open("p") and not _trial_possible(breaker)
    clock.now_s = 31.0
    with breaker.attempt("p") as trial:  # one trial after the cool-down...
        assert trial is not None
        with breaker.attempt("p") as second:  # ...and only one at a time
            assert second is None
        trial.failed()  # the trial failed: open again for a cool-down
    clock.now_s = 45.0
    assert not _trial_possible(breaker)
    clock.now_s = 62.0
    with breaker.attempt("p") as trial:
        trial.succeeded()
    assert not breaker.is_open("p")
    with breaker.attempt("p") as a, breaker.attempt("p") as b, breaker.attempt("other") as c:
        assert None not in (a, b, c)  # closed: no limit on requests in flight


def test_a_trial_left_without_a_verdict_is_released():
    """E.g. the provider's concurrency cap was full: nothing was learnt, the next
    caller may try."""
    clock = Clock()
    breaker = _opened(clock)
    clock.now_s = 31.0
    with breaker.attempt("p") as trial:
        assert trial is not None
    assert breaker.is_open("p")  # no verdict: still open...
    assert _trial_possible(breaker)  # ...but the next caller may trial


@pytest.mark.parametrize("error", [RuntimeError("bug"), ValueError("permanent")])
def test_a_trial_left_by_an_error_is_released(error):
    clock = Clock()
    breaker = _opened(clock)
    clock.now_s = 31.0
    with pytest.raises(type(error)), breaker.attempt("p") as trial:
        assert trial is not None
        raise error
    assert _trial_possible(breaker)


async def test_a_cancelled_trial_is_released():
    clock = Clock()
    breaker = _opened(clock)
    clock.now_s = 31.0
    entered = asyncio.Event()

    async def hangs() -> None:
        with breaker.attempt("p") as trial:
            assert trial is not None
            entered.set()
            await asyncio.Event().wait()

    task = asyncio.create_task(hangs())
    await entered.wait()
    assert not _trial_possible(breaker)  # the trial is running
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert _trial_possible(breaker)


def test_a_successful_trial_closes_and_a_failed_one_reopens():
    clock = Clock()
    breaker = _opened(clock)
    clock.now_s = 31.0
    with breaker.attempt("p") as trial:
        trial.failed()
    assert not _trial_possible(breaker)
    clock.now_s = 62.0
    with breaker.attempt("p") as trial:
        trial.succeeded()
    assert not breaker.is_open("p")


def test_a_trial_that_never_reports_is_forgotten_after_its_time_limit():
    clock = Clock()
    breaker = _opened(clock)
    clock.now_s = 31.0
    stuck = breaker.attempt("p", time_limit_s=10)
    assert stuck.__enter__() is not None  # entered, never left (a lost task)
    clock.now_s = 40.0
    assert not _trial_possible(breaker)  # within its time limit: still the trial
    clock.now_s = 41.5
    late = breaker.attempt("p")
    assert late.__enter__() is not None  # forgotten: a new trial may run
    stuck.__exit__(None, None, None)  # the old one ends at last, unjudged...
    assert not _trial_possible(breaker)  # ...and does not release the new trial
    late.__exit__(None, None, None)
    assert _trial_possible(breaker)


def test_the_default_time_limit_applies():
    clock = Clock()
    breaker = _opened(clock, trial_time_limit_s=5)
    clock.now_s = 31.0
    stuck = breaker.attempt("p")  # entered, never left
    assert stuck.__enter__() is not None
    clock.now_s = 35.0
    assert not _trial_possible(breaker)
    clock.now_s = 36.1
    assert _trial_possible(breaker)
