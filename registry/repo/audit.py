"""The append-only audit trail (the database refuses UPDATE and DELETE on it)."""

from __future__ import annotations

from sqlalchemy import select
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
