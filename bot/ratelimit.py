"""Rate limits kept by the `limits` library: in this process's memory for the embedded default,
or in Redis (REFLECT_REDIS_URL), where every entry-point replica shares them.

A client may send `burst` messages in any moving window of `burst * refill_s` seconds (at
least one second): typing fast in bursts is fine, and a steady flood is held to one message per
`refill_s` on average. Crisis messages never reach the limit (bot/turn.py).
"""

from __future__ import annotations

import logging
import time

from limits import RateLimitItemPerSecond
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)


def rate_storage(redis_url: str) -> Storage:
    """Where the counts live: Redis at `redis_url`, or this process's memory when it is empty."""
    return storage_from_string(redis_url or "memory://")


class RateLimiter:
    """Messages per client, in a moving window over `storage`.

    Raises ValueError for a limit that would refuse everything (burst < 1 or refill_s <= 0).
    """

    def __init__(self, burst: int, refill_s: float, storage: Storage) -> None:
        if burst < 1 or refill_s <= 0:
            raise ValueError("a rate limit needs burst >= 1 and refill_s > 0")
        self._item = RateLimitItemPerSecond(burst, max(1, round(burst * refill_s)))
        # The limiter holds its storage weakly: this keeps it alive.
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(storage)

    def try_acquire(self, client_id: str) -> float:
        """Counts one message; returns 0 if it is within the limit, else the seconds until the
        oldest message in the window has surely left it. When the storage cannot be reached (Redis
        down), the message goes through and the failure is logged: a limit is a guard
        against floods, not a reason to turn a client away."""
        try:
            if self._limiter.hit(self._item, "message", client_id):
                return 0.0
            reset_at, _remaining = self._limiter.get_window_stats(self._item, "message", client_id)
        except Exception as error:  # redis-py's errors, whatever the storage raised
            log.error("rate limit not applied, its storage failed: %s", type(error).__name__)
            return 0.0
        # `limits` gives the oldest message's second, not its instant: one more second is
        # the most there can be left to wait.
        return max(reset_at + 1 - time.time(), 0.001)
