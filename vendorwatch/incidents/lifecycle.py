"""The incident lifecycle: resolve, dismiss (closing its open tasks as waived), reopen, quiet auto-close.

Every change is one audit event on the incident; an alerted incident's root message is updated in place.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from registry.models import Incident
from registry.repo import audit
from registry.repo import lifecycle as store
from registry.vocab import IncidentKind, IncidentStatus
from vendorwatch.app import App
from vendorwatch.incidents.alerts import refresh_root
from vendorwatch.incidents.reasons import DismissReason
from vendorwatch.runbooks import actions
from vendorwatch.settings import Settings

logger = logging.getLogger(__name__)
# A recorded (never alerted) incident with no new report for this long closes itself: outages are
# over within hours, other recorded incidents are kept open longer in case a report escalates them.
QUIET: dict[IncidentKind, timedelta] = {IncidentKind.outage: timedelta(days=2)}
QUIET_OTHER = timedelta(days=14)


class LifecycleError(Exception):
    """An incident cannot change as asked (already closed, not closed); the message says why."""


def _snapshot(incident: Incident) -> dict[str, Any]:
    closed = incident.closed_at.isoformat() if incident.closed_at else None
    return {"status": incident.status, "closed_at": closed}


def _change(
    session: Session,
    settings: Settings,
    incident: Incident,
    status: IncidentStatus,
    *,
    by: str,
    action: str,
    now: datetime,
    extra: dict[str, Any],
) -> Incident:
    if not by.strip():
        raise LifecycleError("--by is required: who changed the incident")
    before = _snapshot(incident)
    incident.status, incident.closed_at = status, (None if status == IncidentStatus.open else now)
    session.flush()
    audit.record(
        session,
        at=now,
        actor=by.strip(),
        action=action,
        entity="incident",
        entity_id=str(incident.id),
        before=before,
        after={**_snapshot(incident), **extra},
    )
    refresh_root(session, settings, incident.id or 0, reason=f"{action}:{now.isoformat()}", now=now)
    return incident


def _closable(session: Session, incident_id: int) -> Incident:
    incident = store.get_incident(session, incident_id)
    if incident.status != IncidentStatus.open:
        raise LifecycleError(f"incident {incident_id} is already {incident.status} (`incidents reopen` first)")
    return incident


def resolve(
    session: Session, settings: Settings, incident_id: int, *, by: str, note: str | None, now: datetime
) -> Incident:
    """Close an incident as dealt with; its tasks stay as they are (open ones keep reminding)."""
    incident = _closable(session, incident_id)
    return _change(
        session,
        settings,
        incident,
        IncidentStatus.resolved,
        by=by,
        action="incident.resolved",
        now=now,
        extra={"note": note},
    )


def dismiss(
    session: Session, settings: Settings, incident_id: int, *, by: str, reason: DismissReason, now: datetime
) -> tuple[Incident, int]:
    """Close an incident that needs no clean-up; its open tasks are waived. Returns (incident, tasks waived)."""
    incident = _closable(session, incident_id)
    tasks = store.open_tasks(session, incident_id)
    for task in tasks:
        actions.waive(session, task.id or 0, by=by, reason=f"incident {incident_id} dismissed: {reason}", now=now)
    changed = _change(
        session,
        settings,
        incident,
        IncidentStatus.dismissed,
        by=by,
        action="incident.dismissed",
        now=now,
        extra={"reason": str(reason), "tasks_waived": len(tasks)},
    )
    return changed, len(tasks)


def reopen(
    session: Session, settings: Settings, incident_id: int, *, by: str, note: str | None, now: datetime
) -> Incident:
    """Open a resolved or dismissed incident again (tasks closed meanwhile stay closed)."""
    incident = store.get_incident(session, incident_id)
    if incident.status == IncidentStatus.open:
        raise LifecycleError(f"incident {incident_id} is already open")
    return _change(
        session,
        settings,
        incident,
        IncidentStatus.open,
        by=by,
        action="incident.reopened",
        now=now,
        extra={"note": note},
    )


def close_quiet(app: App) -> int:
    """Resolve recorded incidents that have gone quiet (see QUIET); returns how many closed."""
    now, closed = app.now(), 0
    with app.session() as session:
        for kind, quiet in [*QUIET.items(), (None, QUIET_OTHER)]:
            for incident in store.quiet_recorded(session, kind=kind, quiet_since=now - quiet):
                if kind is None and incident.kind in QUIET:
                    continue  # that kind has its own quiet period, checked above
                days = round((now - incident.last_activity_at) / timedelta(days=1), 1)
                _change(
                    session,
                    app.settings,
                    incident,
                    IncidentStatus.resolved,
                    by="vendorwatch",
                    action="incident.auto-closed",
                    now=now,
                    extra={"quiet_days": days},
                )
                closed += 1
    if closed:
        logger.info("closed %d recorded incidents after a quiet period", closed)
    return closed
