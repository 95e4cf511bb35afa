"""The append-only audit trail of task changes (the database refuses UPDATE and DELETE on it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from registry.models import AuditEvent, Task
from registry.repo import audit as audit_rows


def snapshot(task: Task) -> dict[str, Any]:
    """The mutable state of a task, as recorded in audit before/after."""

    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "key": task.key,
        "title": task.title,
        "owner": task.owner,
        "status": task.status,
        "due_at": iso(task.due_at),
        "closed_at": iso(task.closed_at),
        "closed_by": task.closed_by,
        "evidence": task.evidence,
        "reason": task.reason,
        "reminded_at": iso(task.reminded_at),
        "escalated_at": iso(task.escalated_at),
    }


def record(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    task_id: int,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Append one audit event about a task."""
    audit_rows.record(
        session, at=at, actor=actor, action=action, entity="task", entity_id=str(task_id), before=before, after=after
    )


def list_events(session: Session, *, entity: str | None = None, limit: int | None = None) -> list[AuditEvent]:
    """Audit events in the order they happened, optionally for one kind of entity."""
    return audit_rows.list_events(session, entity=entity, limit=limit)


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[str, str]:
    """Only the fields that changed, as short `key=value` text for before and after."""
    before, after = before or {}, after or {}
    keys = [k for k in after if before.get(k) != after.get(k)] if before else []
    if not before:
        return "", ", ".join(f"{k}={after[k]}" for k in list(after)[:4])
    return ", ".join(f"{k}={before.get(k)}" for k in keys), ", ".join(f"{k}={after.get(k)}" for k in keys)
