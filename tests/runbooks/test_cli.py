"""The tasks and audit commands: list, done, waive, unknown ids exit 2, the audit trail is listed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from registry.models import Incident
from tests.runbooks.conftest import T0, make_incident
from vendorwatch.app import App
from vendorwatch.cli.main import app as cli
from vendorwatch.runbooks import open_tasks
from vendorwatch.settings import Settings


@pytest.fixture
def env(sqlite_url: str, tmp_path: Path) -> dict[str, str]:
    """A SQLite database holding the Okta incident's ten tasks, for the CLI."""
    app = App(settings=Settings(database_url=sqlite_url))
    inc = make_incident(app, tmp_path)
    with app.session() as s:
        open_tasks(s, s.get_one(Incident, inc.id), now=T0)
    app.engine.dispose()
    return {"VENDORWATCH_DATABASE_URL": sqlite_url, "VENDORWATCH_CONFIG": "", "COLUMNS": "250"}


def _tasks(runner: CliRunner, env: dict[str, str], *flags: str) -> list[dict[str, object]]:
    result = runner.invoke(cli, ["tasks", "list", "--json", *flags], env=env)
    assert result.exit_code == 0, result.output
    return list(json.loads(result.stdout))


def test_list_done_and_waive(runner: CliRunner, env: dict[str, str]) -> None:
    tasks = _tasks(runner, env)
    assert len(tasks) == 10 and tasks[0]["vendor"] == "Okta"
    done = runner.invoke(cli, ["tasks", "done", str(tasks[0]["id"]), "--by", "alice", "--evidence", "INC-7"], env=env)
    assert done.exit_code == 0 and "done by alice" in done.stdout
    waived = runner.invoke(cli, ["tasks", "waive", str(tasks[1]["id"]), "--by", "bob", "--reason", "unused"], env=env)
    assert waived.exit_code == 0
    assert len(_tasks(runner, env, "--open")) == 8
    assert len(_tasks(runner, env, "--overdue")) == 8  # opened at T0 (2026-10-01), long past
    table = runner.invoke(cli, ["tasks", "list"], env=env)
    assert table.exit_code == 0 and "Revoke all Okta admin sessions" in table.stdout


def test_closing_twice_or_an_unknown_task_exits_2_with_a_clear_message(runner: CliRunner, env: dict[str, str]) -> None:
    first = str(_tasks(runner, env)[0]["id"])
    assert runner.invoke(cli, ["tasks", "done", first, "--by", "alice"], env=env).exit_code == 0
    again = runner.invoke(cli, ["tasks", "waive", first, "--by", "bob", "--reason", "x"], env=env)
    assert again.exit_code == 2 and "already done" in again.stderr
    missing = runner.invoke(cli, ["tasks", "done", "9999", "--by", "alice"], env=env)
    assert missing.exit_code == 2 and "no task with id 9999" in missing.stderr


def test_audit_list_shows_every_change(runner: CliRunner, env: dict[str, str]) -> None:
    first = str(_tasks(runner, env)[0]["id"])
    runner.invoke(cli, ["tasks", "done", first, "--by", "alice"], env=env)
    events = json.loads(runner.invoke(cli, ["audit", "list", "--entity", "task", "--json"], env=env).stdout)
    assert [e["action"] for e in events].count("task.opened") == 10
    assert events[-1]["action"] == "task.completed" and events[-1]["actor"] == "alice"
    assert events[-1]["before"]["status"] == "open" and events[-1]["after"]["status"] == "done"
    table = runner.invoke(cli, ["audit", "list"], env=env)
    assert table.exit_code == 0 and "task.completed" in table.stdout


def test_tasks_filter_by_owner_and_incident_and_assign_is_audited(runner: CliRunner, env: dict[str, str]) -> None:
    platform = _tasks(runner, env, "--owner", "platform-team")
    assert platform and {t["owner"] for t in platform} == {"platform-team"}
    assert _tasks(runner, env, "--incident", "999") == [] and len(_tasks(runner, env, "--incident", "1")) == 10
    moved = runner.invoke(cli, ["tasks", "assign", str(platform[0]["id"]), "--to", "secops", "--by", "dana"], env=env)
    assert moved.exit_code == 0 and "platform-team → secops" in moved.stdout
    assert len(_tasks(runner, env, "--owner", "platform-team")) == len(platform) - 1
    events = json.loads(runner.invoke(cli, ["audit", "list", "--json"], env=env).stdout)
    assert events[-1]["action"] == "task.assigned" and events[-1]["after"]["owner"] == "secops"
    again = runner.invoke(cli, ["tasks", "assign", str(platform[0]["id"]), "--to", "secops", "--by", "dana"], env=env)
    assert again.exit_code == 2 and "already owned by secops" in again.stderr


def test_incident_dismiss_resolve_and_reopen_from_the_cli(runner: CliRunner, env: dict[str, str]) -> None:
    bad = runner.invoke(cli, ["incidents", "dismiss", "1", "--by", "carol", "--reason", "bored"], env=env)
    assert bad.exit_code == 2 and "false-positive" in bad.stderr
    dismiss = ["incidents", "dismiss", "1", "--by", "carol", "--reason", "false-positive"]
    dismissed = runner.invoke(cli, dismiss, env=env)
    assert dismissed.exit_code == 0 and "10 open tasks waived" in dismissed.stdout
    assert _tasks(runner, env, "--open") == []
    shown = runner.invoke(cli, ["incidents", "show", "1"], env=env)
    assert "Status: dismissed" in shown.stdout and "Closed: dismissed by carol" in shown.stdout
    assert "(false-positive)" in shown.stdout
    twice = runner.invoke(cli, ["incidents", "resolve", "1", "--by", "carol"], env=env)
    assert twice.exit_code == 2 and "already dismissed" in twice.stderr
    assert runner.invoke(cli, ["incidents", "reopen", "1", "--by", "carol"], env=env).exit_code == 0
    resolved = runner.invoke(cli, ["incidents", "resolve", "1", "--by", "erin", "--note", "done"], env=env)
    assert resolved.exit_code == 0 and "resolved by erin" in resolved.stdout
    missing = runner.invoke(cli, ["incidents", "resolve", "42", "--by", "erin"], env=env)
    assert missing.exit_code == 2 and "no incident with id 42" in missing.stderr
