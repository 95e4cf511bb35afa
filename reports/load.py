"""The store's rows as the reports' plain facts (one read per table, no per-row round trips)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session

from registry.models import Task
from registry.repo import deliveries
from registry.repo import incidents as incident_rows
from registry.repo import tasks as task_rows
from registry.repo import vendors as vendor_rows
from reports.backfill import backfilled_ids
from reports.facts import DepFacts, IncidentFacts, TaskFacts, VendorFacts


def load_vendors(session: Session) -> list[VendorFacts]:
    """Every vendor with its dependencies, by name."""
    creds = vendor_rows.credential_counts(session)
    deps: dict[int, list[DepFacts]] = {}
    for d in vendor_rows.dependencies_by_name(session):
        deps.setdefault(d.vendor_id, []).append(
            DepFacts(
                id=d.id or 0,
                vendor_id=d.vendor_id,
                name=d.name,
                kind=d.kind,
                users=d.users,
                token_binding=d.token_binding,
                privilege_scope=d.privilege_scope,
                trust_width=d.trust_width,
                reaches=tuple(d.reaches or ()),
                revocation_sla_s=d.revocation_sla_s,
                credentials=creds.get(d.id or 0, 0),
            )
        )
    return [
        VendorFacts(
            id=v.id or 0,
            name=v.name,
            category=v.category,
            criticality=v.criticality,
            owner=v.owner,
            users=v.users,
            review_cadence_days=v.review_cadence_days,
            deps=tuple(deps.get(v.id or 0, ())),
        )
        for v in vendor_rows.vendors_by_name(session)
    ]


def _task(t: Task) -> TaskFacts:
    return TaskFacts(
        id=t.id or 0,
        incident_id=t.incident_id,
        vendor_id=t.vendor_id,
        title=t.title,
        owner=t.owner,
        step=t.step,
        status=t.status,
        created_at=t.created_at,
        due_at=t.due_at,
        closed_at=t.closed_at,
    )


def load_tasks(session: Session) -> list[TaskFacts]:
    """Every task."""
    return [_task(t) for t in task_rows.all_by_due(session)]


def first_alerts(session: Session) -> dict[int, datetime]:
    """Per incident id: when its first root alert was sent."""
    result: dict[int, datetime] = {}
    for d in deliveries.sent_roots(session):
        if d.incident_id is not None and d.sent_at is not None:
            prior = result.get(d.incident_id)
            result[d.incident_id] = d.sent_at if prior is None else min(prior, d.sent_at)
    return result


def load_incidents(session: Session, vendors: Iterable[VendorFacts], tasks: Iterable[TaskFacts]) -> list[IncidentFacts]:
    """Every alerted incident with its tasks; alert time = first sent root delivery, else incident.alerted_at."""
    names = {v.id: v.name for v in vendors}
    by_incident: dict[int, list[TaskFacts]] = {}
    for t in tasks:
        by_incident.setdefault(t.incident_id, []).append(t)
    alerts = first_alerts(session)
    # A dismissed incident (false positive, not affected, duplicate) stays in the record, not in the counts.
    rows = incident_rows.alerted(session, include_dismissed=False)
    backfilled = backfilled_ids(session, [i.id or 0 for i in rows])
    return [
        IncidentFacts(
            id=i.id or 0,
            vendor_id=i.vendor_id,
            vendor=names.get(i.vendor_id, f"vendor {i.vendor_id}"),
            title=i.title,
            kind=i.kind,
            severity=i.severity,
            status=i.status,
            opened_at=i.opened_at,
            disclosed_at=i.disclosed_at,
            alert_at=alerts.get(i.id or 0, i.alerted_at),
            tasks=tuple(by_incident.get(i.id or 0, ())),
            backfilled=(i.id or 0) in backfilled,
        )
        for i in rows
    ]
