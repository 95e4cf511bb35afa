"""Commands that change an incident: resolve, dismiss (its open tasks are waived), reopen, regulatory decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from registry.deadlines import MAJOR, MATERIAL  # the clock rules, without the store
from vendorwatch.cli.common import UserError, get_app, handle_errors, out
from vendorwatch.incidents.reasons import DismissReason

ByOpt = Annotated[str, typer.Option("--by", help="Who decided.")]
NoteOpt = Annotated[str | None, typer.Option("--note", help="A sentence for the record.")]
AwareOpt = Annotated[str | None, typer.Option("--aware", help="When we became aware (default: the alert time).")]
MajorOpt = Annotated[bool, typer.Option("--major", help="Classified major (DORA) / significant (NIS2).")]
MaterialOpt = Annotated[bool, typer.Option("--material", help="Determined material (SEC).")]
ReasonOpt = Annotated[DismissReason, typer.Option("--reason", help="Why no clean-up is needed.")]


def _done(message: str) -> None:
    out.print(message, markup=False)


@handle_errors
def incidents_resolve(
    ctx: typer.Context, incident_id: Annotated[int, typer.Argument(metavar="ID")], by: ByOpt, note: NoteOpt = None
) -> None:
    """Close an incident as dealt with (audited; the Slack root message shows it)."""
    from vendorwatch.incidents import lifecycle  # late, like every heavy import of the CLI: start-up stays fast

    vw = get_app(ctx)
    try:
        with vw.session() as s:
            lifecycle.resolve(s, vw.settings, incident_id, by=by, note=note, now=vw.now())
    except lifecycle.LifecycleError as exc:
        raise UserError(str(exc)) from None
    _done(f"incident {incident_id} resolved by {by}")


@handle_errors
def incidents_dismiss(
    ctx: typer.Context, incident_id: Annotated[int, typer.Argument(metavar="ID")], by: ByOpt, reason: ReasonOpt
) -> None:
    """Close an incident that needs no clean-up: its open tasks are waived; it leaves the board's counts."""
    from vendorwatch.incidents import lifecycle
    from vendorwatch.runbooks.actions import TaskError

    vw = get_app(ctx)
    try:
        with vw.session() as s:
            _, waived = lifecycle.dismiss(s, vw.settings, incident_id, by=by, reason=reason, now=vw.now())
    except (lifecycle.LifecycleError, TaskError) as exc:
        raise UserError(str(exc)) from None
    tasks = "1 open task" if waived == 1 else f"{waived} open tasks"
    _done(f"incident {incident_id} dismissed by {by} ({reason}); {tasks} waived")


@handle_errors
def incidents_reopen(
    ctx: typer.Context, incident_id: Annotated[int, typer.Argument(metavar="ID")], by: ByOpt, note: NoteOpt = None
) -> None:
    """Open a resolved or dismissed incident again."""
    from vendorwatch.incidents import lifecycle

    vw = get_app(ctx)
    try:
        with vw.session() as s:
            lifecycle.reopen(s, vw.settings, incident_id, by=by, note=note, now=vw.now())
    except lifecycle.LifecycleError as exc:
        raise UserError(str(exc)) from None
    _done(f"incident {incident_id} reopened by {by}")


@handle_errors
def incidents_classify(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID")],
    by: ByOpt,
    major: MajorOpt = False,
    aware: AwareOpt = None,
) -> None:
    """Record that an incident is major (starts the DORA and NIS2 clocks; audited)."""
    _decide(ctx, incident_id, MAJOR, by=by, given=major, flag="--major", aware=aware)


@handle_errors
def incidents_materiality(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID")],
    by: ByOpt,
    material: MaterialOpt = False,
    aware: AwareOpt = None,
) -> None:
    """Record a materiality determination (starts the SEC Form 8-K clock, 4 business days; audited)."""
    _decide(ctx, incident_id, MATERIAL, by=by, given=material, flag="--material", aware=aware)


@handle_errors
def incidents_notified(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID")],
    by: ByOpt,
    regime: Annotated[str, typer.Option("--regime", help="dora, nis2 or sec.")],
    step: Annotated[str, typer.Option("--step", help="e.g. initial, intermediate, final.")],
    at: Annotated[str | None, typer.Option("--at", help="When it was sent (default: now).")] = None,
) -> None:
    """Record that a regulatory report was submitted: the step's clock is met (audited)."""
    from registry.models import Incident
    from vendorwatch.incidents import clocks

    vw = get_app(ctx)
    when = _time("--at", at)
    try:
        with vw.session() as s:
            clocks.submitted(s, incident_id, regime, step, by=by, now=vw.now(), at=when)
            due = clocks.deadlines(s, s.get_one(Incident, incident_id), [regime], vw.now())
    except clocks.ClockError as exc:
        raise UserError(str(exc)) from None
    _done(f"incident {incident_id}: {regime} {step} recorded as submitted by {by}")
    for clock in due:
        _done(f"  {clock['regime']} {clock['step']}: due {clock['due']} ({clock['status']})")


def _time(flag: str, text: str | None) -> datetime | None:
    try:
        value = datetime.fromisoformat(text) if text else None
    except ValueError:
        raise UserError(f"{flag} {text!r}: not a time (use ISO 8601, e.g. 2026-12-01T09:30+00:00)") from None
    if value is not None and value.tzinfo is None:
        raise UserError(f"{flag} needs a time zone (e.g. 2026-12-01T09:30+00:00)")
    return value


def _decide(
    ctx: typer.Context, incident_id: int, action: str, *, by: str, given: bool, flag: str, aware: str | None
) -> None:
    from registry.models import Incident
    from vendorwatch.incidents import clocks

    if not given:
        raise UserError(f"{flag} is required: the tool records the decision, it does not make it")
    vw = get_app(ctx)
    aware_at = _time("--aware", aware)
    try:
        with vw.session() as s:
            clocks.record(s, incident_id, action, by=by, now=vw.now(), aware=aware_at)
            due = clocks.deadlines(s, s.get_one(Incident, incident_id), vw.settings.regimes, vw.now())
    except clocks.ClockError as exc:
        raise UserError(str(exc)) from None
    _done(f"incident {incident_id}: decision recorded by {by}")
    for clock in due:
        _done(f"  {clock['regime']} {clock['step']}: due {clock['due']} ({clock['status']})")


def register(app: typer.Typer) -> None:
    """Attach these commands to `incidents` (the group is created by cli_ops)."""
    from vendorwatch.cli.ops import incidents_app

    incidents_app.command("resolve")(incidents_resolve)
    incidents_app.command("dismiss")(incidents_dismiss)
    incidents_app.command("reopen")(incidents_reopen)
    incidents_app.command("classify")(incidents_classify)
    incidents_app.command("materiality")(incidents_materiality)
    incidents_app.command("notified")(incidents_notified)
