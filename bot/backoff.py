"""The one backoff schedule: the outbox worker's retries and `reflect run`'s restarts."""

from __future__ import annotations


def backoff_s(attempts: int, cap_s: float) -> float:
    """1 s, 2 s, 4 s ... up to `cap_s` for the 1st, 2nd, 3rd ... attempt: nothing is hammered."""
    return float(min(cap_s, 2 ** max(0, attempts - 1)))
