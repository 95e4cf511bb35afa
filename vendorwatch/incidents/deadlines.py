"""Reminders before each regulatory deadline, and a message once one passed, in the incident's thread.

Each is sent once: the outbox's unique dedupe key (`deadline:INCIDENT:REGIME:STEP:before|passed`) makes a
second run, or a second worker, queue nothing. A step recorded as submitted (`incidents notified`) is quiet.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from registry.models import Incident, Vendor
from registry.repo import clocks as store
from registry.repo.clocks import Deadline
from registry.repo.deliveries import existing_keys
from vendorwatch.app import App
from vendorwatch.delivery.channels import active_channel_names
from vendorwatch.incidents import alerts
from vendorwatch.settings import Settings

logger = logging.getLogger(__name__)
H = timedelta(hours=1)
# About a quarter of each step's time left, rounded to what a person plans around.
DEFAULT_LEAD = {
    ("dora", "initial"): 1 * H,  # 4 h step
    ("dora", "intermediate"): 12 * H,  # 72 h
    ("dora", "final"): 72 * H,  # 1 month
    ("nis2", "early-warning"): 4 * H,  # 24 h
    ("nis2", "notification"): 12 * H,  # 72 h
    ("nis2", "final"): 72 * H,  # 1 month
    ("sec", "form-8-k"): 24 * H,  # 4 business days
}


def lead(settings: Settings, regime: str, step: str) -> timedelta:
    """How long before its deadline a step's reminder is sent: the setting, else the default."""
    configured = settings.deadline_reminders.get(f"{regime}.{step}")
    return timedelta(seconds=configured) if configured is not None else DEFAULT_LEAD[regime, step]


def send_deadline_reminders(app: App) -> int:
    """Queue the reminders and deadline-passed messages that are due now; returns how many were queued."""
    if not app.settings.regimes:
        return 0
    now, channels = app.now(), active_channel_names(app.settings)
    queued = 0
    with app.session() as session:
        due_now = [
            (d, kind)
            for d in store.deadlines(session, app.settings.regimes, skip_dismissed=True)
            if (kind := _kind(app.settings, d, now)) is not None
        ]
        sent = existing_keys(session, [f"{c}:{_key(d, kind)}" for d, kind in due_now for c in channels])
        for due, kind in due_now:
            key = _key(due, kind)
            if all(f"{c}:{key}" in sent for c in channels):
                continue  # sent already (or no channel to send it on)
            try:  # one step that cannot be announced never stops the others
                with session.begin_nested():
                    _enqueue(session, app.settings, due, kind, channels, key, now)
                    queued += 1
            except Exception:
                logger.exception("incident %s: %s %s deadline message failed", due.incident_id, due.regime, due.step)
    if queued:
        logger.info("queued %d regulatory deadline messages", queued)
    return queued


def _key(due: Deadline, kind: str) -> str:
    return f"deadline:{due.incident_id}:{due.regime}:{due.step}:{kind}"


def _kind(settings: Settings, due: Deadline, now: datetime) -> str | None:
    if due.submitted_at is not None:
        return None
    if due.due <= now:
        return "passed"
    return "before" if due.due - lead(settings, due.regime, due.step) <= now else None


def _when(due: datetime, now: datetime) -> str:
    return due.strftime("%H:%M UTC" if due.date() == now.date() else "%Y-%m-%d %H:%M UTC")


def _span(delta: timedelta) -> str:
    minutes = round(abs(delta).total_seconds() / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{round(minutes / 60)} h" if minutes < 48 * 60 else f"{round(minutes / 1440)} days"


def message(due: Deadline, kind: str, now: datetime) -> tuple[str, str]:
    """The reply's title and text, e.g. '[DEADLINE] DORA initial notification due 14:00 UTC (in 1 h)'."""
    command = f"vendorwatch incidents notified {due.incident_id} --regime {due.regime} --step {due.step} --by NAME"
    when = _when(due.due.astimezone(UTC), now.astimezone(UTC))
    caution = "vendorwatch tracks the clock; whether and what to report is your decision."
    if kind == "before":
        title = f"[DEADLINE] {due.label} due {when} (in {_span(due.due - now)})"
        return title, f"Once it is submitted, record it: `{command}`. {caution}"
    title = f"[DEADLINE PASSED] {due.label} was due {when} ({_span(now - due.due)} ago)"
    return title, f"It is not recorded as submitted. If it was sent, record when: `{command} --at TIME`. {caution}"


def _enqueue(
    session: Session, settings: Settings, due: Deadline, kind: str, channels: list[str], key: str, now: datetime
) -> None:
    incident = session.get_one(Incident, due.incident_id)
    vendor = session.get_one(Vendor, incident.vendor_id)
    title, text = message(due, kind, now)
    reply = alerts.reply_alert(incident, vendor, title, text, None, alerts.route(settings, vendor, incident.severity))
    owner = settings.owners.get(vendor.owner)
    alerts.enqueue(session, replace(reply, mentions=(owner,) if owner else ()), channels, key, now=now)
