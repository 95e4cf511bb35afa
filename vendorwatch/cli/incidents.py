"""Commands that change an incident: resolve, dismiss (its open tasks are waived), reopen."""

from __future__ import annotations

from typing import Annotated

import typer

from vendorwatch.cli.common import UserError, get_app, handle_errors, out
from vendorwatch.incidents import lifecycle
from vendorwatch.runbooks.actions import TaskError

ByOpt = Annotated[str, typer.Option("--by", help="Who decided.")]
NoteOpt = Annotated[str | None, typer.Option("--note", help="A sentence for the record.")]
ReasonOpt = Annotated[lifecycle.DismissReason, typer.Option("--reason", help="Why no clean-up is needed.")]


def _done(message: str) -> None:
    out.print(message, markup=False)


@handle_errors
def incidents_resolve(ctx: typer.Context, incident_id: Annotated[int, typer.Argument(metavar="ID")], by: ByOpt,
                      note: NoteOpt = None) -> None:  # fmt: skip
    """Close an incident as dealt with (audited; the Slack root message shows it)."""
    vw = get_app(ctx)
    try:
        with vw.session() as s:
            lifecycle.resolve(s, vw.settings, incident_id, by=by, note=note, now=vw.now())
    except lifecycle.LifecycleError as exc:
        raise UserError(str(exc)) from None
    _done(f"incident {incident_id} resolved by {by}")


@handle_errors
def incidents_dismiss(ctx: typer.Context, incident_id: Annotated[int, typer.Argument(metavar="ID")], by: ByOpt,
                      reason: ReasonOpt) -> None:  # fmt: skip
    """Close an incident that needs no clean-up: its open tasks are waived; it leaves the board's counts."""
    vw = get_app(ctx)
    try:
        with vw.session() as s:
            _, waived = lifecycle.dismiss(s, vw.settings, incident_id, by=by, reason=reason, now=vw.now())
    except (lifecycle.LifecycleError, TaskError) as exc:
        raise UserError(str(exc)) from None
    tasks = "1 open task" if waived == 1 else f"{waived} open tasks"
    _done(f"incident {incident_id} dismissed by {by} ({reason}); {tasks} waived")


@handle_errors
def incidents_reopen(ctx: typer.Context, incident_id: Annotated[int, typer.Argument(metavar="ID")], by: ByOpt,
                     note: NoteOpt = None) -> None:  # fmt: skip
    """Open a resolved or dismissed incident again."""
    vw = get_app(ctx)
    try:
        with vw.session() as s:
            lifecycle.reopen(s, vw.settings, incident_id, by=by, note=note, now=vw.now())
    except lifecycle.LifecycleError as exc:
        raise UserError(str(exc)) from None
    _done(f"incident {incident_id} reopened by {by}")


def register(app: typer.Typer) -> None:
    """Attach these commands to `incidents` (the group is created by cli_ops)."""
    from vendorwatch.cli.ops import incidents_app

    incidents_app.command("resolve")(incidents_resolve)
    incidents_app.command("dismiss")(incidents_dismiss)
    incidents_app.command("reopen")(incidents_reopen)
