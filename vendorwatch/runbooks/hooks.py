"""The optional rotation hook per credential: a command (no shell) or a webhook; its result is the evidence."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from dataclasses import dataclass
from datetime import datetime

import httpx
from sqlmodel import Session

from registry.models import Credential, Task
from vendorwatch.runbooks import audit
from vendorwatch.runbooks.actions import TaskError, complete, get_task

HOOK_TIMEOUT_S = 60.0
OUTPUT_MAX = 500
# Values after secret-looking words, bearer tokens and long opaque strings never reach evidence or logs.
_SECRET_PAIR = re.compile(r"(?i)\b(token|secret|password|passwd|api[_-]?key|authorization|bearer)\b(\s*[:=]?\s*)\S+")
_OPAQUE = re.compile(r"[A-Za-z0-9_\-+/=.]{24,}")


@dataclass(frozen=True)
class HookResult:
    """What the hook did: success, the exit code or HTTP status, and redacted output."""

    ok: bool
    summary: str
    output: str

    @property
    def evidence(self) -> str:
        """The text recorded as the task's evidence."""
        return f"{self.summary}: {self.output}" if self.output else self.summary


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """`text` without known secret values, secret-looking pairs or long opaque strings; at most 500 chars."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    text = _SECRET_PAIR.sub(lambda m: f"{m.group(1)}{m.group(2)}[redacted]", text)
    return _OPAQUE.sub("[redacted]", text).strip()[:OUTPUT_MAX]


def run_hook(session: Session, task_id: int, *, now: datetime, timeout: float = HOOK_TIMEOUT_S) -> HookResult:
    """Run the task's credential hook; success completes the task, failure records it and leaves it open."""
    task = get_task(session, task_id)
    if task.status != "open":
        raise TaskError(f"task {task_id} is already {task.status}")
    cred = session.get(Credential, task.credential_id) if task.credential_id else None
    if cred is None or not (cred.rotate_command or cred.rotate_webhook_env):
        raise TaskError(f"task {task_id} has no rotation hook (set rotate_command or rotate_webhook_env)")
    if cred.rotate_command:
        result = _run_command(cred.rotate_command, cred, task, timeout)
    else:
        result = _post_webhook(cred.rotate_webhook_env or "", cred, task, timeout)
    if result.ok:
        complete(session, task_id, by="vendorwatch:hook", evidence=result.evidence, now=now)
        return result
    before = audit.snapshot(task)
    task.evidence = result.evidence
    session.flush()
    audit.record(session, at=now, actor="vendorwatch:hook", action="task.hook_failed", task_id=task_id,
                 before=before, after=audit.snapshot(task))  # fmt: skip
    return result


def _run_command(command: str, cred: Credential, task: Task, timeout: float) -> HookResult:
    env = {**os.environ, "VENDORWATCH_CREDENTIAL": cred.name, "VENDORWATCH_INCIDENT": str(task.incident_id)}
    try:
        proc = subprocess.run(shlex.split(command), env=env, capture_output=True, text=True, timeout=timeout,
                              check=False)  # fmt: skip
    except subprocess.TimeoutExpired:
        return HookResult(False, f"command timed out after {timeout:.0f} s", "")
    except (OSError, ValueError) as exc:
        return HookResult(False, f"command could not start ({exc.__class__.__name__})", "")
    output = redact((proc.stdout or "") + (proc.stderr or ""))
    return HookResult(proc.returncode == 0, f"command exit {proc.returncode}", output)


def _post_webhook(env_name: str, cred: Credential, task: Task, timeout: float) -> HookResult:
    url = os.environ.get(env_name, "")
    if not url.startswith(("http://", "https://")):
        return HookResult(False, f"webhook: environment variable {env_name} is unset or not an http(s) URL", "")
    body = {"credential": cred.name, "credential_id": cred.id, "incident": task.incident_id, "task": task.id}
    try:
        response = httpx.post(url, json=body, timeout=timeout)
    except httpx.HTTPError as exc:
        return HookResult(False, f"webhook failed ({exc.__class__.__name__})", "")
    return HookResult(response.is_success, f"webhook HTTP {response.status_code}", redact(response.text, (url,)))
