"""What a Slack button click does to the store: close or snooze a task, acknowledge or dismiss an incident.

Idempotent by state: a replayed click (same task already done, incident already dismissed, same user already
acknowledged, same snooze end) changes nothing and writes no audit event. Rows are locked on PostgreSQL so two
deliveries of one click cannot both pass the check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlmodel import Session

from registry.models import AuditEvent
from registry.repo import dashboard as store
from registry.vocab import IncidentStatus, TaskStatus
from vendorwatch.app import App
from vendorwatch.incidents import lifecycle
from vendorwatch.incidents.alerts import refresh_root
from vendorwatch.incidents.reasons import DismissReason
from vendorwatch.runbooks import actions, audit

SNOOZE = timedelta(hours=4)
Target = Literal["task", "incident"]


@dataclass(frozen=True)
class Click:
    """One verified button press: what, on which of our ids, by which Slack user, when (Slack's action_ts)."""

    action: str
    target: Target
    target_id: int
    user_id: str
    user_name: str
    at: datetime

    @property
    def actor(self) -> str:
        """The audit actor: the Slack user's name and id."""
        return f"{self.user_name} (slack {self.user_id})"


@dataclass(frozen=True)
class Outcome:
    """What happened, in words for the clicker; `changed` is False for a replay or a no-op."""

    changed: bool
    text: str


def apply(app: App, click: Click) -> Outcome:
    """Carry out one click in one transaction (root progress queued in the outbox in the same one)."""
    with app.session() as session:
        if click.target == "task":
            return _on_task(app, session, click)
        return _on_incident(app, session, click)


def _on_task(app: App, session: Session, click: Click) -> Outcome:
    task = store.lock_task(session, click.target_id)
    if task is None:
        return Outcome(False, f"Task {click.target_id} no longer exists.")
    if task.status != TaskStatus.open:
        return Outcome(False, f"Task {task.id} is already {task.status} (by {task.closed_by}).")
    now = app.now()
    if click.action == "vw_done":
        actions.complete(session, task.id or 0, by=click.actor, evidence="marked done in Slack", now=now)
        text = f"Task {task.id} marked done by {click.user_name}."
    elif click.action == "vw_not_affected":
        actions.waive(session, task.id or 0, by=click.actor, reason="not affected (Slack)", now=now)
        text = f"Task {task.id} waived by {click.user_name}: not affected."
    elif click.action == "vw_snooze":
        return _snooze(session, task.id or 0, click, now)
    else:
        return Outcome(False, "")
    refresh_root(session, app.settings, task.incident_id, reason=f"task:{task.id}:{task.status}", now=now)
    return Outcome(True, text)


def _snooze(session: Session, task_id: int, click: Click, now: datetime) -> Outcome:
    task = actions.get_task(session, task_id)
    until = click.at + SNOOZE
    if task.snoozed_until is not None and task.snoozed_until >= until:
        return Outcome(False, f"Task {task_id} is already snoozed until {task.snoozed_until:%H:%M} UTC.")
    before = {**audit.snapshot(task), "snoozed_until": _iso(task.snoozed_until)}
    # A new round: one reminder (or escalation, if overdue by then) once the snooze ends.
    task.snoozed_until, task.reminded_at, task.escalated_at = until, None, None
    session.flush()
    after = {**audit.snapshot(task), "snoozed_until": _iso(until)}
    audit.record(session, at=now, actor=click.actor, action="task.snoozed", task_id=task_id, before=before, after=after)
    return Outcome(True, f"Task {task_id} snoozed by {click.user_name} until {until:%H:%M} UTC.")


def _on_incident(app: App, session: Session, click: Click) -> Outcome:
    incident = store.lock_incident(session, click.target_id)
    if incident is None:
        return Outcome(False, f"Incident {click.target_id} no longer exists.")
    now = app.now()
    if click.action == "vw_not_affected":
        if incident.status != IncidentStatus.open:
            return Outcome(False, f"Incident {incident.id} is already {incident.status}.")
        _, waived = lifecycle.dismiss(
            session, app.settings, incident.id or 0, by=click.actor, reason=DismissReason.not_affected, now=now
        )
        return Outcome(
            True, f"Incident {incident.id} dismissed by {click.user_name}: not affected ({waived} open tasks waived)."
        )
    if click.action != "vw_acknowledge":
        return Outcome(False, "")
    if any(a.actor == click.actor for a in store.acknowledgements(session, incident.id or 0)):
        return Outcome(False, f"You already acknowledged incident {incident.id}.")
    session.add(
        AuditEvent(
            at=now,
            actor=click.actor,
            action=store.ACKNOWLEDGED,
            entity="incident",
            entity_id=str(incident.id),
            after={"slack_user_id": click.user_id, "slack_user_name": click.user_name},
        )
    )
    session.flush()
    refresh_root(session, app.settings, incident.id or 0, reason=f"ack:{click.user_id}", now=now)
    return Outcome(True, f"Incident {incident.id} acknowledged by {click.user_name}.")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
