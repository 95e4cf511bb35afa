"""The append-only audit trail of task changes (the database refuses UPDATE and DELETE on it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from registry.models import AuditEvent, Task


def snapshot(task: Task) -> dict[str, Any]:
    """The mutable state of a task, as recorded in audit before/after."""

    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "key": task.key, "title": task.title, "owner": task.owner, "status": task.status,
        "due_at": iso(task.due_at), "closed_at": iso(task.closed_at), "closed_by": task.closed_by,
        "evidence": task.evidence, "reason": task.reason,
        "reminded_at": iso(task.reminded_at), "escalated_at": iso(task.escalated_at),
    }  # fmt: skip


def record(session: Session, *, at: datetime, actor: str, action: str, task_id: int,
           before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:  # fmt: skip
    """Append one audit event about a task."""
    session.add(
        AuditEvent(at=at, actor=actor, action=action, entity="task", entity_id=str(task_id), before=before, after=after)
    )


def list_events(session: Session, *, entity: str | None = None, limit: int | None = None) -> list[AuditEvent]:
    """Audit events in the order they happened, optionally for one kind of entity."""
    query = select(AuditEvent).order_by(col(AuditEvent.id))
    if entity:
        query = query.where(col(AuditEvent.entity) == entity)
    if limit:
        query = query.limit(limit)
    return list(session.execute(query).scalars())


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[str, str]:
    """Only the fields that changed, as short `key=value` text for before and after."""
    before, after = before or {}, after or {}
    keys = [k for k in after if before.get(k) != after.get(k)] if before else []
    if not before:
        return "", ", ".join(f"{k}={after[k]}" for k in list(after)[:4])
    return ", ".join(f"{k}={before.get(k)}" for k in keys), ", ".join(f"{k}={after.get(k)}" for k in keys)
