"""When to poll a source next: its interval, or exponential backoff with jitter while it fails."""

from __future__ import annotations

import random

MAX_BACKOFF = 6 * 3600.0
MAX_RETRY_AFTER = 24 * 3600.0  # a server may ask us to wait, but not to go silent for days


def next_poll_delay(
    consecutive_failures: int,
    interval: float,
    retry_after: float | None = None,
    *,
    cap: float = MAX_BACKOFF,
    rng: random.Random | None = None,
) -> float:
    """Seconds until the next poll; pure apart from the jitter, so the app can store next-poll time.

    0 failures: the interval. n failures: interval * 2**n capped at `cap`, with "equal jitter"
    (half fixed, half random) so failing sources spread out; never less than Retry-After.
    """
    draw = (rng or random).random()
    if consecutive_failures <= 0:
        delay = interval
    else:
        ceiling = min(cap, interval * 2.0 ** min(consecutive_failures, 32))
        delay = max(interval, ceiling / 2 + draw * ceiling / 2)
    if retry_after is not None and retry_after > 0:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return delay
