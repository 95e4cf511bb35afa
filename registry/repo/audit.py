"""The append-only audit trail (the database refuses UPDATE and DELETE on it)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session, col

from registry.models import AuditEvent


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
