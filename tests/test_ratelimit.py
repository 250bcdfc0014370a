"""The per-client token bucket: a burst goes through, then one message per refill interval."""

from __future__ import annotations

import pytest

from bot.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_goes_through_then_the_bucket_refills_one_per_interval() -> None:
    clock = Clock()
    limiter = RateLimiter(burst=20, refill_s=1.0, clock=clock)

    assert [limiter.try_acquire("sam") for _ in range(20)] == [0.0] * 20
    assert limiter.try_acquire("sam") == pytest.approx(1.0)
    clock.now += 0.25
    assert limiter.try_acquire("sam") == pytest.approx(0.75)
    clock.now += 0.75
    assert limiter.try_acquire("sam") == 0.0
    assert limiter.try_acquire("sam") == pytest.approx(1.0)


def test_steady_typing_is_never_refused_and_clients_do_not_share_a_bucket() -> None:
    clock = Clock()
    limiter = RateLimiter(burst=20, refill_s=1.0, clock=clock)
    # A message every two seconds for ten minutes: faster than anyone types for that long.
    for _ in range(300):
        assert limiter.try_acquire("sam") == 0.0
        clock.now += 2.0
    assert [limiter.try_acquire("flood") for _ in range(21)][-1] > 0
    assert limiter.try_acquire("sam") == 0.0


def test_the_bucket_never_holds_more_than_the_burst() -> None:
    clock = Clock()
    limiter = RateLimiter(burst=3, refill_s=1.0, clock=clock)
    limiter.try_acquire("sam")
    clock.now += 3600
    assert [limiter.try_acquire("sam") for _ in range(4)][-1] == pytest.approx(1.0)


@pytest.mark.parametrize(("burst", "refill_s"), [(0, 1.0), (5, 0.0)])
def test_a_limit_that_would_refuse_everything_is_rejected(burst: int, refill_s: float) -> None:
    with pytest.raises(ValueError, match="burst"):
        RateLimiter(burst, refill_s)
