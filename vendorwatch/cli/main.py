"""The vendorwatch command line: thin commands over the library."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Literal

import typer

from vendorwatch.cli.common import DEFAULT_CATALOG, get_app, handle_errors, out, print_json, unconfigured
from vendorwatch.cli.progress import working
from vendorwatch.cli.starter import write_starter
from vendorwatch.cli.tables import vendor_table
from vendorwatch.wording import plural

# registry.api.ExportFormat, spelt here: importing the registry (SQLAlchemy) would slow every command's start.
ExportFormat = Literal["yaml", "csv", "json"]

app = typer.Typer(
    help="Know within minutes when an identity vendor is breached, and drive the clean-up to done.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
LISTED = 200  # changes listed one by one by `registry import`
registry_app = typer.Typer(help="Import and export the registry of identity vendors.", no_args_is_help=True)
vendors_app = typer.Typer(help="Show the vendors in the registry.", no_args_is_help=True)
app.add_typer(registry_app, name="registry")
app.add_typer(vendors_app, name="vendors")


@app.callback()
def _root(
    ctx: typer.Context,
    config: Annotated[
        str | None, typer.Option("--config", help="Settings file (TOML). Also VENDORWATCH_CONFIG.")
    ] = None,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More log output (-vv: debug).")] = 0,
) -> None:
    logging.basicConfig(
        level=[logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)],
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from vendorwatch.ops.logs import quiet_library_loggers  # not the scheduler: it loads every job's code

    quiet_library_loggers()  # httpx logs request URLs, and a webhook URL is a secret
    ctx.obj = {"config": config}


@app.command()
@handle_errors
def init(ctx: typer.Context) -> None:
    """Create or upgrade the database (and write a starter settings file when none is found)."""
    from registry.db import upgrade  # late, like every heavy import of the CLI: start-up stays fast
    from vendorwatch.settings import config_path

    explicit = ctx.find_root().obj.get("config") if isinstance(ctx.find_root().obj, dict) else None
    path = config_path(explicit)
    if unconfigured(path) or (path is not None and explicit and not path.exists()):
        written = write_starter(path)
        if written is not None:
            out.print(f"wrote starter settings {written} (edit its sources and channels)", markup=False)
    vw = get_app(ctx)
    upgrade(vw.engine)
    out.print(f"database ready: {vw.engine.url.render_as_string(hide_password=True)}")


@registry_app.command("import")
@handle_errors
def registry_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Registry file: .yaml, .yml, .json or .csv.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    with_catalog: Annotated[
        bool, typer.Option("--with-catalog", help="Add aliases and domains from the vendor catalog.")
    ] = False,
    catalog: Annotated[
        Path, typer.Option(help="The vendor catalog (YAML).", show_default="the bundled config/catalog.yaml")
    ] = DEFAULT_CATALOG,
) -> None:
    """Import a registry file: all or nothing, upserting vendors by name."""
    from registry import api as registry_api
    from registry.catalog import load_catalog

    vw = get_app(ctx)
    known = load_catalog(catalog) if with_catalog else None
    with working(f"importing {file}"), vw.session() as session:
        changes = registry_api.import_file(session, file, dry_run=dry_run, catalog=known, now=vw.now())
    verb = "would" if dry_run else "did"
    out.print(
        f"{file}: {verb} create {plural(len(changes.created), 'vendor')}, update {len(changes.updated)}, "
        f"leave {changes.unchanged} unchanged; dependencies/credentials: +{changes.children_added} "
        f"~{changes.children_changed} -{changes.children_removed}",
        markup=False,
    )
    lines = [f"+ {name}" for name in changes.created] + changes.details
    for line in lines[:LISTED]:
        out.print(f"  {line}")
    if len(lines) > LISTED:
        out.print(f"  ... and {len(lines) - LISTED} more changes")


@registry_app.command("export")
@handle_errors
def registry_export(
    ctx: typer.Context,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="Output format.")] = "yaml",
) -> None:
    """Print the registry; importing the output gives back the same registry."""
    from registry import api as registry_api

    with get_app(ctx).session() as session:
        typer.echo(registry_api.export(session, fmt), nl=False)


@vendors_app.command("list")
@handle_errors
def vendors_list(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List vendors with criticality, owner and what depends on them."""
    from registry import api as registry_api

    with get_app(ctx).session() as session:
        rows = registry_api.list_vendors(session)
    if as_json:
        print_json(
            [
                {
                    "name": v.name,
                    "criticality": v.criticality,
                    "category": v.category,
                    "owner": v.owner,
                    "aliases": v.aliases,
                    "domains": v.domains,
                    "dependencies": len(v.dependencies),
                    "credentials": n,
                }
                for v, n in rows
            ]
        )
        return
    out.print(vendor_table(rows))


def main() -> None:
    """Console-script entry point."""
    app()


def _register_commands() -> None:
    from vendorwatch.cli import demo as cli_demo
    from vendorwatch.cli import har as cli_har
    from vendorwatch.cli import incidents as cli_incidents
    from vendorwatch.cli import ops as cli_ops
    from vendorwatch.cli import quarantine as cli_quarantine
    from vendorwatch.cli import reports as cli_reports
    from vendorwatch.cli import reviews as cli_reviews
    from vendorwatch.cli import status as cli_status
    from vendorwatch.cli import tasks as cli_tasks
    from vendorwatch.cli.serve import register as register_serve

    for module in (cli_ops, cli_incidents, cli_tasks, cli_quarantine, cli_reports, cli_har, cli_reviews, cli_status):
        module.register(app)
    register_serve(app)
    app.command()(cli_demo.demo)


_register_commands()
