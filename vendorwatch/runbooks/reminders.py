"""The reminder job: a thread reply before a task is due, an escalation once it is overdue. Sends once."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from sqlmodel import Session

from notify.base import Alert
from registry.models import Incident, Task, Vendor
from registry.repo.tasks import claim_open, reminder_failures
from registry.rows import REMINDER_FAILED, REMINDER_TRIES, REMINDERS_RESUMED
from vendorwatch.app import App
from vendorwatch.delivery.channels import active_channel_names
from vendorwatch.incidents import alerts
from vendorwatch.runbooks import audit
from vendorwatch.settings import Settings

logger = logging.getLogger(__name__)
MAX_TRIES = REMINDER_TRIES  # failed reminder runs before a task is set aside


def send_reminders(app: App) -> int:
    """Remind owners of tasks due within `reminder_before` and escalate overdue ones; returns messages queued.

    Idempotent: `reminded_at`/`escalated_at` and the outbox dedupe keys make a second run send nothing.
    """
    now = app.now()
    soon = now + timedelta(seconds=app.settings.reminder_before)
    channels = active_channel_names(app.settings)
    queued = 0
    with app.session() as session:
        failed = reminder_failures(session)
        for task in claim_open(session):  # locked: two schedulers never remind the same task
            if task.snoozed_until is not None and task.snoozed_until > now:
                continue  # snoozed from Slack: reminded (or escalated) again once the snooze ends
            if failed.get(str(task.id), 0) >= MAX_TRIES:
                continue  # quarantined: `status` names it; the error is in its audit trail
            try:  # one task that cannot be reminded never stops the others' reminders (no poison pills)
                with session.begin_nested():
                    queued += _due_message(session, app.settings, task, channels, now, soon)
            except Exception as exc:
                _record_failure(session, task, exc, failed.get(str(task.id), 0) + 1, now)
    if queued:
        logger.info("queued %d task reminder/escalation messages", queued)
    return queued


def _due_message(
    session: Session, settings: Settings, task: Task, channels: list[str], now: datetime, soon: datetime
) -> int:
    if task.due_at < now and task.escalated_at is None:
        return _escalate(session, settings, task, channels, now)
    if task.due_at <= soon and task.reminded_at is None and task.escalated_at is None:
        return _remind(session, settings, task, channels, now)
    return 0


def resume_reminders(session: Session, task: Task, *, by: str, now: datetime) -> bool:
    """Remind a set-aside task again (`tasks resume`), audited; False when it was not set aside."""
    tries = reminder_failures(session).get(str(task.id), 0)
    if tries < MAX_TRIES:
        return False
    audit.record(
        session,
        at=now,
        actor=by,
        action=REMINDERS_RESUMED,
        task_id=task.id or 0,
        before={"failed_tries": tries},
        after={"failed_tries": 0},
    )
    return True


def _record_failure(session: Session, task: Task, exc: Exception, tries: int, now: datetime) -> None:
    error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]
    audit.record(
        session,
        at=now,
        actor="vendorwatch",
        action=REMINDER_FAILED,
        task_id=task.id or 0,
        before=None,
        after={"error": error, "tries": tries},
    )
    if tries == 1:
        logger.warning("task %s: reminder failed (will retry): %s", task.id, error)
    elif tries >= MAX_TRIES:
        logger.error("task %s: reminder quarantined after %d failures: %s", task.id, tries, error)


def _context(session: Session, task: Task) -> tuple[Incident, Vendor]:
    return session.get_one(Incident, task.incident_id), session.get_one(Vendor, task.vendor_id)


def _mentions(settings: Settings, task: Task) -> tuple[str, ...]:
    slack_id = settings.owners.get(task.owner)
    return (slack_id,) if slack_id else ()


def _about(reply: Alert, settings: Settings, task: Task) -> Alert:
    """The reply with the owner's mention and, when `serve` is public, the task's Slack buttons."""
    return replace(reply, mentions=_mentions(settings, task), task_id=task.id, actions_url=settings.serve.public_url)


def _round(task: Task) -> str:
    """Dedupe-key suffix: each snooze starts a new round of one reminder and one escalation."""
    return f":{task.snoozed_until.isoformat()}" if task.snoozed_until else ""


def _remind(session: Session, settings: Settings, task: Task, channels: list[str], now: datetime) -> int:
    incident, vendor = _context(session, task)
    due = task.due_at.strftime("%Y-%m-%d %H:%M UTC")
    text = f"Task {task.id} for {task.owner or 'its owner'} is due {due}: `vendorwatch tasks done {task.id} --by NAME`."
    reply = alerts.reply_alert(
        incident, vendor, f"[REMINDER] {task.title}", text, None, alerts.route(settings, vendor, incident.severity)
    )
    alerts.enqueue(session, _about(reply, settings, task), channels, f"task:{task.id}:reminder{_round(task)}", now=now)
    before = audit.snapshot(task)
    task.reminded_at = now
    audit.record(
        session,
        at=now,
        actor="vendorwatch",
        action="task.reminded",
        task_id=task.id or 0,
        before=before,
        after=audit.snapshot(task),
    )
    return 1


def _escalate(session: Session, settings: Settings, task: Task, channels: list[str], now: datetime) -> int:
    incident, vendor = _context(session, task)
    due = task.due_at.strftime("%Y-%m-%d %H:%M UTC")
    text = (
        f"Task {task.id} was due {due} and is still open (owner: {task.owner or 'unassigned'}): "
        f"`vendorwatch tasks done {task.id} --by NAME`."
    )
    title = f"[ESCALATION] {task.title}"
    mentions = _mentions(settings, task)
    reply = alerts.reply_alert(incident, vendor, title, text, None, alerts.route(settings, vendor, incident.severity))
    alerts.enqueue(
        session, _about(reply, settings, task), channels, f"task:{task.id}:escalation{_round(task)}", now=now
    )
    sent = 1
    if settings.slack.escalation_channel:
        # A root message of its own, not tied to the incident (incident_id 0): the outbox keys the
        # incident's thread by (incident, channel, kind=root), so reusing the id would hijack that thread.
        root = replace(
            reply,
            incident_id=0,
            kind="root",
            title=f"{vendor.name} incident {incident.id}: {title}",
            channel=settings.slack.escalation_channel,
            mentions=mentions,
        )
        alerts.enqueue(session, root, channels, f"task:{task.id}:escalation:root{_round(task)}", now=now)
        sent += 1
    before = audit.snapshot(task)
    task.escalated_at = now
    audit.record(
        session,
        at=now,
        actor="vendorwatch",
        action="task.escalated",
        task_id=task.id or 0,
        before=before,
        after={**audit.snapshot(task), "escalation_channel": settings.slack.escalation_channel},
    )
    return sent
