"""The outbox dispatcher: sends pending deliveries in order per incident, retries, never doubles a root.

Guarantee: at-least-once delivery with duplicate suppression. A row is marked `sending` (and committed)
before the send and `sent` after it. If the process dies in between, the row's claim expires and the next
dispatcher finds it still `sending`: for Slack it first looks for a message carrying the row's delivery id
in its metadata (channel history, or the thread for replies) and, if found, only marks it sent. Webhook
receivers get the same X-Vendorwatch-Delivery id on a retry and emails the same Message-ID.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlmodel import Session, col

from notify.base import Channel, DeliveryError, Receipt
from registry.models import AuditEvent, Delivery, Incident
from vendorwatch.alerts import alert_from_payload
from vendorwatch.app import App

logger = logging.getLogger(__name__)
BATCH = 50  # rows claimed per pass: small, so a killed worker strands few and others share the load
MAX_ATTEMPTS = 12
MAX_BACKOFF_S = 300.0


@dataclass
class DispatchStats:
    """What a dispatch pass did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    waiting: int = 0
    recovered: int = 0
    superseded: int = 0
    errors: list[str] = field(default_factory=list)


def claim_window(app: App) -> timedelta:
    """How long a claimed delivery stays ours: a few send timeouts (renewed before each send)."""
    return timedelta(seconds=max(10.0, 3 * app.settings.slack.timeout_s))


def _claim(app: App, worker: str, now: datetime) -> list[int]:
    with app.session() as s:
        query = (
            select(Delivery)
            .where(col(Delivery.status).in_(["pending", "sending"]), col(Delivery.next_attempt_at) <= now)
            .where(or_(col(Delivery.claimed_until).is_(None), col(Delivery.claimed_until) < now))
            .order_by(col(Delivery.id))
            .limit(BATCH)
        )
        if s.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = list(s.execute(query).scalars())
        for row in rows:
            row.claimed_by, row.claimed_until = worker, now + claim_window(app)
        return [r.id or 0 for r in rows]


def dispatch_once(app: App, channels: dict[str, Channel], *, worker: str = "dispatcher") -> DispatchStats:
    """One pass over due deliveries, in id order; a delivery waits while an earlier one of its thread waits."""
    stats = DispatchStats()
    blocked: set[tuple[int | None, str]] = set()
    for delivery_id in _claim(app, worker, app.now()):
        _deliver(app, channels, delivery_id, blocked, stats, worker)
    return stats


def _deliver(app: App, channels: dict[str, Channel], did: int, blocked: set[tuple[int | None, str]],
             stats: DispatchStats, worker: str) -> None:  # fmt: skip
    with app.session() as s:
        row = s.get_one(Delivery, did, with_for_update=s.get_bind().dialect.name == "postgresql")
        if row.claimed_by != worker or row.status not in ("pending", "sending"):
            return  # our claim ran out while earlier rows were sent and another worker took this one
        row.claimed_until = app.now() + claim_window(app)  # renewed: it must outlast this one send
        thread = (row.incident_id, row.channel)
        channel = channels.get(row.channel)
        thread_ref = _root_ref(s, row) if row.kind != "root" else None
        if row.kind != "root" and thread_ref is None and (root_error := _root_failure(s, row)) is not None:
            # The thread this row belongs to will never exist: fail it now rather than wait forever.
            _give_up(app, s, row, f"the incident's root message could not be sent: {root_error}", stats)
            return
        if thread in blocked or channel is None or (row.kind != "root" and thread_ref is None):
            row.claimed_until = None  # not ours to send yet: an earlier message of this thread comes first
            blocked.add(thread)
            stats.waiting += 1
            return
        if row.kind == "update" and _newer_update_pending(s, row):
            row.status, row.claimed_until = "superseded", None
            stats.superseded += 1
            return
        previous_try_unknown = row.status == "sending"
        row.status, row.attempts = "sending", row.attempts + 1
        thread_channel = s.get_one(Incident, row.incident_id).thread_channel if row.incident_id else None
    alert = alert_from_payload(row.payload, thread_ref)
    if row.kind != "root" and row.channel == "slack" and thread_channel:
        alert = replace(alert, channel=thread_channel)  # chat.update and threads need the channel id
    key = f"vw-{did}"
    try:
        receipt = _recover(channel, key, alert.channel, thread_ref) if previous_try_unknown else None
    except DeliveryError as exc:
        # The lookup itself failed for now: retry later, and look again first (the row stays `sending`).
        _failed(app, did, exc, stats, outcome_unknown=True)
        blocked.add(thread)
        return
    recovered = receipt is not None
    try:
        if receipt is None:
            receipt = channel.send(alert, delivery_id=key)
    except DeliveryError as exc:
        _failed(app, did, exc, stats, outcome_unknown=exc.maybe_delivered)
        blocked.add(thread)
        return
    _sent(app, did, receipt)
    if recovered:  # found already posted: marked sent, not sent again (and not counted twice)
        stats.recovered += 1
    else:
        stats.sent += 1


def _recover(channel: Channel, key: str, target: str | None, thread_ref: str | None) -> Receipt | None:
    """The receipt of an earlier attempt that reached the channel, or None to send (again).

    A lookup the channel refuses for good (a channel name instead of an id, a bot without history scope)
    cannot tell: we send again, accepting a possible duplicate (at-least-once). Retryable errors propagate.
    """
    find_sent: Callable[..., Receipt | None] | None = getattr(channel, "find_sent", None)
    if find_sent is None or not target:
        return None
    try:
        return find_sent(key, target, thread_ref=thread_ref)
    except DeliveryError as exc:
        if exc.retryable:
            raise
        logger.warning("delivery %s: cannot tell whether an earlier attempt was posted (%s); sending again", key, exc)
        return None


def _root_ref(s: Session, row: Delivery) -> str | None:
    root = s.execute(
        select(Delivery).where(
            col(Delivery.incident_id) == row.incident_id,
            col(Delivery.channel) == row.channel,
            col(Delivery.kind) == "root",
            col(Delivery.status) == "sent",
        )
    ).scalar_one_or_none()
    return root.ref if root else None


def _root_failure(s: Session, row: Delivery) -> str | None:
    """The error of this thread's root delivery if it failed for good, else None."""
    root = (
        s.execute(
            select(Delivery).where(
                col(Delivery.incident_id) == row.incident_id,
                col(Delivery.channel) == row.channel,
                col(Delivery.kind) == "root",
                col(Delivery.status) == "failed",
            )
        )
        .scalars()
        .first()
    )
    return (root.last_error or "unknown error") if root else None


def _newer_update_pending(s: Session, row: Delivery) -> bool:
    newer = s.execute(
        select(col(Delivery.id)).where(
            col(Delivery.incident_id) == row.incident_id,
            col(Delivery.channel) == row.channel,
            col(Delivery.kind) == "update",
            col(Delivery.status) == "pending",
            col(Delivery.id) > row.id,
        )
    ).first()
    return newer is not None


def _sent(app: App, did: int, receipt: Receipt) -> None:
    with app.session() as s:
        row = s.get_one(Delivery, did)
        row.status, row.sent_at, row.ref, row.claimed_until, row.last_error = "sent", app.now(), receipt.ref, None, None
        if row.kind == "root" and row.channel == "slack" and row.incident_id:
            incident = s.get_one(Incident, row.incident_id)
            incident.thread_channel, incident.thread_ref = receipt.channel, receipt.ref


def _failed(app: App, did: int, exc: DeliveryError, stats: DispatchStats, *, outcome_unknown: bool = False) -> None:
    with app.session() as s:
        row = s.get_one(Delivery, did)
        row.last_error, row.claimed_until = str(exc)[:500], None
        if exc.retryable and row.attempts < MAX_ATTEMPTS:
            delay = exc.retry_after if exc.retry_after else min(MAX_BACKOFF_S, 2.0 ** (row.attempts - 1))
            # `sending` when an earlier attempt may have been posted: the retry then looks before it sends.
            row.status = "sending" if outcome_unknown else "pending"
            row.next_attempt_at = app.now() + timedelta(seconds=delay)
            stats.retried += 1
            logger.warning("delivery %s (%s) will be retried in %.0f s: %s", did, row.channel, delay, exc)
            return
        _give_up(app, s, row, str(exc), stats)


def _give_up(app: App, s: Session, row: Delivery, error: str, stats: DispatchStats) -> None:
    """Mark a row failed for good (`vendorwatch status` reports it) with an audit event."""
    row.status, row.failed_at, row.claimed_until, row.last_error = "failed", app.now(), None, error[:500]
    stats.failed += 1
    stats.errors.append(f"delivery {row.id} ({row.channel}): {error}")
    logger.error("delivery %s (%s) failed for good: %s", row.id, row.channel, error)
    s.add(
        AuditEvent(
            at=app.now(),
            actor="vendorwatch",
            action="delivery.failed",
            entity="delivery",
            entity_id=str(row.id),
            after={"channel": row.channel, "error": error[:500]},
        )
    )


_OPEN = ("pending", "sending")


def pending_count(app: App) -> int:
    """Deliveries not yet sent or given up on."""
    with app.session() as s:
        return len(s.execute(select(col(Delivery.id)).where(col(Delivery.status).in_(_OPEN))).all())


def _next_due(app: App, after: datetime) -> datetime | None:
    """When the earliest open row that was not claimable at `after` becomes so (backoff, another's claim)."""
    with app.session() as s:
        rows = s.execute(
            select(col(Delivery.next_attempt_at), col(Delivery.claimed_until)).where(
                col(Delivery.status).in_(_OPEN),
                or_(col(Delivery.next_attempt_at) > after, col(Delivery.claimed_until) > after),
            )
        ).all()
    return min((max(due, claimed or due) for due, claimed in rows), default=None)


def dispatch_until_idle(app: App, channels: dict[str, Channel], *, timeout: float = 30.0) -> DispatchStats:
    """Dispatch until nothing is pending, or nothing left can be sent within `timeout` seconds.

    Waits out Retry-After, backoff and other workers' claims that end in time; returns at once when the
    rest is blocked (a thread whose root waits, a channel not configured) or due after the timeout.
    """
    total = DispatchStats()
    deadline = time.monotonic() + timeout
    while True:
        started = app.now()
        stats = dispatch_once(app, channels)
        for name in ("sent", "retried", "failed", "recovered", "superseded"):
            setattr(total, name, getattr(total, name) + getattr(stats, name))
        total.errors += stats.errors
        left = deadline - time.monotonic()
        if pending_count(app) == 0 or left <= 0:
            break
        if stats.sent or stats.recovered or stats.failed or stats.superseded:
            continue  # progress may have unblocked a thread: go again at once
        due = _next_due(app, started)
        wait = (due - app.now()).total_seconds() if due else None
        if wait is None or wait > left:
            break  # nothing left can be sent before the deadline
        time.sleep(min(max(wait, 0.05), left, 1.0))
    total.waiting = pending_count(app)
    return total
