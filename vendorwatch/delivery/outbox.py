"""The outbox dispatcher: every alert once, in order per thread, at the channel's pace, through any outage.

Rules, all read from the database so they hold across passes, retries and workers:
- Order: a delivery is never sent while an earlier one of its thread (incident and channel) is unsent
  (registry.deliveries). A root that failed for good holds its thread until `dispatch --retry`.
- Gates: each channel and route has one gate (registry.gates). A send takes its slot, so one channel gets
  one send at a time, at most one per `min_interval_s` (Slack: ~1/s). A 429 closes the gate for Retry-After
  and costs no attempt. Server and connection errors open its circuit breaker: one probe every
  0.5 s..`PROBE_MAX_S`, the oldest waiting delivery, and its success releases the rest in order.
- Crash safety: a row is `sending` (committed) before the send. A retry of a row whose outcome is unknown
  first looks for the message by its delivery id (Slack metadata, by channel id: names are resolved once).
- Poison: a delivery whose processing raises is recorded, retried with backoff, quarantined after
  `QUARANTINE_AFTER` tries; the others carry on.
"""

from __future__ import annotations

import logging
import time
import weakref
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import assert_never

from sqlmodel import Session

from notify.base import Channel, DeliveryError, SelfChecking, Targeted
from registry.models import AuditEvent, ChannelGate, Delivery, Incident
from registry.repo import digests, gates
from registry.repo import outbox as deliveries
from registry.vocab import DeliveryStatus
from vendorwatch.app import App
from vendorwatch.delivery.sending import Result, now_plus, send_one

logger = logging.getLogger(__name__)
BATCH = 200  # candidates read per pass (at most the first unsent delivery of each thread)
PROBE_MAX_S = 4.0  # an open breaker probes at least this often: the first alert is out within ~5 s of recovery
QUARANTINE_AFTER = 5  # processing errors (not channel errors) before a delivery is set aside
MAX_BACKOFF_S = 300.0
_checked: weakref.WeakSet[Channel] = weakref.WeakSet()  # channels whose capabilities this process has checked


@dataclass
class DispatchStats:
    """What dispatching did: counts, errors of deliveries that failed for good, and when to look again."""

    sent: int = 0
    recovered: int = 0
    retried: int = 0
    rate_limited: int = 0
    failed: int = 0
    superseded: int = 0
    waiting: int = 0
    held: int = 0
    errors: list[str] = field(default_factory=list)
    next_at: datetime | None = None

    def progressed(self) -> bool:
        """True when a row changed state for good (which may unblock the next one of its thread)."""
        return bool(self.sent or self.recovered or self.failed or self.superseded)

    def add(self, other: DispatchStats) -> None:
        """Accumulate another pass."""
        for name in ("sent", "recovered", "retried", "rate_limited", "failed", "superseded"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors

    def wait_until(self, when: datetime) -> None:
        """Remember the earliest time something skipped now may go."""
        self.next_at = when if self.next_at is None else min(self.next_at, when)


def claim_window(app: App) -> timedelta:
    """How long a claimed delivery (and its gate slot) stays ours: a lookup plus a send, with margin."""
    return timedelta(seconds=2 * app.settings.slack.timeout_s + 5)


def gate_key(s: Session, row: Delivery, channel: Channel) -> str:
    """The gate of a delivery: its channel kind, and for Targeted channels the thread's configured target."""
    if not isinstance(channel, Targeted):
        return row.channel
    root = deliveries.thread_root(s, row) if row.kind != "root" else row
    target = (root or row).payload.get("channel") or channel.default_target
    return f"{row.channel}:{target}"


def dispatch_once(app: App, channels: dict[str, Channel], *, worker: str = "dispatcher") -> DispatchStats:
    """One pass: the oldest sendable delivery of each thread, one per open gate (more where pace is 0)."""
    stats = DispatchStats()
    with app.session() as s:
        digests.release_due(s, app.now())  # coalesced follow-ups whose window has passed join the queue
        plan = [
            (r.id or 0, r.channel, gate_key(s, r, channels[r.channel]))
            for r in deliveries.candidates(s, app.now(), list(channels), BATCH)
        ]
    used: set[str] = set()
    for did, kind, key in plan:
        if key in used:
            continue
        channel = channels[kind]
        consumed = _try_one(app, channel, did, key, worker, stats)
        if not consumed or (isinstance(channel, Targeted) and channel.min_interval_s > 0):
            used.add(key)  # a closed gate stays closed for this pass; a paced one took its one slot
    return stats


def _try_one(app: App, channel: Channel, did: int, key: str, worker: str, stats: DispatchStats) -> bool:
    """Send one delivery through its gate; False when the gate was closed (nothing was sent)."""
    started = app.now()
    with app.session() as s:
        slot = gates.reserve(s, key, started, claim_window(app))
        if isinstance(slot, datetime):
            stats.wait_until(slot)
            return False
        failures = slot.failures
        if deliveries.claim(s, did, worker, started, started + claim_window(app)) is None:
            gates.release(s, key, started)  # another worker took it: give the slot back
            return True
    try:
        result = send_one(app, channel, did)
    except Exception as exc:  # a poison pill (e.g. a payload that no longer renders) must not stop the rest
        _poisoned(app, did, key, exc, stats)
        return True
    _finish(app, did, key, result, started, failures, stats, channel)
    return True


def _finish(
    app: App,
    did: int,
    key: str,
    result: Result,
    started: datetime,
    failures: int,
    stats: DispatchStats,
    channel: Channel,
) -> None:
    now = app.now()
    pace = channel.min_interval_s if isinstance(channel, Targeted) else 0.0
    paced = max(now, now_plus(started, pace)) if result.called else now
    with app.session() as s:
        row = s.get_one(Delivery, did)
        row.claimed_until = None
        match result.outcome:
            case "sent" | "recovered":
                _mark_sent(s, row, result, now, channel)
                gates.release(s, key, paced, failures=0)
                stats.sent += result.outcome == "sent"
                stats.recovered += result.outcome == "recovered"
            case "rate_limited":  # a 429 posted nothing, and costs no attempt
                row.status = DeliveryStatus.sending if result.unknown else DeliveryStatus.pending
                row.last_error = result.error
                gates.release(s, key, now_plus(now, result.retry_after or 1.0))
                stats.rate_limited += 1
                stats.wait_until(now_plus(now, result.retry_after or 1.0))
            case "retry" | "renamed":
                _retry_later(row, result, now)
                opened = failures + 1 if result.outcome == "retry" else failures
                delay = min(PROBE_MAX_S, 0.5 * 2 ** (opened - 1)) if opened else 0.0
                gates.release(s, key, now_plus(now, delay), failures=opened, error=result.error)
                stats.retried += 1
                stats.wait_until(now_plus(now, delay))
            case "superseded":
                row.status = DeliveryStatus.superseded
                gates.release(s, key, now)
                stats.superseded += 1
            case "failed":
                give_up(s, row, result.error or "unknown error", now, stats)
                gates.release(s, key, paced, failures=0 if result.called else None)
            case unreachable:
                assert_never(unreachable)


def _retry_later(row: Delivery, result: Result, now: datetime) -> None:
    row.attempts += 1
    row.last_error = result.error[:500] if result.error else None
    # `sending` when this attempt (or an earlier one) may have been posted: the retry then looks first.
    row.status = DeliveryStatus.sending if result.maybe_delivered or result.unknown else DeliveryStatus.pending
    row.next_attempt_at = now  # the channel's gate paces retries, not a per-row backoff
    logger.warning("delivery %s (%s) will be retried: %s", row.id, row.channel, result.error)


def _mark_sent(s: Session, row: Delivery, result: Result, now: datetime, channel: Channel) -> None:
    assert result.receipt is not None
    row.status, row.sent_at, row.last_error = DeliveryStatus.sent, now, None
    row.attempts += result.outcome == "sent"
    if row.kind == "root":
        row.ref, row.target = result.receipt.ref, result.receipt.channel
        if row.incident_id and isinstance(channel, Targeted):
            incident = s.get_one(Incident, row.incident_id)
            incident.thread_channel, incident.thread_ref = result.receipt.channel, result.receipt.ref
    else:
        row.ref = result.receipt.ref


def give_up(
    s: Session, row: Delivery, error: str, now: datetime, stats: DispatchStats, action: str = "delivery.failed"
) -> None:
    """Mark a row failed for good (`status` reports it, `dispatch --retry` resends it), audited."""
    row.status, row.failed_at, row.claimed_until, row.last_error = DeliveryStatus.failed, now, None, error[:500]
    stats.failed += 1
    stats.errors.append(f"delivery {row.id} ({row.channel} {row.kind}): {error}")
    logger.error("delivery %s (%s) failed for good: %s", row.id, row.channel, error)
    s.add(
        AuditEvent(
            at=now,
            actor="vendorwatch",
            action=action,
            entity="delivery",
            entity_id=str(row.id),
            after={"channel": row.channel, "kind": row.kind, "error": error[:500]},
        )
    )


def _poisoned(app: App, did: int, key: str, exc: Exception, stats: DispatchStats) -> None:
    now, error = app.now(), f"{type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}"
    with app.session() as s:
        gates.release(s, key, now)
        row = s.get_one(Delivery, did)
        row.attempts, row.claimed_until, row.last_error = row.attempts + 1, None, error
        if row.attempts >= QUARANTINE_AFTER:
            give_up(
                s,
                row,
                f"quarantined after {row.attempts} processing errors: {error}",
                now,
                stats,
                action="delivery.quarantined",
            )
            return
        row.next_attempt_at = now_plus(now, min(MAX_BACKOFF_S, 2.0**row.attempts))
        stats.retried += 1
        stats.wait_until(row.next_attempt_at)
    if row.attempts == 1:  # logged once; the row keeps the error and the count
        logger.error("delivery %s (%s) could not be processed, will retry: %s", did, row.channel, error)
        logger.debug("delivery %s traceback", did, exc_info=exc)


class RetryError(ValueError):
    """`dispatch --retry` named a delivery that does not exist or has not failed."""


def retry_failed(app: App, ids: list[int] | None, *, actor: str) -> list[int]:
    """Queue failed deliveries again (these ids, or all), audited; their held threads follow them in order."""
    with app.session() as s:
        if ids is not None:
            if missing := deliveries.unknown_ids(s, ids):
                raise RetryError(f"--retry: no delivery {', '.join(map(str, missing))}")
            queued = deliveries.retry_failed(s, ids, actor=actor, now=app.now())
            if len(queued) != len(set(ids)):
                not_failed = sorted(set(ids) - set(queued))
                raise RetryError(f"--retry: delivery {', '.join(map(str, not_failed))} has not failed")
            return queued
        return deliveries.retry_failed(s, None, actor=actor, now=app.now())


def pending_count(app: App) -> int:
    """Deliveries not yet sent or given up on."""
    with app.session() as s:
        return deliveries.counts(s).waiting


def check_channels(app: App, channels: dict[str, Channel]) -> None:
    """Once per channel object: record what a channel lacks (e.g. Slack scopes) for `status`, before it matters."""
    for name, channel in channels.items():
        if channel in _checked or not isinstance(channel, SelfChecking):
            continue
        _checked.add(channel)  # once, even if it cannot tell now: an outage must not cost a check per tick
        try:
            problems = channel.problems()
        except DeliveryError as exc:
            logger.info("%s: cannot check its capabilities now (%s)", name, exc)
            continue
        for problem in problems:
            logger.warning("%s: %s", name, problem)
        with app.session() as s:
            gates.warn(s, f"{name}:capabilities", "; ".join(problems) or None)


def dispatch_for(app: App, channels: dict[str, Channel], *, worker: str, seconds: float) -> DispatchStats:
    """Passes for up to `seconds` (a scheduler tick), so a paced channel keeps its pace between ticks."""
    check_channels(app, channels)
    total = DispatchStats()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        stats = dispatch_once(app, channels, worker=worker)
        total.add(stats)
        if stats.progressed():
            continue
        wait = (stats.next_at - app.now()).total_seconds() if stats.next_at else None
        if wait is None or wait > end - time.monotonic():
            break
        time.sleep(max(wait, 0.01))
    return total


def dispatch_until_idle(app: App, channels: dict[str, Channel], *, timeout: float = 30.0) -> DispatchStats:
    """Dispatch until nothing sendable is left, or nothing left can be sent within `timeout` seconds.

    Waits out Retry-After, gates and other workers' claims that end in time; returns at once when the rest
    is held (behind a root that failed for good) or due after the timeout.
    """
    check_channels(app, channels)
    total = DispatchStats()
    deadline = time.monotonic() + timeout
    names = list(channels)
    while True:
        started = app.now()
        stats = dispatch_once(app, channels)
        total.add(stats)
        left = deadline - time.monotonic()
        with app.session() as s:
            if deliveries.claimable_count(s, app.now(), names) == 0 or left <= 0:
                break
            due = deliveries.next_due(s, started, names)
        if stats.progressed():
            continue  # progress may have unblocked a thread: go again at once
        wake = min((t for t in (due, stats.next_at) if t is not None), default=None)
        wait = (wake - app.now()).total_seconds() if wake else None
        if wait is None or wait > left:
            break  # nothing left can be sent before the deadline
        time.sleep(min(max(wait, 0.02), left, 1.0))
    with app.session() as s:
        counts = deliveries.counts(s)
    total.waiting, total.held = counts.waiting, counts.held
    return total


def channel_gates(app: App) -> list[ChannelGate]:
    """Every channel gate (breaker state, last error, capability warnings), for `status`."""
    with app.session() as s:
        return gates.all_gates(s)
