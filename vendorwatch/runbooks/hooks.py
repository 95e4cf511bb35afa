"""The optional rotation hook per credential: a command (no shell) or a webhook; its result is the evidence.

The hook runs with no transaction open (it may take a minute and SQLite would stay write-locked):
`load_spec` reads in one short session, `execute` runs the hook, `record` writes in a second session.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
from sqlmodel import Session

from registry.models import Credential
from registry.vocab import TaskStatus
from vendorwatch.app import App
from vendorwatch.runbooks import audit
from vendorwatch.runbooks.actions import TaskError, complete, get_task
from vendorwatch.settings import SECRET_ENV

HOOK_TIMEOUT_S = 60.0
OUTPUT_MAX = 500
HOOK_ACTOR = "vendorwatch:hook"
# Only what a command needs to find programs and format text; never our secrets (the command comes from
# an imported registry file).
PASSED_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TZ")
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


@dataclass(frozen=True)
class HookSpec:
    """What running one task's hook needs, read before the hook runs (no database access while it runs)."""

    task_id: int
    incident_id: int
    credential_id: int
    credential: str
    command: str | None
    webhook_env: str | None


def known_secrets() -> tuple[str, ...]:
    """The values of vendorwatch's secret environment variables and of the files their `_FILE` names point at."""
    values: list[str] = []
    for var in SECRET_ENV.values():
        values.append(os.environ.get(var, "").strip())
        path = os.environ.get(f"{var}_FILE")
        # An unreadable file holds nothing we could leak; settings.secret reports it where it matters.
        if path:
            with contextlib.suppress(OSError, UnicodeDecodeError):
                values.append(Path(path).read_text(encoding="utf-8").strip())
    return tuple(v for v in values if v)


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """`text` without known secret values, secret-looking pairs or long opaque strings; at most 500 chars."""
    for secret in sorted(secrets, key=len, reverse=True):  # longest first: one may contain another
        if secret:
            text = text.replace(secret, "[redacted]")
    text = _SECRET_PAIR.sub(lambda m: f"{m.group(1)}{m.group(2)}[redacted]", text)
    return _OPAQUE.sub("[redacted]", text).strip()[:OUTPUT_MAX]


def hook_env(spec: HookSpec) -> dict[str, str]:
    """The minimal environment a hook command runs with."""
    env = {name: os.environ[name] for name in PASSED_ENV if os.environ.get(name)}
    env.update(VENDORWATCH_CREDENTIAL=spec.credential, VENDORWATCH_INCIDENT=str(spec.incident_id))
    return env


def load_spec(session: Session, task_id: int) -> HookSpec:
    """The hook of an open task's credential; TaskError if the task is closed or has no hook."""
    task = get_task(session, task_id)
    if task.status != TaskStatus.open:
        raise TaskError(f"task {task_id} is already {task.status}")
    cred = session.get(Credential, task.credential_id) if task.credential_id else None
    if cred is None or not (cred.rotate_command or cred.rotate_webhook_env):
        raise TaskError(f"task {task_id} has no rotation hook (set rotate_command or rotate_webhook_env)")
    return HookSpec(task_id, task.incident_id, cred.id or 0, cred.name, cred.rotate_command, cred.rotate_webhook_env)


def execute(spec: HookSpec, *, timeout: float = HOOK_TIMEOUT_S) -> HookResult:
    """Run the hook (no database access); output is redacted of every known secret."""
    if spec.command:
        return _run_command(spec, timeout)
    return _post_webhook(spec, timeout)


def record(session: Session, spec: HookSpec, result: HookResult, *, now: datetime) -> None:
    """Success completes the task; failure records the evidence and an audit event, leaving it open.

    TaskError if the task was closed by someone else while the hook ran (the message carries the result).
    """
    task = get_task(session, spec.task_id)
    if task.status != TaskStatus.open:
        raise TaskError(f"task {spec.task_id} was closed ({task.status}) while the hook ran: {result.evidence}")
    if result.ok:
        complete(session, spec.task_id, by=HOOK_ACTOR, evidence=result.evidence, now=now)
        return
    before = audit.snapshot(task)
    task.evidence = result.evidence
    session.flush()
    audit.record(
        session,
        at=now,
        actor=HOOK_ACTOR,
        action="task.hook_failed",
        task_id=spec.task_id,
        before=before,
        after=audit.snapshot(task),
    )


def run_hook(app: App, task_id: int, *, timeout: float = HOOK_TIMEOUT_S) -> HookResult:
    """Read the hook, run it with no transaction open, then record the result in a second short session."""
    with app.session() as session:
        spec = load_spec(session, task_id)
    result = execute(spec, timeout=timeout)
    with app.session() as session:
        record(session, spec, result, now=app.now())
    return result


def _run_command(spec: HookSpec, timeout: float) -> HookResult:
    try:
        proc = subprocess.run(
            shlex.split(spec.command or ""),
            env=hook_env(spec),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return HookResult(False, f"command timed out after {timeout:.0f} s", "")
    except (OSError, ValueError) as exc:
        return HookResult(False, f"command could not start ({exc.__class__.__name__})", "")
    output = redact((proc.stdout or "") + (proc.stderr or ""), known_secrets())
    return HookResult(proc.returncode == 0, f"command exit {proc.returncode}", output)


def _post_webhook(spec: HookSpec, timeout: float) -> HookResult:
    env_name = spec.webhook_env or ""
    url = os.environ.get(env_name, "")
    if not url.startswith(("http://", "https://")):
        return HookResult(False, f"webhook: environment variable {env_name} is unset or not an http(s) URL", "")
    body = {
        "credential": spec.credential,
        "credential_id": spec.credential_id,
        "incident": spec.incident_id,
        "task": spec.task_id,
    }
    try:
        response = httpx.post(url, json=body, timeout=timeout)
    except httpx.HTTPError as exc:
        return HookResult(False, f"webhook failed ({exc.__class__.__name__})", "")
    output = redact(response.text, (url, *known_secrets()))
    return HookResult(response.is_success, f"webhook HTTP {response.status_code}", output)
