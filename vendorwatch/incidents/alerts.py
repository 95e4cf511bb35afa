"""What an incident says on a channel, and the outbox rows that carry it."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlmodel import Session

from notify.base import Alert, AlertField
from registry.models import Incident, Vendor
from registry.repo import alerting, deliveries, digests
from registry.repo.dashboard import acknowledgements
from registry.types import utcnow
from registry.vocab import Criticality, IncidentStatus, SeverityLevel, at_least
from vendorwatch.assessments import latest as latest_assessment
from vendorwatch.incidents import alert_facts as facts
from vendorwatch.settings import Settings


def route(settings: Settings, vendor: Vendor, severity: SeverityLevel) -> str:
    """The Slack channel for an incident: the first matching route, else the default."""
    return route_for(settings, vendor.name, vendor.criticality, severity)


def route_for(settings: Settings, vendor: str, criticality: Criticality, severity: SeverityLevel) -> str:
    """See route; by the vendor's name and criticality."""
    for rule in settings.routes:
        if rule.vendors and vendor not in rule.vendors:
            continue
        if rule.criticality and criticality not in rule.criticality:
            continue
        if rule.min_severity and not at_least(severity, rule.min_severity):
            continue
        return rule.channel
    return settings.slack.channel


def incident_alert(session: Session, settings: Settings, incident: Incident, kind: str) -> Alert:
    """The root message (or its in-place update) describing the incident now."""
    vendor = session.get_one(Vendor, incident.vendor_id)
    done, total = alerting.task_progress(session, incident.id or 0)
    items = alerting.reports_of(session, incident.id or 0)
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
        actions_url=settings.serve.public_url if incident.status == IncidentStatus.open else None,
    )


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


def enqueue(session: Session, alert: Alert, channels: list[str], key: str, *, now: datetime | None = None) -> list[str]:
    """Write outbox rows (one per channel) in the caller's transaction; a repeated key is ignored.

    Returns the channels it was new on.
    """
    payload = payload_of(alert)
    due = now or utcnow()
    queued = []
    for channel in channels:
        if alert.kind == "update" and _unchanged(session, alert.incident_id, channel, payload):
            continue  # the root already says exactly this
        if alerting.queue(
            session,
            incident_id=alert.incident_id or None,
            channel=channel,
            kind=alert.kind,
            key=f"{channel}:{key}",
            payload=payload,
            due=due,
        ):
            queued.append(channel)
    return queued


def already_queued(session: Session, channels: list[str], key: str) -> bool:
    """Every channel has `key` in its outbox already (enqueue would add nothing): a cheap check before building."""
    return deliveries.count_with_keys(session, [f"{channel}:{key}" for channel in channels]) >= len(channels)


def _unchanged(session: Session, incident_id: int, channel: str, payload: dict[str, Any]) -> bool:
    last = digests.last_root_payload(session, incident_id, channel)
    ignore = {"kind", "thread_ref"}
    return last is not None and {k: v for k, v in last.items() if k not in ignore} == {
        k: v for k, v in payload.items() if k not in ignore
    }


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
