"""Follow-up reports coalesced: at most one thread reply per incident and channel per window, unless it matters.

A reply goes at once when something a responder must act on changed (kind, severity band, what of ours is
affected, a fired assessment trigger); otherwise the report joins a held digest ("12 more reports: ...").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from notify.base import Alert
from registry.models import Incident, Item, Vendor
from registry.repo import digests
from vendorwatch.incidents import alerts
from vendorwatch.settings import Settings

OUTLETS_SHOWN = 8
LINES_SHOWN = 20


def urgent_changes(session: Session, incident_id: int, channel: str, update: Alert) -> list[str]:
    """What changed on the root since the last one queued that a responder must act on."""
    last = digests.last_root_payload(session, incident_id, channel)
    if last is None:
        return []
    old = {label: value for label, value in last.get("fields", [])}
    new = {f.label: f.value for f in update.fields}
    reasons = [name for name in ("Kind", "Affected") if old.get(name) != new.get(name)]
    if last.get("severity") != update.severity:
        reasons.append("Severity")
    return reasons


def _digest(
    incident: Incident, vendor: Vendor, reports: list[tuple[str, str, str]], channel: str, summary: str
) -> Alert:
    """The reply for one or more reports, each (outlet, url, title)."""
    if len(reports) == 1:
        outlet, url, title = reports[0]
        return alerts.reply_alert(incident, vendor, f"New report ({outlet}): {title}", summary, url or None, channel)
    outlets = list(dict.fromkeys(r[0] for r in reports))
    named = ", ".join(outlets[:OUTLETS_SHOWN]) + (", ..." if len(outlets) > OUTLETS_SHOWN else "")
    lines = [f"• {outlet}: {title}" for outlet, _, title in reports[:LINES_SHOWN]]
    if len(reports) > LINES_SHOWN:
        lines.append(f"and {len(reports) - LINES_SHOWN} more (`vendorwatch incidents show {incident.id}`)")
    title = f"{len(reports)} more reports: {named}"
    base = alerts.reply_alert(incident, vendor, title, "\n".join(lines), None, channel)
    return replace(base, links=tuple((r[0], r[1]) for r in reports[-5:] if r[1]))


def _reports(payload: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(str(r[0]), str(r[1]), str(r[2])) for r in payload.get("reports", [])]


def report_reply(
    session: Session,
    settings: Settings,
    incident: Incident,
    item: Item,
    channels: list[str],
    *,
    urgent: bool,
    now: datetime,
) -> None:
    """Queue (or fold into a held digest) the thread reply for a new report of an alerted incident."""
    vendor = session.get_one(Vendor, incident.vendor_id)
    channel = alerts.route(settings, vendor, incident.severity)
    window = timedelta(minutes=settings.reply_window_minutes)
    report = (item.source_id, item.url, item.title)
    for name in channels:
        row = digests.held(session, incident.id or 0, name)
        reports = [*(_reports(row.payload) if row else []), report]
        alert = _digest(incident, vendor, reports, channel, item.summary)
        payload = {**alerts.payload_of(alert), "reports": [list(r) for r in reports]}
        if row is not None:
            digests.refill(session, row.id or 0, payload, release_at=now if urgent else None)
            continue
        last = digests.last_reply_at(session, incident.id or 0, name)
        due = now if urgent or last is None or last + window <= now else last + window
        digests.queue_reply(
            session, incident.id or 0, name, f"{name}:incident:{incident.id}:item:{item.id}", payload, now=now, due=due
        )
