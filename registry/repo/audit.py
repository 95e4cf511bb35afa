"""The append-only audit trail (the database refuses UPDATE and DELETE on it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from registry import readonly
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


def counts_since(session: Session, *, action: str, entity: str, reset: str) -> dict[str, int]:
    """How often `action` was recorded per entity id since that entity's latest `reset` event (e.g. a release).

    The one implementation is the read-only reader's (`status` counts the same way without the ORM).
    """
    return readonly.counts_since(readonly.Reader.of_session(session), action=action, entity=entity, reset=reset)
