"""What an incident says on a channel, and the outbox rows that carry it."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from notify.base import Alert, AlertField
from registry.models import Delivery, Incident, IncidentReference, Item, Task, Vendor
from registry.queries import insert_ignoring_conflicts
from registry.repo.dashboard import acknowledgements
from registry.types import utcnow
from vendorwatch.assessments import latest as latest_assessment
from vendorwatch.incidents import alert_facts as facts
from vendorwatch.settings import Settings

_SEVERITY_ORDER = ["info", "low", "medium", "high", "critical"]


def route(settings: Settings, vendor: Vendor, severity: str) -> str:
    """The Slack channel for an incident: the first matching route, else the default."""
    for rule in settings.routes:
        if rule.vendors and vendor.name not in rule.vendors:
            continue
        if rule.criticality and vendor.criticality not in rule.criticality:
            continue
        if rule.min_severity and _SEVERITY_ORDER.index(severity) < _SEVERITY_ORDER.index(rule.min_severity):
            continue
        return rule.channel
    return settings.slack.channel


def task_progress(session: Session, incident_id: int) -> tuple[int, int]:
    """(closed, total) rotation tasks of an incident."""
    query = (
        select(col(Task.status), func.count()).where(col(Task.incident_id) == incident_id).group_by(col(Task.status))
    )
    counts: dict[str, int] = {status: n for status, n in session.execute(query).all()}
    total = sum(counts.values())
    return total - counts.get("open", 0), total


def incident_alert(session: Session, settings: Settings, incident: Incident, kind: str) -> Alert:
    """The root message (or its in-place update) describing the incident now."""
    vendor = session.get_one(Vendor, incident.vendor_id)
    done, total = task_progress(session, incident.id or 0)
    items = list(
        session.execute(
            select(Item)
            .where(col(Item.id).in_(_reference_ids(incident.id or 0)))
            .order_by(func.coalesce(col(Item.published), col(Item.first_seen)), col(Item.id))
        ).scalars()
    )
    first = items[0] if items else None
    iid = incident.id or 0
    current = latest_assessment(session, iid)
    fields = [
        AlertField("Incident", f"#{iid}: `{facts.open_command(iid)}`"),
        AlertField("Vendor", f"{vendor.name} ({vendor.criticality})"),
        AlertField("Severity", f"{incident.severity} ({incident.severity_score:.0f})"),
        AlertField("Kind", incident.kind),
        AlertField("Status", incident.status),
        AlertField("Confidence", facts.confidence_of(incident, current)),
        AlertField("Rotation tasks", f"{done}/{total} done" if total else "none"),
        AlertField("Reports", str(len(items))),
    ]
    if current is not None:
        scores = f"impact {current.impact}, likelihood {current.likelihood}"  # confidence: the field above
        fields.append(AlertField(f"Assessment #{current.seq}", f"{scores}; horizon {current.horizon_days} d"))
    if acks := acknowledgements(session, incident.id or 0):
        fields.append(AlertField("Acknowledged by", ", ".join(dict.fromkeys(a.actor for a in acks))))
    extra, owners = facts.root_fields(session, incident)
    fields.extend(extra)
    mapped = [settings.owners[o] for o in [vendor.owner, *sorted(owners)] if o in settings.owners]
    return Alert(
        incident_id=incident.id or 0,
        kind="root" if kind == "root" else "update",
        title=f"#{iid} {incident.title}",
        text=first.summary if first else "",
        severity=incident.severity,
        vendor=vendor.name,
        url=first.url if first else None,
        fields=tuple(fields),
        mentions=tuple(dict.fromkeys(mapped)),
        channel=route(settings, vendor, incident.severity),
        links=tuple((i.source_id, i.url) for i in items[-5:]),
        actions_url=settings.serve.public_url if incident.status == "open" else None,
    )


def _reference_ids(incident_id: int) -> Any:
    return select(col(IncidentReference.item_id)).where(col(IncidentReference.incident_id) == incident_id)


def reply_alert(incident: Incident, vendor: Vendor, title: str, text: str, url: str | None, channel: str) -> Alert:
    """A thread reply under the incident's root message."""
    return Alert(
        incident_id=incident.id or 0,
        kind="reply",
        title=title,
        text=text,
        severity=incident.severity,
        vendor=vendor.name,
        url=url,
        channel=channel,
    )


def enqueue(session: Session, alert: Alert, channels: list[str], key: str, *, now: datetime | None = None) -> None:
    """Write outbox rows (one per channel) in the caller's transaction; a repeated key is ignored."""
    payload = payload_of(alert)
    due = now or utcnow()
    for channel in channels:
        if alert.kind == "update" and _unchanged(session, alert.incident_id, channel, payload):
            continue  # the root already says exactly this
        session.execute(
            insert_ignoring_conflicts(session, Delivery).values(
                incident_id=alert.incident_id or None,
                channel=channel,
                kind=alert.kind,
                dedupe_key=f"{channel}:{key}",
                payload=payload,
                status="pending",
                attempts=0,
                created_at=due,
                next_attempt_at=due,
            )
        )


def _unchanged(session: Session, incident_id: int, channel: str, payload: dict[str, Any]) -> bool:
    last = session.execute(
        select(Delivery)
        .where(col(Delivery.incident_id) == incident_id, col(Delivery.channel) == channel)
        .where(col(Delivery.kind).in_(["root", "update"]))
        .order_by(col(Delivery.id).desc())
        .limit(1)
    ).scalar_one_or_none()
    ignore = {"kind", "thread_ref"}
    same = last is not None and {k: v for k, v in last.payload.items() if k not in ignore} == {
        k: v for k, v in payload.items() if k not in ignore
    }
    return same


def payload_of(alert: Alert) -> dict[str, Any]:
    """An alert as an outbox row's JSON payload."""
    data = asdict(alert)
    data["fields"] = [[f["label"], f["value"]] for f in data["fields"]]
    data["links"] = [list(pair) for pair in data["links"]]
    data["mentions"] = list(data["mentions"])
    return data


def alert_from_payload(payload: dict[str, Any], thread_ref: str | None) -> Alert:
    """Rebuild the Alert stored in an outbox row."""
    data = dict(payload)
    data.pop("reports", None)  # a coalesced reply's report list, kept for the next report to extend
    data["fields"] = tuple(AlertField(label, value) for label, value in data.get("fields", []))
    data["links"] = tuple(tuple(pair) for pair in data.get("links", []))
    data["mentions"] = tuple(data.get("mentions", []))
    data["thread_ref"] = thread_ref
    return Alert(**data)


def refresh_root(session: Session, settings: Settings, incident_id: int, *, reason: str, now: datetime) -> None:
    """Queue an in-place update of an alerted incident's root message (e.g. new task progress)."""
    from vendorwatch.delivery.channels import active_channel_names

    incident = session.get(Incident, incident_id)
    if incident is None or not incident.alerted:
        return
    update = incident_alert(session, settings, incident, "update")
    enqueue(session, update, active_channel_names(settings), f"incident:{incident_id}:update:{reason}", now=now)
