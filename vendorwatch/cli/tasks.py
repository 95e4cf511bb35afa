"""Commands for runbook tasks and the audit trail: list, assign, done, waive, rotate; audit list (read-only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from vendorwatch.cli.common import UserError, get_app, handle_errors, out, print_json
from vendorwatch.cli.tables import audit_rows, task_table

if TYPE_CHECKING:
    from registry.models import Task

tasks_app = typer.Typer(help="Rotation tasks opened by alerted incidents.", no_args_is_help=True)
audit_app = typer.Typer(
    help="The append-only audit trail (read-only: nothing edits or deletes it).", no_args_is_help=True
)
T = TypeVar("T")


def register(app: typer.Typer) -> None:
    """Attach these commands to the root app."""
    app.add_typer(tasks_app, name="tasks")
    app.add_typer(audit_app, name="audit")


def _user_errors(call: Callable[[], T]) -> T:
    from vendorwatch.runbooks import actions

    try:
        return call()
    except actions.TaskError as exc:
        raise UserError(str(exc)) from None


def _row(task: Task, vendor: str) -> dict[str, Any]:
    return {
        "id": task.id,
        "incident": task.incident_id,
        "vendor": vendor,
        "step": task.step,
        "title": task.title,
        "owner": task.owner,
        "due_at": task.due_at.isoformat(),
        "status": task.status,
        "closed_at": task.closed_at.isoformat() if task.closed_at else None,
        "closed_by": task.closed_by,
        "evidence": task.evidence,
        "reason": task.reason,
    }


@tasks_app.command("list")
@handle_errors
def tasks_list(
    ctx: typer.Context,
    open_only: Annotated[bool, typer.Option("--open", help="Only open tasks.")] = False,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only open tasks past their due time.")] = False,
    owner: Annotated[str | None, typer.Option("--owner", help="Only this owner's tasks.")] = None,
    incident: Annotated[int | None, typer.Option("--incident", metavar="ID", help="Only this incident's.")] = None,
    wide: Annotated[bool, typer.Option("--wide", help="Also step ids and the year of due times.")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List tasks by due time; overdue ones are highlighted."""
    from vendorwatch.runbooks import actions  # late, like every heavy import of the CLI: start-up stays fast

    vw = get_app(ctx)
    now = vw.now()
    with vw.session() as s:
        found = actions.list_tasks(
            s, open_only=open_only, overdue_only=overdue, now=now, owner=owner, incident_id=incident
        )
        rows = [(t, actions.vendor_name(s, t), actions.is_overdue(t, now)) for t in found]
    if as_json:
        print_json([{**_row(t, v), "overdue": late} for t, v, late in rows])
        return
    out.print(task_table(rows, title=f"Tasks ({len(rows)})", wide=wide) if rows else "no tasks match")


@tasks_app.command("assign")
@handle_errors
def tasks_assign(
    ctx: typer.Context,
    task_id: Annotated[int, typer.Argument(metavar="ID")],
    to: Annotated[str, typer.Option("--to", metavar="OWNER", help="The new owner (a team or a person).")],
    by: Annotated[str, typer.Option("--by", help="Who reassigned it.")],
) -> None:
    """Give an open task to another owner (audited; reminders go to the new owner)."""
    from vendorwatch.runbooks import actions

    vw = get_app(ctx)
    with vw.session() as s:
        before = actions.get_task(s, task_id).owner
        task = _user_errors(lambda: actions.assign(s, task_id, to=to, by=by, now=vw.now()))
        out.print(f"task {task.id} reassigned by {by}: {before or 'unassigned'} → {task.owner}", markup=False)


@tasks_app.command("done")
@handle_errors
def tasks_done(
    ctx: typer.Context,
    task_id: Annotated[int, typer.Argument(metavar="ID")],
    by: Annotated[str, typer.Option("--by", help="Who did it.")],
    evidence: Annotated[str | None, typer.Option("--evidence", help="A ticket, log line or link.")] = None,
) -> None:
    """Mark a task done."""
    from vendorwatch.incidents.alerts import refresh_root  # late: it loads the alert channels
    from vendorwatch.runbooks import actions

    vw = get_app(ctx)
    with vw.session() as s:
        task = _user_errors(lambda: actions.complete(s, task_id, by=by, evidence=evidence, now=vw.now()))
        refresh_root(s, vw.settings, task.incident_id, reason=f"task:{task.id}:done", now=vw.now())
        out.print(f"task {task.id} done by {task.closed_by}: {task.title}", markup=False)


@tasks_app.command("waive")
@handle_errors
def tasks_waive(
    ctx: typer.Context,
    task_id: Annotated[int, typer.Argument(metavar="ID")],
    by: Annotated[str, typer.Option("--by", help="Who decided.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the task need not be done.")],
) -> None:
    """Close a task without doing it (a reason is required)."""
    from vendorwatch.incidents.alerts import refresh_root  # late: it loads the alert channels
    from vendorwatch.runbooks import actions

    vw = get_app(ctx)
    with vw.session() as s:
        task = _user_errors(lambda: actions.waive(s, task_id, by=by, reason=reason, now=vw.now()))
        refresh_root(s, vw.settings, task.incident_id, reason=f"task:{task.id}:waived", now=vw.now())
        out.print(f"task {task.id} waived by {task.closed_by}: {task.title}", markup=False)


@tasks_app.command("rotate")
@handle_errors
def tasks_rotate(ctx: typer.Context, task_id: Annotated[int, typer.Argument(metavar="ID")]) -> None:
    """Run the credential's rotation hook; success completes the task, its result is the evidence."""
    from registry.models import Task
    from vendorwatch.incidents.alerts import refresh_root  # late: it loads the alert channels
    from vendorwatch.runbooks import hooks  # late: it loads the HTTP client

    # run_hook keeps no transaction open while the hook runs (up to a minute): others can still write.
    vw = get_app(ctx)
    result = _user_errors(lambda: hooks.run_hook(vw, task_id))
    if result.ok:
        with vw.session() as s:
            incident_id = s.get_one(Task, task_id).incident_id
            refresh_root(s, vw.settings, incident_id, reason=f"task:{task_id}:done", now=vw.now())
    out.print(f"task {task_id}: {'done' if result.ok else 'still open'} ({result.evidence})", markup=False)
    if not result.ok:
        raise typer.Exit(1)


@audit_app.command("list")
@handle_errors
def audit_list(
    ctx: typer.Context,
    entity: Annotated[str | None, typer.Option("--entity", help="Only this entity (task, incident, ...).")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show the audit trail, oldest first."""
    from vendorwatch.runbooks import audit

    with get_app(ctx).session() as s:
        events = [e.model_dump(mode="json") for e in audit.list_events(s, entity=entity)]
    if as_json:
        print_json(events)
        return
    out.print(audit_rows(events, (audit.changes(e["before"], e["after"]) for e in events)))
