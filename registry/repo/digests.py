"""Coalesced follow-ups: a `collecting` outbox row gathers reports until its send time, then becomes pending.

A held row is neither claimable nor blocking (the outbox only looks at pending/sending rows), so the
thread's root updates keep flowing while the digest waits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session, col

from registry.models import Delivery
from registry.repo import alerting
from registry.vocab import DeliveryStatus

HELD = DeliveryStatus.collecting


def held(session: Session, incident_id: int, channel: str) -> Delivery | None:
    """The incident's digest still collecting reports on this channel (locked on PostgreSQL)."""
    query = select(Delivery).where(
        col(Delivery.incident_id) == incident_id, col(Delivery.channel) == channel, col(Delivery.status) == HELD
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return session.execute(query.order_by(col(Delivery.id)).limit(1)).scalar_one_or_none()


def last_reply_at(session: Session, incident_id: int, channel: str) -> datetime | None:
    """When the incident's latest thread reply on this channel was released to the outbox."""
    query = select(col(Delivery.next_attempt_at)).where(
        col(Delivery.incident_id) == incident_id,
        col(Delivery.channel) == channel,
        col(Delivery.kind) == "reply",
        col(Delivery.status) != HELD,
    )
    # Ordered by the column itself (not max()) so the store's UTC type decorator reads the value.
    value: datetime | None = session.execute(query.order_by(col(Delivery.next_attempt_at).desc()).limit(1)).scalar()
    return value


def last_root_payload(session: Session, incident_id: int, channel: str) -> dict[str, Any] | None:
    """The payload of the root (or its latest in-place update) queued for this channel."""
    query = (
        select(col(Delivery.payload))
        .where(col(Delivery.incident_id) == incident_id, col(Delivery.channel) == channel)
        .where(col(Delivery.kind).in_(["root", "update"]))
        .order_by(col(Delivery.id).desc())
        .limit(1)
    )
    payload: dict[str, Any] | None = session.execute(query).scalar_one_or_none()
    return payload


def refill(session: Session, row_id: int, payload: dict[str, Any], *, release_at: datetime | None) -> None:
    """Replace a held digest's payload; with `release_at`, hand it to the outbox at that time."""
    values: dict[str, Any] = {"payload": payload}
    if release_at is not None:
        values |= {"status": DeliveryStatus.pending, "next_attempt_at": release_at}
    session.execute(update(Delivery).where(col(Delivery.id) == row_id, col(Delivery.status) == HELD).values(**values))


def release_due(session: Session, now: datetime) -> int:
    """Hand every held digest whose send time has come to the outbox; returns how many."""
    due = update(Delivery).where(col(Delivery.status) == HELD, col(Delivery.next_attempt_at) <= now)
    result = session.execute(due.values(status=DeliveryStatus.pending))
    return int(getattr(result, "rowcount", 0) or 0)


def queue_reply(
    session: Session, incident_id: int, channel: str, key: str, payload: dict[str, Any], *, now: datetime, due: datetime
) -> None:
    """A follow-up reply row: pending when due now, else collecting until `due`; a repeated key is ignored."""
    status = DeliveryStatus.pending if due <= now else HELD
    alerting.queue(
        session,
        incident_id=incident_id,
        channel=channel,
        kind="reply",
        key=key,
        payload=payload,
        due=due,
        status=status,
        created_at=now,
    )
