"""Queries behind the web dashboard and the Slack buttons: open incidents, open tasks, acknowledgements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from registry.models import AuditEvent, Delivery, Dependency, Incident, IncidentReference, Item, Task, Vendor
from registry.vocab import Criticality, DeliveryStatus, IncidentKind, IncidentStatus, SeverityLevel, TaskStatus

SEVERITY_RANK: dict[SeverityLevel, int] = {level: rank for rank, level in enumerate(SeverityLevel)}
ACKNOWLEDGED = "incident.acknowledged"


@dataclass(frozen=True)
class OpenIncident:
    """An open incident as the dashboard lists it."""

    id: int
    vendor: str
    criticality: Criticality
    title: str
    kind: IncidentKind
    severity: SeverityLevel
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


@dataclass(frozen=True)
class TimelineStep:
    """One report in an open incident's timeline."""

    when: datetime
    source: str
    title: str
    role: str


@dataclass(frozen=True)
class VendorLine:
    """A vendor's identity and what its dependencies add up to (for the exposure pressure)."""

    id: int
    name: str
    category: str
    criticality: Criticality
    owner: str
    users: int
    review_cadence_days: int | None
    trust_width: int
    privilege_scopes: frozenset[str]


@dataclass(frozen=True)
class AlertedIncident:
    """When an alerted (not dismissed) incident was disclosed and first alerted: its detection time."""

    id: int
    vendor_id: int
    disclosed_at: datetime | None
    alert_at: datetime | None


# Column queries on the Core connection, not ORM objects: the page reads thousands of rows per request
# (bench/dashboard_bench.py), and ORM row loading cost more than the queries themselves.
def open_incidents(session: Session) -> list[OpenIncident]:
    """Open incidents, most severe first (then highest score, newest)."""
    counts: dict[int, tuple[int, int]] = {}
    by = (col(Task.incident_id), col(Task.status))
    query = select(*by, func.count()).group_by(*by)
    query = query.join(Incident, col(Incident.id) == col(Task.incident_id)).where(
        col(Incident.status) == IncidentStatus.open
    )
    for incident_id, status, n in _rows(session, query):
        closed, total = counts.get(incident_id, (0, 0))
        counts[incident_id] = (closed + (n if status != TaskStatus.open else 0), total + n)
    columns = (
        col(Incident.id),
        col(Vendor.name),
        col(Vendor.criticality),
        col(Incident.title),
        col(Incident.kind),
        col(Incident.severity),
        col(Incident.severity_score),
        col(Incident.alerted),
        col(Incident.opened_at),
    )
    rows = _rows(
        session,
        select(*columns)
        .join(Vendor, col(Vendor.id) == col(Incident.vendor_id))
        .where(col(Incident.status) == IncidentStatus.open),
    )
    found = [OpenIncident(*_values(row, counts.get(row[0], (0, 0)))) for row in rows]
    return sorted(found, key=lambda r: (SEVERITY_RANK[r.severity], -r.severity_score, -r.id))


def open_tasks(session: Session) -> list[OpenTask]:
    """Every open task with its vendor, by due time."""
    columns = (
        col(Task.id),
        col(Task.incident_id),
        col(Vendor.name),
        col(Task.title),
        col(Task.owner),
        col(Task.due_at),
        col(Task.snoozed_until),
    )
    query = (
        select(*columns).join(Vendor, col(Vendor.id) == col(Task.vendor_id)).where(col(Task.status) == TaskStatus.open)
    )
    return [OpenTask(*row) for row in _rows(session, query.order_by(col(Task.due_at), col(Task.id)))]


def timelines(session: Session, incident_ids: list[int], limit: int) -> dict[int, tuple[list[TimelineStep], int]]:
    """Per incident: its first `limit` reports by time, and how many more there are."""
    if not incident_ids:
        return {}
    when = func.coalesce(col(Item.published), col(Item.first_seen))
    query = select(
        col(IncidentReference.incident_id), when, col(Item.source_id), col(Item.title), col(IncidentReference.role)
    ).join(Item, col(Item.id) == col(IncidentReference.item_id))
    query = query.where(col(IncidentReference.incident_id).in_(incident_ids)).order_by(when, col(Item.id))
    grouped: dict[int, list[TimelineStep]] = {}
    for incident_id, *rest in _rows(session, query):
        grouped.setdefault(incident_id, []).append(TimelineStep(*rest))
    return {iid: (steps[:limit], max(0, len(steps) - limit)) for iid, steps in grouped.items()}


def vendor_lines(session: Session) -> list[VendorLine]:
    """Every vendor by name, with its dependencies' total trust width and privilege scopes."""
    width: dict[int, int] = {}
    scopes: dict[int, set[str]] = {}
    by = (col(Dependency.vendor_id), col(Dependency.privilege_scope))
    totals = select(*by, func.sum(col(Dependency.trust_width))).group_by(*by)
    for vendor_id, scope, total in _rows(session, totals):
        width[vendor_id] = width.get(vendor_id, 0) + int(total or 0)
        scopes.setdefault(vendor_id, set()).add(scope)
    columns = (
        col(Vendor.id),
        col(Vendor.name),
        col(Vendor.category),
        col(Vendor.criticality),
        col(Vendor.owner),
        col(Vendor.users),
        col(Vendor.review_cadence_days),
    )
    rows = _rows(session, select(*columns).order_by(col(Vendor.name)))
    return [VendorLine(*_values(row, (width.get(row[0], 0), frozenset(scopes.get(row[0], ()))))) for row in rows]


def alerted_incidents(session: Session) -> list[AlertedIncident]:
    """Alerted, not dismissed incidents; alert time = first sent root delivery, else the incident's alerted_at."""
    sent = (
        select(col(Delivery.incident_id), func.min(col(Delivery.sent_at)).label("first"))
        .where(
            col(Delivery.kind) == "root",
            col(Delivery.status) == DeliveryStatus.sent,
            col(Delivery.incident_id).is_not(None),
        )
        .group_by(col(Delivery.incident_id))
        .subquery()
    )
    query = select(
        col(Incident.id), col(Incident.vendor_id), col(Incident.disclosed_at), col(Incident.alerted_at), sent.c.first
    ).outerjoin(sent, sent.c.incident_id == col(Incident.id))
    query = query.where(col(Incident.alerted), col(Incident.status) != IncidentStatus.dismissed)
    rows = _rows(session, query)
    return [AlertedIncident(i, v, disclosed, first or alerted) for i, v, disclosed, alerted, first in rows]


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


def _rows(session: Session, query: Any) -> list[Any]:
    return list(session.connection().execute(query).all())


def _values(row: Any, extra: tuple[Any, ...]) -> tuple[Any, ...]:
    return (*row, *extra)
