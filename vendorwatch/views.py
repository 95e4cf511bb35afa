"""Read models for the CLI and reports: incidents with their timelines, sources with their health."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from registry.errors import NotFoundError
from registry.models import Assessment, Incident, IncidentReference, Item, Task, Vendor


@dataclass(frozen=True)
class Reference:
    """One report in an incident's timeline."""

    url: str
    title: str
    source: str
    published: datetime | None
    role: str
    added_at: datetime
    also_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class IncidentView:
    """An incident as users see it."""

    id: int
    vendor: str
    title: str
    kind: str
    severity: str
    severity_score: float
    severity_parts: list[Any]
    confidence: float
    status: str
    alerted: bool
    alert_reason: str
    first_seen: datetime
    disclosed_at: datetime | None
    alerted_at: datetime | None
    evidence: list[str]
    references: list[Reference]
    tasks_done: int
    tasks_total: int
    thread_ref: str | None

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of `incidents list --json` (DESIGN.md contract plus extras)."""
        data = asdict(self)
        data["references"] = [
            {"url": r.url, "title": r.title, "source": r.source, "published": r.published, "role": r.role}
            for r in self.references
        ]
        return data


def incident_view(session: Session, incident: Incident, vendor: Vendor) -> IncidentView:
    """Build the view of one incident."""
    rows = session.execute(
        select(Item, IncidentReference)
        .join(IncidentReference, col(IncidentReference.item_id) == col(Item.id))
        .where(col(IncidentReference.incident_id) == incident.id)
    ).all()
    refs = sorted(
        (Reference(i.url, i.title, i.source_id, i.published, r.role, r.added_at, tuple(i.also_in)) for i, r in rows),
        key=lambda r: r.published or r.added_at,
    )
    tasks = list(session.execute(select(Task).where(col(Task.incident_id) == incident.id)).scalars())
    return IncidentView(
        id=incident.id or 0, vendor=vendor.name, title=incident.title, kind=incident.kind,
        severity=incident.severity, severity_score=incident.severity_score, severity_parts=incident.severity_parts,
        confidence=incident.confidence, status=incident.status, alerted=incident.alerted,
        alert_reason=incident.alert_reason, first_seen=incident.opened_at, disclosed_at=incident.disclosed_at,
        alerted_at=incident.alerted_at, evidence=incident.evidence, references=refs,
        tasks_done=sum(1 for t in tasks if t.status != "open"), tasks_total=len(tasks), thread_ref=incident.thread_ref,
    )  # fmt: skip


def list_incidents(session: Session, *, alerted_only: bool = False) -> list[IncidentView]:
    """Every incident, newest first."""
    query = select(Incident, Vendor).join(Vendor, col(Vendor.id) == col(Incident.vendor_id))
    if alerted_only:
        query = query.where(col(Incident.alerted).is_(True))
    rows = session.execute(query.order_by(col(Incident.opened_at).desc(), col(Incident.id).desc())).all()
    return [incident_view(session, inc, vendor) for inc, vendor in rows]


def get_incident(session: Session, incident_id: int) -> IncidentView:
    """One incident by id, or NotFoundError."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFoundError(f"no incident with id {incident_id}")
    return incident_view(session, incident, session.get_one(Vendor, incident.vendor_id))


def incident_tasks(session: Session, incident_id: int) -> list[Task]:
    """The rotation tasks of an incident, by due time."""
    query = select(Task).where(col(Task.incident_id) == incident_id).order_by(col(Task.due_at), col(Task.id))
    return list(session.execute(query).scalars())


def incident_assessments(session: Session, incident_id: int) -> list[Assessment]:
    """The assessments of an incident, baseline first."""
    query = select(Assessment).where(col(Assessment.incident_id) == incident_id).order_by(col(Assessment.seq))
    return list(session.execute(query).scalars())
