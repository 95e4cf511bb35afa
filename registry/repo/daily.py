"""Reads for the daily digest: incidents alerted or closed in a window, and tasks overdue at its end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from registry.models import Incident, Task, Vendor


@dataclass(frozen=True)
class DayIncident:
    """An incident alerted or closed in the window, with what the digest names it by."""

    id: int
    vendor: str
    criticality: str
    kind: str
    severity: str
    title: str
    status: str


@dataclass(frozen=True)
class OverdueTask:
    """An open task past its due time, with its incident's routing facts."""

    id: int
    title: str
    owner: str
    due_at: datetime
    incident: DayIncident


def _row(incident: Incident, vendor: Vendor) -> DayIncident:
    return DayIncident(
        incident.id or 0,
        vendor.name,
        vendor.criticality,
        incident.kind,
        incident.severity,
        incident.title,
        incident.status,
    )


def alerted_between(session: Session, start: datetime, end: datetime) -> list[DayIncident]:
    """Incidents whose alert was raised in [start, end), oldest first."""
    query = (
        select(Incident, Vendor)
        .join(Vendor, col(Vendor.id) == col(Incident.vendor_id))
        .where(col(Incident.alerted_at) >= start, col(Incident.alerted_at) < end)
        .order_by(col(Incident.alerted_at), col(Incident.id))
    )
    return [_row(i, v) for i, v in session.execute(query).all()]


def closed_between(session: Session, start: datetime, end: datetime) -> list[DayIncident]:
    """Alerted incidents closed or dismissed in [start, end), oldest first."""
    query = (
        select(Incident, Vendor)
        .join(Vendor, col(Vendor.id) == col(Incident.vendor_id))
        .where(col(Incident.alerted), col(Incident.closed_at) >= start, col(Incident.closed_at) < end)
        .order_by(col(Incident.closed_at), col(Incident.id))
    )
    return [_row(i, v) for i, v in session.execute(query).all()]


def overdue_at(session: Session, when: datetime) -> list[OverdueTask]:
    """Open tasks due before `when`, most overdue first."""
    query = (
        select(Task, Incident, Vendor)
        .join(Incident, col(Incident.id) == col(Task.incident_id))
        .join(Vendor, col(Vendor.id) == col(Incident.vendor_id))
        .where(col(Task.status) == "open", col(Task.due_at) < when)
        .order_by(col(Task.due_at), col(Task.id))
    )
    return [OverdueTask(t.id or 0, t.title, t.owner, t.due_at, _row(i, v)) for t, i, v in session.execute(query).all()]
