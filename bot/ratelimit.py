"""A per-client sliding-window limit, so one flooding client cannot crowd out the others."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable


class RateLimiter:
    """Allows `limit` events per `window_s` seconds for each key; in memory, one process."""

    def __init__(
        self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._window_s = window_s
        self._clock = clock
        self._events: defaultdict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def try_acquire(self, key: str) -> float:
        """Counts an event; returns 0 if allowed, else the seconds until the next one is."""
        now = self._clock()
        with self._lock:
            events = self._events[key]
            while events and events[0] <= now - self._window_s:
                events.popleft()
            if len(events) >= self._limit:
                return events[0] + self._window_s - now
            events.append(now)
            return 0.0
