"""InProcessRateLimiter and InProcessConcurrencyCap against a clock the test moves."""

from __future__ import annotations

import pytest

from core.errors import RateLimited
from core.messaging.limits import (
    ConcurrencyCap,
    InProcessConcurrencyCap,
    InProcessRateLimiter,
    RateLimiter,
    check_rate,
)


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limiter(clock: FakeClock) -> RateLimiter:
    return InProcessRateLimiter(clock=clock)


@pytest.fixture
def cap(clock: FakeClock) -> ConcurrencyCap:
    return InProcessConcurrencyCap(clock=clock)


# -- rate limiter --------------------------------------------------------------------


async def test_allows_limit_then_refuses_with_time_until_the_oldest_leaves(limiter, clock):
    for _ in range(3):
        assert await limiter.hit("gen", "u1", limit=3, window_s=10) is None
        clock.advance(1)
    # events at 0, 1, 2; now 3: the one at 0 leaves the window at 10
    assert await limiter.hit("gen", "u1", limit=3, window_s=10) == pytest.approx(7)


async def test_refused_hits_are_not_counted(limiter, clock):
    assert await limiter.hit("gen", "u1", limit=1, window_s=10) is None
    for _ in range(5):
        clock.advance(1)
        assert await limiter.hit("gen", "u1", limit=1, window_s=10) is not None
    clock.advance(5)  # 10 s after the only counted event
    assert await limiter.hit("gen", "u1", limit=1, window_s=10) is None


async def test_the_window_slides_rather_than_resetting(limiter, clock):
    assert await limiter.hit("gen", "u1", limit=2, window_s=10) is None  # t=0
    clock.advance(6)
    assert await limiter.hit("gen", "u1", limit=2, window_s=10) is None  # t=6
    clock.advance(4)  # t=10: the first left, the second is still in
    assert await limiter.hit("gen", "u1", limit=2, window_s=10) is None
    assert await limiter.hit("gen", "u1", limit=2, window_s=10) == pytest.approx(6)
    clock.advance(5.5)
    assert await limiter.hit("gen", "u1", limit=2, window_s=10) == pytest.approx(0.5)
    clock.advance(0.5)
    assert await limiter.hit("gen", "u1", limit=2, window_s=10) is None


async def test_an_event_leaves_exactly_one_window_later(limiter, clock):
    assert await limiter.hit("gen", "u1", limit=1, window_s=2) is None
    clock.advance(1.75)
    assert await limiter.hit("gen", "u1", limit=1, window_s=2) == pytest.approx(0.25)
    clock.advance(0.25)
    assert await limiter.hit("gen", "u1", limit=1, window_s=2) is None


async def test_subjects_and_scopes_are_independent(limiter):
    assert await limiter.hit("gen", "u1", limit=1, window_s=10) is None
    assert await limiter.hit("gen", "u1", limit=1, window_s=10) is not None
    assert await limiter.hit("gen", "u2", limit=1, window_s=10) is None
    assert await limiter.hit("pay", "u1", limit=1, window_s=10) is None


async def test_a_lowered_limit_waits_for_enough_events_to_leave(limiter, clock):
    for _ in range(4):
        assert await limiter.hit("gen", "u1", limit=4, window_s=10) is None
        clock.advance(1)
    # events at 0..3, now 4; with limit 2 the one at 2 must leave (at 12)
    assert await limiter.hit("gen", "u1", limit=2, window_s=10) == pytest.approx(8)


async def test_retry_after_is_positive_at_float_boundaries(limiter, clock):
    clock.now = 0.1
    assert await limiter.hit("gen", "u1", limit=1, window_s=0.2) is None
    clock.now = 0.1 + 0.2 - 1e-12
    retry_after_s = await limiter.hit("gen", "u1", limit=1, window_s=0.2)
    assert retry_after_s is not None and retry_after_s > 0


async def test_check_rate_raises_rate_limited(limiter, clock):
    await check_rate(limiter, "gen", "u1", limit=1, window_s=30)
    clock.advance(10)
    with pytest.raises(RateLimited) as caught:
        await check_rate(limiter, "gen", "u1", limit=1, window_s=30)
    assert caught.value.retry_after_s == pytest.approx(20)
    assert caught.value.params == {"retry_after_s": 20}


async def test_idle_subjects_are_forgotten(clock):
    limiter = InProcessRateLimiter(clock=clock)
    for i in range(1023):
        await limiter.hit("gen", f"u{i}", limit=1, window_s=1)
    clock.advance(1)
    await limiter.hit("gen", "last", limit=1, window_s=1)  # the 1024th hit sweeps
    assert list(limiter._logs) == [("gen", "last")]


@pytest.mark.parametrize(("limit", "window_s"), [(0, 1), (-1, 1), (1, 0), (1, -2)])
async def test_rate_arguments_are_validated(limiter, limit, window_s):
    with pytest.raises(ValueError):
        await limiter.hit("gen", "u1", limit=limit, window_s=window_s)


# -- concurrency cap -----------------------------------------------------------------


async def test_cap_limit_is_respected(cap):
    assert await cap.acquire("gpu", "a", limit=2, lease_s=30)
    assert await cap.acquire("gpu", "b", limit=2, lease_s=30)
    assert not await cap.acquire("gpu", "c", limit=2, lease_s=30)
    assert await cap.held("gpu") == 2
    assert await cap.acquire("cpu", "c", limit=2, lease_s=30)  # another cap


async def test_cap_acquire_is_idempotent_and_renews_the_lease(cap, clock):
    assert await cap.acquire("gpu", "a", limit=1, lease_s=10)
    clock.advance(8)
    assert await cap.acquire("gpu", "a", limit=1, lease_s=10)
    assert await cap.held("gpu") == 1
    clock.advance(8)  # 16 s after the first acquire, 8 after the second
    assert await cap.held("gpu") == 1
    assert not await cap.acquire("gpu", "b", limit=1, lease_s=10)


async def test_cap_release_frees_a_slot(cap):
    assert await cap.acquire("gpu", "a", limit=1, lease_s=30)
    await cap.release("gpu", "a")
    await cap.release("gpu", "a")  # twice is harmless
    await cap.release("gpu", "never")
    assert await cap.held("gpu") == 0
    assert await cap.acquire("gpu", "b", limit=1, lease_s=30)


async def test_cap_expired_lease_frees_its_slot(cap, clock):
    assert await cap.acquire("gpu", "dead", limit=1, lease_s=10)
    clock.advance(9.5)
    assert not await cap.acquire("gpu", "b", limit=1, lease_s=10)
    clock.advance(0.5)
    assert await cap.held("gpu") == 0
    assert await cap.acquire("gpu", "b", limit=1, lease_s=10)


async def test_cap_refresh_extends_a_live_lease(cap, clock):
    assert await cap.acquire("gpu", "a", limit=1, lease_s=10)
    clock.advance(9)
    assert await cap.refresh("gpu", "a", lease_s=10)
    clock.advance(9)
    assert await cap.held("gpu") == 1


async def test_cap_refresh_of_an_expired_or_unknown_holder_is_false(cap, clock):
    assert await cap.acquire("gpu", "a", limit=1, lease_s=10)
    clock.advance(10)
    assert not await cap.refresh("gpu", "a", lease_s=10)
    assert not await cap.refresh("gpu", "nobody", lease_s=10)
    assert await cap.held("gpu") == 0


async def test_cap_refresh_after_release_is_false(cap):
    assert await cap.acquire("gpu", "a", limit=1, lease_s=10)
    await cap.release("gpu", "a")
    assert not await cap.refresh("gpu", "a", lease_s=10)


async def test_cap_forgets_empty_names(cap, clock):
    assert await cap.acquire("gpu", "a", limit=1, lease_s=10)
    await cap.release("gpu", "a")
    assert await cap.held("other") == 0
    assert cap._leases == {}


@pytest.mark.parametrize(("limit", "lease_s"), [(0, 1), (1, 0), (1, -1)])
async def test_cap_arguments_are_validated(cap, limit, lease_s):
    with pytest.raises(ValueError):
        await cap.acquire("gpu", "a", limit=limit, lease_s=lease_s)


async def test_cap_refresh_lease_is_validated(cap):
    with pytest.raises(ValueError):
        await cap.refresh("gpu", "a", lease_s=0)
