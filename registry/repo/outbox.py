"""The outbox's queries: which deliveries may go now (per-thread order), claims, and operator retries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from registry.models import AuditEvent, Delivery
from registry.vocab import OPEN_DELIVERIES, DeliveryStatus

OPEN = OPEN_DELIVERIES


def _pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _blocked_by_earlier() -> ColumnElement[bool]:
    """An earlier delivery of the same thread is unsent, or is the thread's root and failed for good.

    This is the ordering rule: it holds across passes, retries and workers because it reads row states,
    not what one pass has seen. A failed reply or update does not hold the rest of its thread back.
    """
    earlier = aliased(Delivery)
    return exists().where(
        col(earlier.incident_id) == col(Delivery.incident_id),
        col(earlier.channel) == col(Delivery.channel),
        col(earlier.id) < col(Delivery.id),
        or_(
            col(earlier.status).in_(OPEN),
            and_(col(earlier.kind) == "root", col(earlier.status) == DeliveryStatus.failed),
        ),
    )


def _claimable(now: datetime) -> ColumnElement[bool]:
    return and_(
        col(Delivery.status).in_(OPEN),
        col(Delivery.next_attempt_at) <= now,
        or_(col(Delivery.claimed_until).is_(None), col(Delivery.claimed_until) < now),
        ~_blocked_by_earlier(),
    )


def candidates(session: Session, now: datetime, channels: list[str], limit: int) -> list[Delivery]:
    """Deliveries that may be sent now: at most the first unsent one of each thread.

    A new incident's first message goes first, then the rest oldest first: a burst of reminders or follow-ups
    (paced at a channel's rate) must not hold back the alert of another vendor's breach. The order within a
    thread is kept by `_claimable` whatever this order is.
    """
    new_incident = and_(col(Delivery.kind) == "root", col(Delivery.incident_id).is_not(None))
    query = (
        select(Delivery)
        .where(_claimable(now), col(Delivery.channel).in_(channels))
        .order_by(case((new_incident, 0), else_=1), col(Delivery.id))
        .limit(limit)
    )
    return list(session.execute(query).scalars())


def claim(session: Session, delivery_id: int, worker: str, now: datetime, until: datetime) -> Delivery | None:
    """Take one delivery if it is still claimable (re-checked under a row lock on PostgreSQL)."""
    query = select(Delivery).where(col(Delivery.id) == delivery_id, _claimable(now))
    if _pg(session):
        query = query.with_for_update(skip_locked=True, of=Delivery)
    row = session.execute(query).scalar_one_or_none()
    if row is not None:
        row.claimed_by, row.claimed_until = worker, until
    return row


def thread_root(session: Session, row: Delivery) -> Delivery | None:
    """The root delivery of this row's thread (same incident and channel), whatever its state."""
    if row.incident_id is None:
        return None
    query = select(Delivery).where(
        col(Delivery.incident_id) == row.incident_id, col(Delivery.channel) == row.channel, col(Delivery.kind) == "root"
    )
    return session.execute(query.order_by(col(Delivery.id)).limit(1)).scalar_one_or_none()


def newer_update_pending(session: Session, row: Delivery) -> bool:
    """True when a later in-place update of the same root waits: this one would be overwritten at once."""
    query = select(col(Delivery.id)).where(
        col(Delivery.incident_id) == row.incident_id,
        col(Delivery.channel) == row.channel,
        col(Delivery.kind) == "update",
        col(Delivery.status) == DeliveryStatus.pending,
        col(Delivery.id) > row.id,
    )
    return session.execute(query.limit(1)).first() is not None


@dataclass(frozen=True)
class OutboxCounts:
    """Open deliveries, those held behind a root that failed for good, and failed ones."""

    waiting: int
    held: int
    failed: int


def counts(session: Session) -> OutboxCounts:
    """How many deliveries wait (of them, held behind a failed root) and how many failed for good."""
    root = aliased(Delivery)
    held_by_failed_root = exists().where(
        col(root.incident_id) == col(Delivery.incident_id),
        col(root.channel) == col(Delivery.channel),
        col(root.kind) == "root",
        col(root.status) == DeliveryStatus.failed,
    )
    open_ = col(Delivery.status).in_(OPEN)
    waiting = session.execute(select(func.count()).select_from(Delivery).where(open_)).scalar() or 0
    held = session.execute(select(func.count()).select_from(Delivery).where(open_, held_by_failed_root)).scalar()
    failed = session.execute(
        select(func.count()).select_from(Delivery).where(col(Delivery.status) == DeliveryStatus.failed)
    )
    return OutboxCounts(int(waiting), int(held or 0), int(failed.scalar() or 0))


def retry_failed(session: Session, ids: list[int] | None, *, actor: str, now: datetime) -> list[int]:
    """Put failed deliveries (these ids, or all with None) back in the queue, audited; returns their ids."""
    query = select(Delivery).where(col(Delivery.status) == DeliveryStatus.failed)
    if ids is not None:
        query = query.where(col(Delivery.id).in_(ids))
    rows = list(session.execute(query.order_by(col(Delivery.id))).scalars())
    for row in rows:
        before = {"status": row.status, "attempts": row.attempts, "error": row.last_error}
        row.status, row.attempts, row.failed_at, row.next_attempt_at = DeliveryStatus.pending, 0, None, now
        row.claimed_by = row.claimed_until = None
        after = {"status": DeliveryStatus.pending}
        session.add(
            AuditEvent(
                at=now,
                actor=actor,
                action="delivery.retried",
                entity="delivery",
                entity_id=str(row.id),
                before=before,
                after=after,
            )
        )
    return [row.id or 0 for row in rows]


def unknown_ids(session: Session, ids: list[int]) -> list[int]:
    """Those of `ids` that name no delivery at all."""
    found = set(session.execute(select(col(Delivery.id)).where(col(Delivery.id).in_(ids))).scalars())
    return [i for i in ids if i not in found]


def next_due(session: Session, after: datetime, channels: list[str]) -> datetime | None:
    """When the earliest open delivery that was not claimable at `after` becomes so (backoff, another's claim)."""
    rows = session.execute(
        select(col(Delivery.next_attempt_at), col(Delivery.claimed_until)).where(
            col(Delivery.status).in_(OPEN),
            col(Delivery.channel).in_(channels),
            or_(col(Delivery.next_attempt_at) > after, col(Delivery.claimed_until) > after),
        )
    ).all()
    return min((max(due, claimed or due) for due, claimed in rows), default=None)


def claimable_count(session: Session, now: datetime, channels: list[str]) -> int:
    """Open deliveries not blocked by their thread (they only wait for a channel gate, a claim or backoff)."""
    query = (
        select(func.count())
        .select_from(Delivery)
        .where(col(Delivery.status).in_(OPEN), col(Delivery.channel).in_(channels), ~_blocked_by_earlier())
    )
    return int(session.execute(query).scalar() or 0)
