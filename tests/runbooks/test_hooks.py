"""The rotation hook: a command (no shell) or a webhook; success completes the task with evidence."""

from __future__ import annotations

import json
import shlex
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlmodel import col

from registry.models import AuditEvent, Incident, Task
from tests.runbooks.conftest import T0, credential_id, make_incident
from vendorwatch.app import App
from vendorwatch.runbooks import open_tasks
from vendorwatch.runbooks.hooks import run_hook
from vendorwatch.settings import Settings

SCRIPT = (
    "import os,sys; print('rotated', os.environ['VENDORWATCH_CREDENTIAL'], 'for incident', "
    "os.environ['VENDORWATCH_INCIDENT']); print('token=s3cr3t-value'); sys.exit({code})"
)


def _hooked_task(app: App, tmp_path: Path, hook: str) -> int:
    inc = make_incident(app, tmp_path, hook=hook)
    cred = credential_id(app, "Deploy bot key")
    with app.session() as s:
        open_tasks(s, s.get_one(Incident, inc.id), now=T0)
        return s.execute(select(Task).where(col(Task.credential_id) == cred)).scalar_one().id or 0


def _command(code: int) -> str:
    command = f'{sys.executable} -c "{SCRIPT.format(code=code)}"'
    return f", rotate_command: {json.dumps(command)}"


def test_a_successful_command_completes_the_task_with_its_output_as_evidence(app: App, tmp_path: Path) -> None:
    tid = _hooked_task(app, tmp_path, _command(0))
    result = run_hook(app, tid)
    with app.session() as s:
        task = s.get_one(Task, tid)
    assert result.ok and task.status == "done" and task.closed_by == "vendorwatch:hook"
    assert task.evidence is not None and task.evidence.startswith("command exit 0: rotated Deploy bot key for incident")
    assert "s3cr3t" not in task.evidence


def test_a_failing_command_leaves_the_task_open_with_the_failure_recorded(app: App, tmp_path: Path) -> None:
    tid = _hooked_task(app, tmp_path, _command(3))
    assert not run_hook(app, tid).ok
    with app.session() as s:
        task = s.get_one(Task, tid)
        event = s.execute(select(AuditEvent).where(col(AuditEvent.action) == "task.hook_failed")).scalar_one()
    assert task.status == "open" and task.evidence is not None and task.evidence.startswith("command exit 3")
    assert event.entity_id == str(tid) and event.after is not None and "s3cr3t" not in json.dumps(event.after)


class _Receiver(BaseHTTPRequestHandler):
    bodies: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        self.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"rotated")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    """A loopback webhook receiver; yields its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/rotate?key=abc"
    server.shutdown()
    server.server_close()


def test_a_webhook_hook_posts_json_and_completes_the_task(
    app: App, tmp_path: Path, receiver: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROTATE_DEPLOY_KEY_URL", receiver)
    tid = _hooked_task(app, tmp_path, ", rotate_webhook_env: ROTATE_DEPLOY_KEY_URL")
    result = run_hook(app, tid)
    assert result.ok and result.evidence == "webhook HTTP 200: rotated"
    assert _Receiver.bodies[-1]["credential"] == "Deploy bot key" and _Receiver.bodies[-1]["task"] == tid


def _hook(code: str) -> str:
    """A rotation-hook registry fragment running `code` in this Python."""
    return f", rotate_command: {json.dumps(f'{sys.executable} -c {shlex.quote(code)}')}"


def test_a_hook_sees_none_of_our_secrets_and_its_output_is_redacted_of_them(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret_file = tmp_path / "smtp-password"
    secret_file.write_text("hunter2-smtp\n", encoding="utf-8")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-leak-me")
    monkeypatch.setenv("VENDORWATCH_FINGERPRINT_KEY", "fp-key-77")
    monkeypatch.setenv("VENDORWATCH_SMTP_PASSWORD_FILE", str(secret_file))
    # Prints what it can see, plus a line that happens to contain the file-held password.
    code = (
        "import os; print(os.environ.get('SLACK_BOT_TOKEN'), os.environ.get('VENDORWATCH_FINGERPRINT_KEY'), "
        "os.environ.get('VENDORWATCH_SMTP_PASSWORD_FILE'), os.environ['VENDORWATCH_CREDENTIAL']); "
        "print('smtp is hunter2-smtp, key fp-key-77')"
    )
    tid = _hooked_task(app, tmp_path, _hook(code))
    result = run_hook(app, tid)
    with app.session() as s:
        evidence = s.get_one(Task, tid).evidence or ""
        trail = json.dumps([e.after for e in s.execute(select(AuditEvent)).scalars()])
    assert result.ok and evidence.startswith("command exit 0: None None None Deploy bot key")
    for leaked in ("xoxb-leak-me", "fp-key-77", "hunter2-smtp", str(secret_file)):
        assert leaked not in evidence and leaked not in trail
    assert "smtp is [redacted], key [redacted]" in evidence


def test_a_running_hook_does_not_hold_the_database_write_lock(sqlite_url: str, tmp_path: Path) -> None:
    app = App(settings=Settings(database_url=sqlite_url))
    tid = _hooked_task(app, tmp_path, _command(0))
    with app.session() as s:
        other = s.execute(select(Task).where(col(Task.id) != tid)).scalars().first()
        assert other is not None
    # The hook itself is the other writer: it waits at most 1 s for the lock, as a busy scheduler would.
    code = (
        f"import sqlite3,sys; c=sqlite3.connect({make_url(sqlite_url).database!r}, timeout=1, "
        "isolation_level=None)\ntry:\n c.execute('BEGIN IMMEDIATE'); "
        f"c.execute(\"UPDATE task SET status='done', closed_by='alice' WHERE id={other.id}\"); "
        "c.execute('COMMIT'); print('other task closed')\n"
        "except sqlite3.OperationalError as exc:\n print(exc); sys.exit(1)"
    )
    with app.session() as s:
        cred = s.get_one(Task, tid).credential_id
        s.execute(
            text("UPDATE credential SET rotate_command = :c WHERE id = :i"),
            {"c": f"{sys.executable} -c {shlex.quote(code)}", "i": cred},
        )
    result = run_hook(app, tid)
    with app.session() as s:
        assert s.get_one(Task, other.id).status == "done"
        assert s.get_one(Task, tid).status == "done"
    assert result.evidence == "command exit 0: other task closed"
    app.engine.dispose()
