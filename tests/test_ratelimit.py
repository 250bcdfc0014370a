"""The per-client message limit, kept by `limits` in memory or in Redis: a burst goes through,
the next message waits for the window, clients never share a budget, and in Redis every
entry-point replica counts against the same one."""

from __future__ import annotations

import time
import uuid

import pytest

from bot.ratelimit import RateLimiter, rate_storage
from bot.web.auth import LoginLimiter

REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture(params=["memory", "redis"])
def storage_url(request: pytest.FixtureRequest) -> str:
    return "" if request.param == "memory" else REDIS


def _client() -> str:
    """A client id no other test (or earlier run against the same Redis) has used."""
    return f"client-{uuid.uuid4().hex}"


def test_a_burst_goes_through_then_the_next_waits_for_the_window(storage_url: str) -> None:
    limiter = RateLimiter(burst=3, refill_s=1.0, storage=rate_storage(storage_url))
    sam = _client()
    assert [limiter.try_acquire(sam) for _ in range(3)] == [0.0] * 3
    wait_s = limiter.try_acquire(sam)
    assert 0 < wait_s <= 4.0
    time.sleep(wait_s + 0.05)
    assert limiter.try_acquire(sam) == 0.0


def test_clients_do_not_share_a_budget(storage_url: str) -> None:
    limiter = RateLimiter(burst=2, refill_s=30.0, storage=rate_storage(storage_url))
    flood, sam = _client(), _client()
    assert [limiter.try_acquire(flood) > 0 for _ in range(3)] == [False, False, True]
    assert limiter.try_acquire(sam) == 0.0


def test_replicas_on_one_redis_share_each_clients_budget() -> None:
    # Two entry-point processes each make their own limiter on the same Redis.
    first = RateLimiter(burst=4, refill_s=30.0, storage=rate_storage(REDIS))
    second = RateLimiter(burst=4, refill_s=30.0, storage=rate_storage(REDIS))
    sam = _client()
    taken = [(first if n % 2 else second).try_acquire(sam) == 0.0 for n in range(6)]
    assert taken == [True, True, True, True, False, False]


def test_failed_sign_ins_are_counted_across_replicas_on_redis() -> None:
    first = LoginLimiter("3/minute", rate_storage(REDIS))
    second = LoginLimiter("3/minute", rate_storage(REDIS))
    email = f"{uuid.uuid4().hex}@clinic.example"
    # Addresses of their own, as the same Redis outlives one test run.
    here, there = (f"fd00::{uuid.uuid4().hex[:4]}:{n}" for n in (1, 2))
    for limiter in (first, second, first):
        assert not limiter.blocked(email, here)
        limiter.failed(email, here)
    assert second.blocked(email, there)  # the email is over, from any address


def test_with_its_storage_down_the_limit_lets_messages_through() -> None:
    # Nothing listens on port 9: a Redis that is down.
    limiter = RateLimiter(burst=1, refill_s=1.0, storage=rate_storage("redis://127.0.0.1:9/0"))
    assert [limiter.try_acquire(_client()) for _ in range(3)] == [0.0] * 3


@pytest.mark.parametrize(("burst", "refill_s"), [(0, 1.0), (5, 0.0)])
def test_a_limit_that_would_refuse_everything_is_rejected(burst: int, refill_s: float) -> None:
    with pytest.raises(ValueError, match="burst"):
        RateLimiter(burst, refill_s, rate_storage(""))
