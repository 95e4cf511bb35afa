"""The append-only audit trail (the database refuses UPDATE and DELETE on it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from registry.models import AuditEvent


def record(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one audit event (any entity: task, incident, item...)."""
    session.add(
        AuditEvent(at=at, actor=actor, action=action, entity=entity, entity_id=entity_id, before=before, after=after)
    )


def list_events(session: Session, *, entity: str | None = None, limit: int | None = None) -> list[AuditEvent]:
    """Audit events in the order they happened, optionally for one kind of entity."""
    query = select(AuditEvent).order_by(col(AuditEvent.id))
    if entity:
        query = query.where(col(AuditEvent.entity) == entity)
    if limit:
        query = query.limit(limit)
    return list(session.execute(query).scalars())


def counts_by_entity(session: Session, *, action: str, entity: str) -> dict[str, int]:
    """How often `action` was recorded for each entity id of one kind (e.g. failed reminders per task)."""
    query = (
        select(col(AuditEvent.entity_id), func.count())
        .where(col(AuditEvent.action) == action, col(AuditEvent.entity) == entity)
        .group_by(col(AuditEvent.entity_id))
    )
    return {str(entity_id): int(n) for entity_id, n in session.execute(query)}


def counts_since(session: Session, *, action: str, entity: str, reset: str) -> dict[str, int]:
    """Like counts_by_entity, counting only events after the entity's latest `reset` event (e.g. a release)."""
    resets = (
        select(col(AuditEvent.entity_id), func.max(col(AuditEvent.id)))
        .where(col(AuditEvent.action) == reset, col(AuditEvent.entity) == entity)
        .group_by(col(AuditEvent.entity_id))
    )
    last = {str(entity_id): int(n) for entity_id, n in session.execute(resets)}
    if not last:
        return counts_by_entity(session, action=action, entity=entity)
    events = select(col(AuditEvent.entity_id), col(AuditEvent.id)).where(
        col(AuditEvent.action) == action, col(AuditEvent.entity) == entity
    )
    counts: dict[str, int] = {}
    for entity_id, event_id in session.execute(events):
        if event_id > last.get(str(entity_id), 0):
            counts[str(entity_id)] = counts.get(str(entity_id), 0) + 1
    return counts
