"""The store keeps each vocabulary's words as they were and refuses, by table and column, any other word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import StatementError
from typer.testing import CliRunner

from registry.models import Incident, Task
from registry.vocab import IncidentKind, TaskStatus, UnknownWordError
from tests.runbooks.conftest import T0, make_incident
from vendorwatch.app import App
from vendorwatch.cli.main import app as cli
from vendorwatch.runbooks import open_tasks
from vendorwatch.settings import Settings


@pytest.fixture
def stored(sqlite_url: str, tmp_path: Path) -> App:
    """A SQLite file holding the Okta breach and its ten open tasks."""
    app = App(settings=Settings(database_url=sqlite_url))
    incident = make_incident(app, tmp_path)
    with app.session() as s:
        open_tasks(s, s.get_one(Incident, incident.id), now=T0)
    return app


def _env(app: App) -> dict[str, str]:
    return {"VENDORWATCH_DATABASE_URL": app.settings.database_url, "VENDORWATCH_CONFIG": ""}


def test_rows_read_back_as_members_and_the_file_holds_the_plain_words(stored: App) -> None:
    with stored.session() as s:
        task = s.get_one(Task, 1)
        incident = s.get_one(Incident, task.incident_id)
        raw = s.execute(text("SELECT status FROM task WHERE id = 1")).scalar_one()
    assert task.status is TaskStatus.open and incident.kind is IncidentKind.breach
    assert raw == "open" and type(raw) is str


def test_an_unknown_word_in_the_database_fails_naming_table_and_column(stored: App, runner: CliRunner) -> None:
    with stored.engine.begin() as conn:
        conn.execute(text("UPDATE task SET status = 'closed' WHERE id = 3"))
    listed = runner.invoke(cli, ["tasks", "list", "--json"], env=_env(stored))
    assert listed.exit_code == 1
    assert "error: the database's task.status: 'closed' is not a task status (allowed: open, done, waived)" in (
        listed.stderr
    )
    assert "Traceback" not in listed.output


def test_the_json_output_keeps_the_stored_words(stored: App, runner: CliRunner) -> None:
    tasks = json.loads(runner.invoke(cli, ["tasks", "list", "--json"], env=_env(stored)).stdout)
    incidents = json.loads(runner.invoke(cli, ["incidents", "list", "--json"], env=_env(stored)).stdout)
    assert {t["status"] for t in tasks} == {"open"}
    assert (incidents[0]["kind"], incidents[0]["severity"]) == ("breach", "critical")


def test_writing_an_unknown_word_is_refused_before_it_reaches_the_database(stored: App) -> None:
    with pytest.raises(StatementError) as caught, stored.session() as s:
        s.get_one(Task, 1).status = "closed"  # type: ignore[assignment]
        s.flush()
    assert isinstance(caught.value.orig, UnknownWordError)
    assert "task.status: 'closed' is not a task status" in str(caught.value.orig)
