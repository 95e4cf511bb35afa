"""Incidents as users see them (with their timelines), and the incident rows other read models start from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from registry.errors import NotFoundError
from registry.models import Incident, IncidentReference, Item, Vendor
from registry.repo.tasks import tasks_of_incident
from registry.vocab import IncidentKind, IncidentStatus, SeverityLevel, TaskStatus


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
    kind: IncidentKind
    severity: SeverityLevel
    severity_score: float
    severity_parts: list[Any]
    confidence: float
    status: IncidentStatus
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


def references(session: Session, incident_ids: Sequence[int]) -> list[tuple[IncidentReference, Item]]:
    """The references of these incidents with their items, in the order they joined (reference id)."""
    if not incident_ids:
        return []
    query = (
        select(IncidentReference, Item)
        .join(Item, col(Item.id) == col(IncidentReference.item_id))
        .where(col(IncidentReference.incident_id).in_(list(incident_ids)))
        .order_by(col(IncidentReference.id))
    )
    return [(ref, item) for ref, item in session.execute(query).all()]


def incident_view(session: Session, incident: Incident, vendor: Vendor) -> IncidentView:
    """Build the view of one incident."""
    refs = sorted(
        (
            Reference(i.url, i.title, i.source_id, i.published, r.role, r.added_at, tuple(i.also_in))
            for r, i in references(session, [incident.id or 0])
        ),
        key=lambda r: r.published or r.added_at,
    )
    tasks = tasks_of_incident(session, incident.id or 0)
    return IncidentView(
        id=incident.id or 0,
        vendor=vendor.name,
        title=incident.title,
        kind=incident.kind,
        severity=incident.severity,
        severity_score=incident.severity_score,
        severity_parts=incident.severity_parts,
        confidence=incident.confidence,
        status=incident.status,
        alerted=incident.alerted,
        alert_reason=incident.alert_reason,
        first_seen=incident.opened_at,
        disclosed_at=incident.disclosed_at,
        alerted_at=incident.alerted_at,
        evidence=incident.evidence,
        references=refs,
        tasks_done=sum(1 for t in tasks if t.status != TaskStatus.open),
        tasks_total=len(tasks),
        thread_ref=incident.thread_ref,
    )


def with_vendors(session: Session, *, alerted_only: bool = False) -> list[tuple[Incident, Vendor]]:
    """Every incident with its vendor, newest first."""
    query = select(Incident, Vendor).join(Vendor, col(Vendor.id) == col(Incident.vendor_id))
    if alerted_only:
        query = query.where(col(Incident.alerted).is_(True))
    rows = session.execute(query.order_by(col(Incident.opened_at).desc(), col(Incident.id).desc())).all()
    return [(incident, vendor) for incident, vendor in rows]


def list_incidents(session: Session, *, alerted_only: bool = False) -> list[IncidentView]:
    """Every incident, newest first."""
    return [incident_view(session, inc, vendor) for inc, vendor in with_vendors(session, alerted_only=alerted_only)]


def get_incident(session: Session, incident_id: int) -> IncidentView:
    """One incident by id, or NotFoundError."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFoundError(f"no incident with id {incident_id}")
    return incident_view(session, incident, session.get_one(Vendor, incident.vendor_id))


def alerted(session: Session, *, include_dismissed: bool = True) -> list[Incident]:
    """Every alerted incident, by id (without the dismissed ones if asked)."""
    query = select(Incident).where(col(Incident.alerted))
    if not include_dismissed:
        query = query.where(col(Incident.status) != IncidentStatus.dismissed)
    return list(session.execute(query.order_by(col(Incident.id))).scalars())


def of_vendor(
    session: Session, vendor_id: int, *, opened_after: datetime | None = None, include_dismissed: bool = True
) -> list[Incident]:
    """A vendor's incidents (opened after a time, if given), oldest first."""
    query = select(Incident).where(col(Incident.vendor_id) == vendor_id)
    if not include_dismissed:
        query = query.where(col(Incident.status) != IncidentStatus.dismissed)
    if opened_after is not None:
        query = query.where(col(Incident.opened_at) > opened_after)
    return list(session.execute(query.order_by(col(Incident.opened_at))).scalars())
