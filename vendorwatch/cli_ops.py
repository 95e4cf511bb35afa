"""Commands for the running job: poll, sources, incidents, dispatch."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from registry import api as registry_api
from registry.catalog import load_catalog, suggested_sources
from registry.models import Source
from vendorwatch import views
from vendorwatch.cli_common import DEFAULT_CATALOG, UserError, get_app, handle_errors, out, parse_date, print_json
from vendorwatch.cli_tables import incident_table

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
    from vendorwatch import outbox, pipeline  # late: feeds, triage and channels load only for commands that use them
    from vendorwatch.channels import build_channels

    vw = get_app(ctx)
    report = pipeline.poll_once(vw, since=parse_date(since, "--since"), ignore_backoff=force)
    sent = outbox.dispatch_until_idle(vw, build_channels(vw.settings), timeout=60)
    out.print(
        f"polled {report.polled} sources ({report.not_modified} unchanged, {len(report.errors)} failed): "
        f"{report.new_items} new items, {report.incidents_opened} incidents opened, "
        f"{report.references_added} follow-ups attached, {len(report.alerts)} alerts; "
        f"{sent.sent} messages sent, {outbox.pending_count(vw)} pending",
        markup=False,
    )
    for source_id, error in sorted(report.errors.items()):
        out.print(f"  {source_id}: {error}", markup=False, style="yellow")
    for source_id, until in sorted(report.backing_off.items()):
        out.print(f"  {source_id}: backing off until {until:%Y-%m-%d %H:%M} UTC (--force to fetch now)", style="yellow")


def _source_rows(ctx: typer.Context) -> list[Source]:
    vw = get_app(ctx)
    with vw.session() as s:
        from vendorwatch.sources import sync_sources

        sync_sources(s, vw.settings.sources)
    with vw.session() as s:
        from sqlalchemy import select

        return [
            r
            for r in s.execute(select(Source).order_by(Source.id)).scalars()
            if r.id in {c.id for c in vw.settings.sources}
        ]


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
    table = Table("Source", "Kind", "Trust", "Last success", "Failures", "Next poll", "Last error", title="Sources")
    for r in rows:
        table.add_row(
            r.id,
            r.kind,
            r.trust,
            _when(r.last_success_at),
            str(r.consecutive_failures),
            _when(r.next_poll_at),
            r.last_error or "",
        )
    out.print(table)


@sources_app.command("check")
@handle_errors
def sources_check(ctx: typer.Context) -> None:
    """Fetch each source once and report what came back (items are stored, not alerted)."""
    from vendorwatch import pipeline

    vw = get_app(ctx)
    report = pipeline.fetch_due(vw, force=True)
    for r in _source_rows(ctx):
        status = f"error: {r.last_error}" if r.last_error else f"ok ({r.items_total} items stored)"
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
    with get_app(ctx).session() as s:
        names = [spec.name for spec, _ in registry_api.list_vendors(s)]
    for feed in suggested_sources(names, load_catalog(catalog)):
        vendor = f'vendor = "{feed.vendor}"\n' if feed.vendor else ""
        checked = "" if feed.verified else "  # not verified yet: check the URL once"
        typer.echo(f'[[sources]]{checked}\nid = "{feed.id}"\nkind = "{feed.kind}"\nurl = "{feed.url}"\n'
                   f'{vendor}trust = "{feed.trust}"\n')  # fmt: skip


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


@incidents_app.command("list")
@handle_errors
def incidents_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    alerted: Annotated[bool, typer.Option("--alerted", help="Only incidents that raised an alert.")] = False,
) -> None:
    """Incidents, newest first."""
    with get_app(ctx).session() as s:
        rows = views.list_incidents(s, alerted_only=alerted)
    if as_json:
        print_json([r.as_json() for r in rows])
        return
    out.print(incident_table(rows))


@incidents_app.command("show")
@handle_errors
def incidents_show(
    ctx: typer.Context, incident_id: int, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """One incident: severity with its parts, evidence, timeline, tasks and assessments."""
    from vendorwatch.cli_show import show_incident

    show_incident(get_app(ctx), incident_id, as_json=as_json)


def dispatch(
    ctx: typer.Context, timeout: Annotated[float, typer.Option(help="Seconds to keep retrying.")] = 60
) -> None:
    """Send pending alerts from the outbox (retrying rate limits and failures until TIMEOUT)."""
    from vendorwatch import outbox
    from vendorwatch.channels import build_channels

    vw = get_app(ctx)
    stats = outbox.dispatch_until_idle(vw, build_channels(vw.settings), timeout=timeout)
    out.print(f"sent {stats.sent}, retried {stats.retried}, failed {stats.failed}, pending {stats.waiting}")


def register(app: typer.Typer) -> None:
    """Attach these commands to the root app."""
    app.command()(handle_errors(poll))
    app.command()(handle_errors(dispatch))
    app.add_typer(sources_app, name="sources")
    app.add_typer(incidents_app, name="incidents")
