"""No poison pills in the reminder job: one task whose reminder cannot be written never stops the others'
reminders; it is retried, recorded in its audit trail, set aside after three failures, and `status` says so."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlmodel import col

from registry.models import AuditEvent, Delivery, Incident, Task
from tests.runbooks.conftest import T0
from vendorwatch.app import App
from vendorwatch.ops import metrics, status
from vendorwatch.runbooks import open_tasks
from vendorwatch.runbooks.reminders import MAX_TRIES, send_reminders
from vendorwatch.settings import Settings


def _refuse_deliveries_of(app: App, task_id: int) -> None:
    """A database that refuses this one task's reminder row (a real failure inside the job's transaction)."""
    pattern = f"%:task:{task_id}:%"
    with app.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(
                text(
                    f"CREATE TRIGGER poison BEFORE INSERT ON delivery WHEN NEW.dedupe_key LIKE '{pattern}' "
                    "BEGIN SELECT RAISE(ABORT, 'refused by the database'); END"
                )
            )
        else:
            conn.execute(
                text(
                    f"CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN IF NEW.dedupe_key LIKE "
                    f"'{pattern}' THEN RAISE EXCEPTION 'refused by the database'; END IF; RETURN NEW; END"
                    " $$ LANGUAGE plpgsql"
                )
            )
            conn.execute(text("CREATE TRIGGER poison BEFORE INSERT ON delivery FOR EACH ROW EXECUTE FUNCTION poison()"))


@pytest.fixture
def two_due(app: App, incident: Incident) -> tuple[App, int]:
    """Two tasks due within the hour; the first one's reminder is refused by the database."""
    app.settings = Settings(database_url=app.settings.database_url, channels=["console"], reminder_before=3600)
    with app.session() as s:
        open_tasks(s, s.get_one(Incident, incident.id), now=T0)
        first = s.execute(select(Task).order_by(col(Task.due_at), col(Task.id))).scalars().first()
        assert first is not None and first.id is not None
        poisoned = first.id
    _refuse_deliveries_of(app, poisoned)
    app.clock = lambda: T0 + timedelta(minutes=90)  # the 2 h tasks are due in 30 min
    return app, poisoned


def test_one_task_that_cannot_be_reminded_does_not_stop_the_others(
    two_due: tuple[App, int], caplog: pytest.LogCaptureFixture
) -> None:
    app, poisoned = two_due
    with caplog.at_level(logging.WARNING, logger="vendorwatch.runbooks.reminders"):
        assert send_reminders(app) == 1, "the other task's reminder is queued"
    with app.session() as s:
        keys = [d.dedupe_key for d in s.execute(select(Delivery)).scalars()]
        failed = s.execute(select(AuditEvent).where(col(AuditEvent.action) == "task.reminder_failed")).scalars().all()
        assert s.get_one(Task, poisoned).reminded_at is None, "its half-done reminder was rolled back"
    assert len(keys) == 1 and f":task:{poisoned}:" not in keys[0]
    assert [e.entity_id for e in failed] == [str(poisoned)] and "refused by the database" in str(failed[0].after)
    assert [r.levelname for r in caplog.records] == ["WARNING"], "logged once"


def test_after_three_failures_the_task_is_set_aside_and_status_says_so(two_due: tuple[App, int]) -> None:
    app, _ = two_due
    for _run in range(MAX_TRIES + 2):
        send_reminders(app)
    with app.session() as s:
        failed = s.execute(select(AuditEvent).where(col(AuditEvent.action) == "task.reminder_failed")).scalars().all()
    assert len(failed) == MAX_TRIES, "no further tries once quarantined"
    found = status.collect(app)
    assert found.quarantined_tasks == 1
    assert any(p.startswith("tasks: 1 no longer reminded") for p in found.problems)
    assert "vendorwatch_tasks_reminder_quarantined 1.0" in metrics.render(app)


def test_tasks_resume_reminds_a_set_aside_task_again_once_fixed(two_due: tuple[App, int], db_url: str) -> None:
    from typer.testing import CliRunner

    from vendorwatch.cli.main import app as cli

    app, poisoned = two_due
    for _run in range(MAX_TRIES):
        send_reminders(app)
    env = {"VENDORWATCH_DATABASE_URL": db_url, "VENDORWATCH_CONFIG": "", "COLUMNS": "120"}
    runner = CliRunner()
    other = runner.invoke(cli, ["tasks", "resume", str(poisoned + 1), "--by", "bob"], env=env)
    assert other.exit_code != 0 and "not set aside" in other.output
    with app.engine.begin() as conn:  # the cause is fixed
        conn.execute(
            text("DROP TRIGGER poison" if conn.dialect.name == "sqlite" else "DROP TRIGGER poison ON delivery")
        )
    resumed = runner.invoke(cli, ["tasks", "resume", str(poisoned), "--by", "bob"], env=env)
    assert resumed.exit_code == 0, resumed.output
    assert status.collect(app).quarantined_tasks == 0
    assert send_reminders(app) == 1, "the set-aside task is reminded now"
    with app.session() as s:
        assert s.get_one(Task, poisoned).reminded_at is not None
        resumed_events = s.execute(select(AuditEvent).where(col(AuditEvent.action) == "task.reminders_resumed"))
        assert [e.actor for e in resumed_events.scalars()] == ["bob"]
