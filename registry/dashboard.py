"""Queries behind the web dashboard and the Slack buttons: open incidents, open tasks, acknowledgements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from registry.models import AuditEvent, Incident, Task, Vendor

SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
ACKNOWLEDGED = "incident.acknowledged"


@dataclass(frozen=True)
class OpenIncident:
    """An open incident as the dashboard lists it."""

    id: int
    vendor: str
    criticality: str
    title: str
    kind: str
    severity: str
    severity_score: float
    alerted: bool
    opened_at: datetime
    tasks_closed: int
    tasks_total: int


@dataclass(frozen=True)
class OpenTask:
    """An open task with its vendor's name."""

    id: int
    incident_id: int
    vendor: str
    title: str
    owner: str
    due_at: datetime
    snoozed_until: datetime | None


def open_incidents(session: Session) -> list[OpenIncident]:
    """Open incidents, most severe first (then highest score, newest)."""
    counts: dict[int, tuple[int, int]] = {}
    by = (col(Task.incident_id), col(Task.status))
    query = select(*by, func.count()).group_by(*by)
    query = query.join(Incident, col(Incident.id) == col(Task.incident_id)).where(col(Incident.status) == "open")
    for incident_id, status, n in session.execute(query).all():
        closed, total = counts.get(incident_id, (0, 0))
        counts[incident_id] = (closed + (n if status != "open" else 0), total + n)
    rows = session.execute(
        select(Incident, col(Vendor.name), col(Vendor.criticality))
        .join(Vendor, col(Vendor.id) == col(Incident.vendor_id))
        .where(col(Incident.status) == "open")
    ).all()
    found = [
        OpenIncident(i.id or 0, name, crit, i.title, i.kind, i.severity, i.severity_score, i.alerted, i.opened_at,
                     *counts.get(i.id or 0, (0, 0)))
        for i, name, crit in rows
    ]  # fmt: skip
    return sorted(found, key=lambda r: (SEVERITY_RANK.get(r.severity, 9), -r.severity_score, -r.id))


def open_tasks(session: Session) -> list[OpenTask]:
    """Every open task with its vendor, by due time."""
    rows = session.execute(
        select(Task, col(Vendor.name))
        .join(Vendor, col(Vendor.id) == col(Task.vendor_id))
        .where(col(Task.status) == "open")
        .order_by(col(Task.due_at), col(Task.id))
    ).all()
    return [OpenTask(t.id or 0, t.incident_id, name, t.title, t.owner, t.due_at, t.snoozed_until) for t, name in rows]


def recent_audit(session: Session, limit: int) -> list[AuditEvent]:
    """The latest audit events, newest first."""
    return list(session.execute(select(AuditEvent).order_by(col(AuditEvent.id).desc()).limit(limit)).scalars())


def acknowledgements(session: Session, incident_id: int) -> list[AuditEvent]:
    """Who acknowledged an incident, first acknowledgement first."""
    query = select(AuditEvent).where(col(AuditEvent.action) == ACKNOWLEDGED, col(AuditEvent.entity) == "incident")
    query = query.where(col(AuditEvent.entity_id) == str(incident_id)).order_by(col(AuditEvent.id))
    return list(session.execute(query).scalars())


def lock_task(session: Session, task_id: int) -> Task | None:
    """A task, row-locked on PostgreSQL so that two deliveries of one click change it once."""
    return session.get(Task, task_id, with_for_update=session.get_bind().dialect.name == "postgresql")


def lock_incident(session: Session, incident_id: int) -> Incident | None:
    """An incident, row-locked on PostgreSQL (see lock_task)."""
    return session.get(Incident, incident_id, with_for_update=session.get_bind().dialect.name == "postgresql")
