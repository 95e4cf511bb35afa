"""The rotation hook: a command (no shell) or a webhook; success completes the task with evidence."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import col

from registry.models import AuditEvent, Incident, Task
from tests.runbooks.conftest import T0, credential_id, make_incident
from vendorwatch.app import App
from vendorwatch.runbooks import open_tasks
from vendorwatch.runbooks.hooks import run_hook

SCRIPT = "import os,sys; print('rotated', os.environ['VENDORWATCH_CREDENTIAL'], 'for incident', " \
         "os.environ['VENDORWATCH_INCIDENT']); print('token=s3cr3t-value'); sys.exit({code})"  # fmt: skip


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
    with app.session() as s:
        result = run_hook(s, tid, now=T0)
    with app.session() as s:
        task = s.get_one(Task, tid)
    assert result.ok and task.status == "done" and task.closed_by == "vendorwatch:hook"
    assert task.evidence is not None and task.evidence.startswith("command exit 0: rotated Deploy bot key for incident")
    assert "s3cr3t" not in task.evidence


def test_a_failing_command_leaves_the_task_open_with_the_failure_recorded(app: App, tmp_path: Path) -> None:
    tid = _hooked_task(app, tmp_path, _command(3))
    with app.session() as s:
        assert not run_hook(s, tid, now=T0).ok
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
    with app.session() as s:
        result = run_hook(s, tid, now=T0)
    assert result.ok and result.evidence == "webhook HTTP 200: rotated"
    assert _Receiver.bodies[-1]["credential"] == "Deploy bot key" and _Receiver.bodies[-1]["task"] == tid
