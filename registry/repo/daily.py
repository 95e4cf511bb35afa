"""Reads for the daily digest: incidents alerted or closed in a window, and tasks overdue at its end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlmodel import Session, col

from registry.models import Incident, Task, Vendor
from registry.vocab import Criticality, IncidentKind, SeverityLevel, TaskStatus


@dataclass(frozen=True)
class DayIncident:
    """An incident alerted or closed in the window, with what the digest names it by."""

    id: int
    vendor: str
    criticality: Criticality
    kind: IncidentKind
    severity: SeverityLevel
    title: str


@dataclass(frozen=True)
class OverdueTask:
    """An open task past its due time, with its incident's routing facts."""

    id: int
    title: str
    owner: str
    due_at: datetime
    incident: DayIncident


# Columns, not entities: a busy store has thousands of overdue tasks, and loading ORM objects for each one
# took 1 s of a digest (bench/digest_bench.py).
_INCIDENT = (
    col(Incident.id),
    col(Vendor.name),
    col(Vendor.criticality),
    col(Incident.kind),
    col(Incident.severity),
    col(Incident.title),
)


def _incidents(session: Session, *where: ColumnElement[bool], order: Any) -> list[DayIncident]:
    query = select(*_INCIDENT).join(Vendor, col(Vendor.id) == col(Incident.vendor_id)).where(*where)
    rows = session.execute(query.order_by(order, col(Incident.id))).all()
    return [DayIncident(*row) for row in rows]


def alerted_between(session: Session, start: datetime, end: datetime) -> list[DayIncident]:
    """Incidents whose alert was raised in [start, end), oldest first."""
    when = col(Incident.alerted_at)
    return _incidents(session, when >= start, when < end, order=when)


def closed_between(session: Session, start: datetime, end: datetime) -> list[DayIncident]:
    """Alerted incidents closed or dismissed in [start, end), oldest first."""
    when = col(Incident.closed_at)
    return _incidents(session, col(Incident.alerted).is_(True), when >= start, when < end, order=when)


def overdue_at(session: Session, when: datetime) -> list[OverdueTask]:
    """Open tasks due before `when`, most overdue first."""
    query = (
        select(col(Task.id), col(Task.title), col(Task.owner), col(Task.due_at), *_INCIDENT)
        .join(Incident, col(Incident.id) == col(Task.incident_id))
        .join(Vendor, col(Vendor.id) == col(Incident.vendor_id))
        .where(col(Task.status) == TaskStatus.open, col(Task.due_at) < when)
        .order_by(col(Task.due_at), col(Task.id))
    )
    rows = session.execute(query).all()
    return [OverdueTask(r[0] or 0, r[1], r[2], r[3], DayIncident(*r[4:])) for r in rows]
