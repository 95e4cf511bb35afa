"""The store behind an incident's alerts: its reports in timeline order, task progress, and outbox rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from registry.models import Delivery, IncidentReference, Item, Task
from registry.queries import insert_ignoring_conflicts
from registry.vocab import DeliveryStatus


def task_progress(session: Session, incident_id: int) -> tuple[int, int]:
    """(closed, total) tasks of an incident."""
    query = (
        select(col(Task.status), func.count()).where(col(Task.incident_id) == incident_id).group_by(col(Task.status))
    )
    counts: dict[str, int] = {status: n for status, n in session.execute(query).all()}
    total = sum(counts.values())
    return total - counts.get("open", 0), total


def reports_of(session: Session, incident_id: int) -> list[Item]:
    """The items of an incident's timeline, oldest first (by publication, else first sight)."""
    ids = select(col(IncidentReference.item_id)).where(col(IncidentReference.incident_id) == incident_id)
    query = (
        select(Item)
        .where(col(Item.id).in_(ids))
        .order_by(func.coalesce(col(Item.published), col(Item.first_seen)), col(Item.id))
    )
    return list(session.execute(query).scalars())


def queue(
    session: Session,
    *,
    incident_id: int | None,
    channel: str,
    kind: str,
    key: str,
    payload: dict[str, Any],
    due: datetime,
    status: DeliveryStatus = DeliveryStatus.pending,
    created_at: datetime | None = None,
) -> bool:
    """Write one outbox row (pending, or `status`) in the caller's transaction; False when `key` is already queued.

    It is sent from `due`; `created_at` (default: `due`) is when it was queued.
    """
    result = session.execute(
        insert_ignoring_conflicts(session, Delivery)
        .values(
            incident_id=incident_id,
            channel=channel,
            kind=kind,
            dedupe_key=key,
            payload=payload,
            status=status,
            attempts=0,
            created_at=created_at or due,
            next_attempt_at=due,
        )
        .returning(col(Delivery.id))
    )
    return result.first() is not None
