"""Commands for operations: `run` (the scheduler), `status` (a health check) and `metrics`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from notify.text import one_line, truncate
from vendorwatch.cli.common import get_app, get_clock, get_settings, handle_errors, logger, out, print_json
from vendorwatch.cli.tables import Clamp, compact
from vendorwatch.cli.tables import when as short_when
from vendorwatch.wording import plural

PROBLEM_MAX = 500  # characters of one `attention:` line (an error text can be a whole HTML page)

if TYPE_CHECKING:
    from vendorwatch.app import App
    from vendorwatch.ops import status as health


@handle_errors
def run(ctx: typer.Context) -> None:
    """Run the scheduler in the foreground: poll, triage, alert, remind. Stops cleanly on Ctrl-C/SIGTERM."""
    from registry.repo.locks import AlreadyRunning
    from vendorwatch.ops import scheduler  # late, like every heavy import here: start-up stays fast
    from vendorwatch.ops import status as health

    vw = get_app(ctx)
    for problem in health.settings_problems(vw.settings):
        logger.warning("%s", problem)  # once, at start: the jobs themselves stay quiet about it
    typer.echo(banner(vw), err=True)
    try:
        code = scheduler.run_forever(vw)
    except AlreadyRunning as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    if code:
        raise typer.Exit(code)


def banner(vw: App) -> str:
    """The one line `run` prints at start: what it polls, where alerts go, which database."""
    from vendorwatch.delivery.channels import active_channel_names

    db = vw.engine.url.render_as_string(hide_password=True)
    channels = ", ".join(active_channel_names(vw.settings)) or "none"
    # Not "vendorwatch run: ...": that is the INFO line logged once the signal handlers are in place.
    return (
        f"vendorwatch starting: {plural(len(vw.settings.sources), 'source')}, alerts to {channels}, database {db}; "
        "Ctrl-C stops"
    )


@handle_errors
def status(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Sources, outbox and tasks at a glance; exits 1 when something needs attention."""
    from vendorwatch.ops import status as health
    from vendorwatch.ops.health import NoAnswer, within

    settings, clock = get_settings(ctx), get_clock(ctx)

    def answer() -> health.Status:
        # Without the ORM when the schema is current (a health check starts fast); else the store opens it.
        return health.quick(settings, clock()) or health.collect(get_app(ctx))

    try:  # a health check answers, whatever the database does
        st = within(answer, settings.database_url)
    except NoAnswer as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        print_json(st.to_json())
    else:
        table = compact("Sources", ("Source", "Last poll", "Last success", "Fails"), "Last error")
        for src in st.sources:
            table.add_row(
                src.id,
                short_when(src.last_polled_at),
                short_when(src.last_success_at),
                str(src.consecutive_failures),
                Clamp(src.last_error or ""),
            )
        out.print(table)
        _print_workers(st)
        _print_deadlines(st)
        age = f"{st.outbox_oldest_age_s:.0f} s" if st.outbox_oldest_age_s is not None else "-"
        held = f"{st.collecting} collecting ({st.collecting_due} due)"
        out.print(
            f"outbox: {st.outbox_depth} waiting (oldest {age}), {held}, {st.failed_deliveries} failed; "
            f"tasks: {st.open_tasks} open, {st.overdue_tasks} overdue",
            markup=False,
        )
        for problem in st.problems:  # errors and warnings carry servers' text: one line each, no control codes
            out.print(f"attention: {truncate(one_line(problem), PROBLEM_MAX)}", markup=False, style="red")
    if not st.healthy:
        raise typer.Exit(1)


def _print_workers(st: health.Status) -> None:
    if not st.workers:
        out.print("workers: none has run against this database yet", markup=False)
        return
    table = compact("Workers", ("Worker", "State", "Last beat", "Started"), "Failing jobs")
    for w in st.workers:
        table.add_row(
            w.worker_id,
            w.state,
            f"{w.age_s:.0f} s ago",
            short_when(w.started_at),
            Clamp(", ".join(w.failing_jobs) or ""),
        )
    out.print(table)


def _print_deadlines(st: health.Status) -> None:
    if not st.deadlines:
        return
    table = compact("Regulatory deadlines (overdue or within 24 h)", ("Incident", "Regime", "Step", "Due", "Status"))
    for d in st.deadlines:
        table.add_row(str(d.incident_id), d.regime, d.step, short_when(d.due), d.status)
    out.print(table)


@handle_errors
def metrics_cmd(ctx: typer.Context) -> None:
    """Print the metrics in Prometheus text format, computed from the database (all workers)."""
    from vendorwatch.ops import metrics

    typer.echo(metrics.render(get_app(ctx)), nl=False)


def register(app: typer.Typer) -> None:
    """Attach these commands to the root app."""
    app.command()(run)
    app.command()(status)
    app.command("metrics")(metrics_cmd)
