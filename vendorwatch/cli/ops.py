"""Commands for the running job: poll, sources, incidents, dispatch."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from vendorwatch.cli.common import DEFAULT_CATALOG, UserError, get_app, handle_errors, out, parse_date, print_json
from vendorwatch.cli.progress import working
from vendorwatch.cli.tables import Clamp, compact, incident_table
from vendorwatch.cli.tables import when as short_when
from vendorwatch.wording import plural

if TYPE_CHECKING:
    from registry.models import Source
    from vendorwatch.delivery import outbox

sources_app = typer.Typer(help="Show configured sources and their health.", no_args_is_help=True)
incidents_app = typer.Typer(help="Show incidents, their timelines and evidence.", no_args_is_help=True)


def poll(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="Run one cycle now and exit.")] = False,
    since: Annotated[str | None, typer.Option(help="Triage items published since DATE (widens the look-back).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Also fetch sources that are backing off.")] = False,
) -> None:
    """Fetch every source now, triage new items, raise and send alerts."""
    if not once:
        raise UserError("poll needs --once (use `vendorwatch run` for the scheduler)")
    from vendorwatch.delivery import outbox  # late: feeds, triage and channels load only for commands that use them
    from vendorwatch.delivery.channels import build_channels
    from vendorwatch.poll import pipeline

    vw = get_app(ctx)
    with working(f"polling {plural(len(vw.settings.sources), 'source')} and triaging"):
        report = pipeline.poll_once(vw, since=parse_date(since, "--since"), ignore_backoff=force)
    sent = outbox.dispatch_until_idle(vw, build_channels(vw.settings), timeout=60)  # no spinner: alerts may print
    out.print(
        f"polled {plural(report.polled, 'source')} ({report.not_modified} unchanged, {len(report.errors)} failed): "
        f"{plural(report.new_items, 'new item')}, {plural(report.incidents_opened, 'incident')} opened, "
        f"{plural(report.references_added, 'follow-up')} attached, {plural(len(report.alerts), 'alert')}",
        markup=False,
    )
    for source_id, error in sorted(report.errors.items()):
        out.print(f"  {source_id}: {error}", markup=False, style="yellow")
    for source_id, until in sorted(report.backing_off.items()):
        out.print(f"  {source_id}: backing off until {until:%Y-%m-%d %H:%M} UTC (--force to fetch now)", style="yellow")
    all_failed = bool(report.errors) and len(report.errors) >= report.polled
    if report.errors:  # all failed: exit 1, so a cron job notices that nothing was watched; some: a warning
        failed = f"{len(report.errors)} of {plural(report.polled, 'source')} failed"
        typer.echo(f"{'error' if all_failed else 'warning'}: {failed}", err=True)
    _delivery_report(sent)
    if all_failed:
        raise typer.Exit(1)


def _delivery_report(stats: outbox.DispatchStats) -> None:
    """Print what was delivered; exit 1 when a delivery failed for good (it needs `dispatch --retry`)."""
    held = f" ({stats.held} held behind a failed root)" if stats.held else ""
    out.print(
        f"deliveries: {stats.sent} sent, {stats.recovered} recovered, {stats.waiting} waiting{held}, "
        f"{stats.failed} failed",
        markup=False,
    )
    for error in stats.errors:
        out.print(f"  failed: {error}", markup=False, style="red")
    if stats.failed:
        out.print("  resend with `vendorwatch dispatch --retry ID` or `--retry --all-failed`", markup=False)
        raise typer.Exit(1)


def _source_rows(ctx: typer.Context) -> list[Source]:
    vw = get_app(ctx)
    with vw.session() as s:
        from vendorwatch.poll.sources import sync_sources

        sync_sources(s, vw.settings.sources)
    with vw.session() as s:
        from registry.repo.sources import configured

        return configured(s, [c.id for c in vw.settings.sources])


@sources_app.command("list")
@handle_errors
def sources_list(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Sources with last success, last error, failures in a row and next poll time."""
    from connectors.normalize import redact_url

    rows = _source_rows(ctx)
    if as_json:
        hidden = {"etag", "last_modified", "lease_owner", "lease_until"}
        # A feed URL may carry an API key in its query: show it as sources list's table would.
        print_json([{**r.model_dump(exclude=hidden), "url": redact_url(r.url)} for r in rows])
        return
    table = compact("Sources", ("Source", "Kind", "Trust", "Last success", "Fails", "Next poll"), "Last error")
    for r in rows:
        table.add_row(
            r.id,
            r.kind,
            r.trust,
            short_when(r.last_success_at),
            str(r.consecutive_failures),
            short_when(r.next_poll_at),
            Clamp(r.last_error or ""),
        )
    out.print(table)


@sources_app.command("check")
@handle_errors
def sources_check(ctx: typer.Context) -> None:
    """Fetch each source once and report what came back (items are stored, not alerted)."""
    from vendorwatch.poll import pipeline

    vw = get_app(ctx)
    with working(f"fetching {plural(len(vw.settings.sources), 'source')}"):
        report = pipeline.fetch_due(vw, force=True)
    for r in _source_rows(ctx):
        status = f"error: {r.last_error}" if r.last_error else f"ok ({plural(r.items_total, 'item')} stored)"
        out.print(f"{r.id}: {status}", markup=False)
    if report.errors:
        raise typer.Exit(1)


@sources_app.command("suggest")
@handle_errors
def sources_suggest(
    ctx: typer.Context,
    catalog: Annotated[
        Path, typer.Option(help="The vendor catalog (YAML).", show_default="the bundled config/catalog.yaml")
    ] = DEFAULT_CATALOG,
) -> None:
    """Print [[sources]] settings for the registry's vendors, taken from the vendor catalog."""
    from registry import api as registry_api  # late, like every heavy import of the CLI: start-up stays fast
    from registry.catalog import load_catalog, suggested_sources

    with get_app(ctx).session() as s:
        names = [spec.name for spec, _ in registry_api.list_vendors(s)]
    for feed in suggested_sources(names, load_catalog(catalog)):
        vendor = f'vendor = "{feed.vendor}"\n' if feed.vendor else ""
        checked = "" if feed.verified else "  # not verified yet: check the URL once"
        typer.echo(
            f'[[sources]]{checked}\nid = "{feed.id}"\nkind = "{feed.kind}"\nurl = "{feed.url}"\n'
            f'{vendor}trust = "{feed.trust}"\n'
        )


@incidents_app.command("list")
@handle_errors
def incidents_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    alerted: Annotated[bool, typer.Option("--alerted", help="Only incidents that raised an alert.")] = False,
    wide: Annotated[bool, typer.Option("--wide", help="Also severity names and the alert column.")] = False,
) -> None:
    """Incidents, newest first."""
    from registry.repo import incidents as views

    with get_app(ctx).session() as s:
        rows = views.list_incidents(s, alerted_only=alerted)
    if as_json:
        print_json([r.as_json() for r in rows])
        return
    out.print(
        incident_table(rows, wide=wide) if rows else "no incidents yet (`vendorwatch poll --once` fetches the sources)"
    )


@incidents_app.command("show")
@handle_errors
def incidents_show(
    ctx: typer.Context, incident_id: int, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """One incident: severity with its parts, evidence, timeline, tasks and assessments."""
    from vendorwatch.cli.show import show_incident

    show_incident(get_app(ctx), incident_id, as_json=as_json)


def dispatch(
    ctx: typer.Context,
    ids: Annotated[list[int] | None, typer.Argument(help="Failed deliveries to resend (with --retry).")] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to keep retrying.")] = 60,
    retry: Annotated[bool, typer.Option("--retry", help="Resend the failed deliveries IDS (audited).")] = False,
    all_failed: Annotated[bool, typer.Option("--all-failed", help="With --retry: every failed delivery.")] = False,
    by: Annotated[str, typer.Option(help="Who asked for the resend (audit).")] = "operator",
) -> None:
    """Send pending alerts from the outbox (waiting out rate limits and outages until TIMEOUT)."""
    from vendorwatch.delivery import outbox
    from vendorwatch.delivery.channels import build_channels

    vw = get_app(ctx)
    if (ids or all_failed) and not retry:
        raise UserError("IDS and --all-failed need --retry")
    if retry:
        if bool(ids) == all_failed:
            raise UserError("--retry needs delivery IDS or --all-failed (one of them)")
        try:
            queued = outbox.retry_failed(vw, None if all_failed else list(ids or []), actor=by)
        except outbox.RetryError as exc:
            raise UserError(str(exc)) from None
        out.print(f"queued {len(queued)} failed deliveries again: {', '.join(map(str, queued)) or '-'}", markup=False)
    _delivery_report(outbox.dispatch_until_idle(vw, build_channels(vw.settings), timeout=timeout))


def digest(
    ctx: typer.Context,
    route: Annotated[
        str | None, typer.Option(help="A route's channel (#okta-alerts); default: every digest route.")
    ] = None,
    day: Annotated[str | None, typer.Option("--date", help="Local date YYYY-MM-DD (default: today there).")] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to keep retrying the send.")] = 60,
) -> None:
    """Queue and send the daily digest now: what opened, what is overdue, what closed (once per route and day)."""
    from vendorwatch.delivery import outbox
    from vendorwatch.delivery.channels import active_channel_names, build_channels
    from vendorwatch.incidents import daily

    vw = get_app(ctx)
    try:
        for line in daily.queue_now(vw, route, day, active_channel_names(vw.settings)):
            out.print(line, markup=False)
    except daily.DigestError as exc:
        raise UserError(str(exc)) from None
    _delivery_report(outbox.dispatch_until_idle(vw, build_channels(vw.settings), timeout=timeout))


def register(app: typer.Typer) -> None:
    """Attach these commands to the root app."""
    app.command()(handle_errors(poll))
    app.command()(handle_errors(dispatch))
    app.command()(handle_errors(digest))
    app.add_typer(sources_app, name="sources")
    app.add_typer(incidents_app, name="incidents")
