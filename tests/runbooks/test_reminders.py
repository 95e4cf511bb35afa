"""Reminders before a task is due, escalation once it is overdue; each sent once however often the job runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlmodel import col

from registry.models import AuditEvent, Delivery, Incident, Task
from tests.runbooks.conftest import T0
from vendorwatch.app import App
from vendorwatch.runbooks import open_tasks
from vendorwatch.runbooks.reminders import send_reminders
from vendorwatch.settings import Settings, SlackSettings

H = timedelta(hours=1)


@pytest.fixture
def opened(app: App, incident: Incident) -> App:
    """Tasks opened at T0; reminders 1h before due; iam-team has a Slack id; an escalation channel."""
    app.settings = Settings(
        database_url=app.settings.database_url,
        channels=["console"],
        owners={"iam-team": "U0IAM"},
        reminder_before=3600,
        slack=SlackSettings(escalation_channel="#sec-escalations"),
    )
    with app.session() as s:
        open_tasks(s, s.get_one(Incident, incident.id), now=T0)
    return app


def _deliveries(app: App) -> list[Delivery]:
    with app.session() as s:
        return list(s.execute(select(Delivery).order_by(col(Delivery.id))).scalars())


def test_a_task_due_soon_gets_one_reminder_mentioning_its_owner(opened: App) -> None:
    opened.clock = lambda: T0 + 90 * timedelta(minutes=1)  # the 2h tasks are due in 30 min
    assert send_reminders(opened) == 2
    assert send_reminders(opened) == 0
    rows = _deliveries(opened)
    assert len(rows) == 2 and all(r.kind == "reply" and r.dedupe_key.endswith(":reminder") for r in rows)
    assert all(r.payload["mentions"] == ["U0IAM"] for r in rows)
    with opened.session() as s:
        reminded = s.execute(select(Task).where(col(Task.reminded_at).is_not(None))).scalars().all()
    assert {t.step for t in reminded} == {"idp-revoke-admin-sessions", "rotate-credential"}


def test_nothing_is_sent_for_tasks_not_yet_near_their_due_time(opened: App) -> None:
    opened.clock = lambda: T0 + 30 * timedelta(minutes=1)
    assert send_reminders(opened) == 0 and _deliveries(opened) == []


def test_an_overdue_task_escalates_once_in_the_thread_and_the_escalation_channel(opened: App) -> None:
    opened.clock = lambda: T0 + 2 * H + timedelta(minutes=5)
    assert send_reminders(opened) == 4  # two overdue tasks: thread reply + escalation root each
    opened.clock = lambda: T0 + 2 * H + timedelta(minutes=30)
    assert send_reminders(opened) == 0
    rows = _deliveries(opened)
    replies = [r for r in rows if r.kind == "reply"]
    roots = [r for r in rows if r.kind == "root"]
    assert len(replies) == 2 and all(r.dedupe_key.endswith(":escalation") for r in replies)
    assert len(roots) == 2 and all(r.payload["channel"] == "#sec-escalations" for r in roots)
    with opened.session() as s:
        audited = s.execute(select(AuditEvent).where(col(AuditEvent.action) == "task.escalated")).scalars().all()
    assert len(audited) == 2


def test_a_closed_task_is_never_reminded(opened: App) -> None:
    with opened.session() as s:
        for task in s.execute(select(Task)).scalars():
            task.status = "done"
    opened.clock = lambda: T0 + 100 * H
    assert send_reminders(opened) == 0
