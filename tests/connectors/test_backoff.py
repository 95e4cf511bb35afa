"""next_poll_delay: the interval while healthy, growing and jittered while failing, Retry-After honoured."""

from __future__ import annotations

import random

from connectors import next_poll_delay


def test_a_healthy_source_waits_its_interval():
    assert next_poll_delay(0, 300) == 300


def test_failures_back_off_exponentially_within_jitter_bounds():
    rng = random.Random(7)
    for failures in range(1, 6):
        ceiling = 300 * 2**failures
        delays = [next_poll_delay(failures, 300, rng=rng) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jitter spreads failing sources apart


def test_backoff_is_capped_at_six_hours():
    assert next_poll_delay(40, 300, rng=random.Random(1)) <= 6 * 3600
    assert next_poll_delay(10_000, 300) <= 6 * 3600


def test_retry_after_wins_when_longer():
    assert next_poll_delay(1, 300, retry_after=3600, rng=random.Random(1)) == 3600
    assert next_poll_delay(0, 300, retry_after=10) == 300
    assert next_poll_delay(1, 300, retry_after=30 * 86400) == 86400  # a hostile server cannot mute us for a month
