"""Queries behind the incident lifecycle: open tasks of an incident, recorded incidents gone quiet."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from registry.errors import NotFoundError
from registry.models import AuditEvent, Incident, Task
from registry.vocab import IncidentKind, IncidentStatus, TaskStatus

LIFECYCLE_ACTIONS = ("incident.resolved", "incident.dismissed", "incident.reopened", "incident.auto-closed")


def get_incident(session: Session, incident_id: int) -> Incident:
    """One incident by id, or NotFoundError naming where to look."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFoundError(f"no incident with id {incident_id} (see `vendorwatch incidents list`)")
    return incident


def open_tasks(session: Session, incident_id: int) -> list[Task]:
    """The incident's tasks still open, by due time."""
    query = select(Task).where(col(Task.incident_id) == incident_id, col(Task.status) == TaskStatus.open)
    return list(session.execute(query.order_by(col(Task.due_at), col(Task.id))).scalars())


def quiet_recorded(session: Session, *, kind: IncidentKind | None, quiet_since: datetime) -> list[Incident]:
    """Open incidents that never alerted and have had no activity since `quiet_since` (of one kind, or all)."""
    query = select(Incident).where(
        col(Incident.status) == IncidentStatus.open,
        col(Incident.alerted).is_(False),
        col(Incident.last_activity_at) < quiet_since,
    )
    if kind is not None:
        query = query.where(col(Incident.kind) == kind)
    return list(session.execute(query.order_by(col(Incident.id))).scalars())


def last_change(session: Session, incident_id: int) -> AuditEvent | None:
    """The latest resolve, dismiss, reopen or auto-close of an incident, if any."""
    query = select(AuditEvent).where(
        col(AuditEvent.entity) == "incident", col(AuditEvent.entity_id) == str(incident_id)
    )
    query = query.where(col(AuditEvent.action).in_(LIFECYCLE_ACTIONS)).order_by(col(AuditEvent.id).desc()).limit(1)
    return session.execute(query).scalars().first()
