"""A per-client token bucket, so one flooding client cannot crowd out the others.

Each client has a bucket of `burst` tokens; a message takes one, and tokens come back at one per
`refill_s` seconds up to `burst`. Typing fast in bursts is fine; a steady flood is slowed to one
message per `refill_s`. In memory, for one process (scaled set-ups share it through Redis).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    """Token buckets keyed by client id; `clock` is in seconds (monotonic by default)."""

    def __init__(
        self, burst: int, refill_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if burst < 1 or refill_s <= 0:
            raise ValueError("a rate limit needs burst >= 1 and refill_s > 0")
        self._burst = burst
        self._refill_s = refill_s
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def try_acquire(self, key: str) -> float:
        """Takes a token; returns 0 if one was there, else the seconds until one will be."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.setdefault(key, _Bucket(float(self._burst), now))
            bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.at) / self._refill_s)
            bucket.at = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) * self._refill_s
