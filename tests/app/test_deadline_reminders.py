"""Reminders before each regulatory deadline, and once it passed, in the incident's thread: each sent once."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from registry.models import Delivery
from tests.app.test_clocks import ALERTED, _incident
from vendorwatch.app import App
from vendorwatch.incidents import clocks
from vendorwatch.incidents.deadlines import send_deadline_reminders
from vendorwatch.ops.scheduler import JOBS
from vendorwatch.settings import ConfigError, Settings, load_settings

H = timedelta(hours=1)


def _dora(app: App, **extra: object) -> int:
    app.settings = Settings(database_url=app.settings.database_url, channels=["console"], regimes=["dora"], **extra)
    incident_id = _incident(app)
    with app.session() as s:  # classified 1 h after the alert: the initial notification is due at +5 h
        clocks.record(s, incident_id, clocks.MAJOR, by="ciso", now=ALERTED + H)
    return incident_id


def _replies(app: App) -> list[Delivery]:
    with app.session() as s:
        return list(s.execute(select(Delivery).order_by(col(Delivery.id))).scalars())


def test_one_reminder_an_hour_before_the_initial_notification_with_the_command_to_record_it(app: App) -> None:
    incident_id = _dora(app)
    app.clock = lambda: ALERTED + 3 * H  # 2 h left: too early
    assert send_deadline_reminders(app) == 0
    app.clock = lambda: ALERTED + 4 * H + timedelta(minutes=10)
    assert send_deadline_reminders(app) == 1
    assert send_deadline_reminders(app) == 0
    [reply] = _replies(app)
    assert reply.kind == "reply" and reply.incident_id == incident_id
    assert reply.payload["title"] == "[DEADLINE] DORA initial notification due 14:00 UTC (in 50 min)"
    assert (
        f"vendorwatch incidents notified {incident_id} --regime dora --step initial --by NAME"
        in (reply.payload["text"])
    )
    assert reply.dedupe_key == f"console:deadline:{incident_id}:dora:initial:before"


def test_a_missed_deadline_is_said_once_and_a_submitted_step_stays_quiet(app: App) -> None:
    incident_id = _dora(app)
    app.clock = lambda: ALERTED + 7 * H  # initial missed by 2 h; intermediate (+77 h) far off
    assert send_deadline_reminders(app) == 1
    app.clock = lambda: ALERTED + 8 * H
    assert send_deadline_reminders(app) == 0
    assert (
        _replies(app)[0].payload["title"] == "[DEADLINE PASSED] DORA initial notification was due 14:00 UTC (2 h ago)"
    )
    with app.session() as s:
        clocks.submitted(s, incident_id, "dora", "intermediate", by="ciso", now=ALERTED + 8 * H)
    app.clock = lambda: ALERTED + 100 * H  # intermediate submitted: no reminder, no passed message
    assert send_deadline_reminders(app) == 0


def test_the_lead_time_is_configurable_per_step(app: App) -> None:
    _dora(app, deadline_reminders={"dora.initial": "3h"})
    app.clock = lambda: ALERTED + 2 * H + timedelta(minutes=30)
    assert send_deadline_reminders(app) == 1
    assert "(in 2 h)" in _replies(app)[0].payload["title"]  # 2 h 30 min, rounded


def test_two_workers_at_once_queue_each_message_once(app: App) -> None:
    _dora(app)
    other = App(settings=app.settings)
    for vw in (app, other):
        vw.clock = lambda: ALERTED + 7 * H
    start = threading.Barrier(2)

    def run(vw: App) -> None:
        start.wait()
        send_deadline_reminders(vw)

    threads = [threading.Thread(target=run, args=(vw,)) for vw in (app, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.engine.dispose()
    assert len(_replies(app)) == 1


def test_run_schedules_the_reminders_in_the_singleton_worker() -> None:
    spec = next(j for j in JOBS if j.id == "deadline_reminders")
    assert spec.singleton and spec.every_s <= 60


def test_an_unknown_step_in_the_settings_is_refused_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "vendorwatch.toml"
    path.write_text('[deadline_reminders]\n"dora.initail" = "2h"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"deadline_reminders: .*unknown step 'dora\.initail'"):
        load_settings(path)
