"""Commands for reports: the quarterly board PDF, the vendor review and the metrics export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from registry.isocodes import CURRENCIES
from reports.quarters import Quarter, QuarterError
from vendorwatch.cli.common import UserError, get_app, handle_errors, out
from vendorwatch.cli.progress import working
from vendorwatch.wording import plural

if TYPE_CHECKING:
    from vendorwatch.app import App

report_app = typer.Typer(help="Board report, vendor review and metrics export.", no_args_is_help=True)

QuarterOpt = Annotated[str | None, typer.Option("--quarter", help="Calendar quarter, e.g. 2026Q4 (default: current).")]
OutOpt = Annotated[Path, typer.Option("-o", "--output", help="PDF file to write.", dir_okay=False)]


class MetricsFormat(StrEnum):
    """Export formats of `report metrics`."""

    csv = "csv"
    json = "json"


def _quarter(text: str | None) -> Quarter | None:
    try:
        return Quarter.parse(text) if text else None
    except QuarterError as exc:
        raise UserError(str(exc)) from None


def _check_output(output: Path) -> None:
    # Checked before any work: a render into a missing directory fails late, in the child process,
    # with an error that reads like a resource limit.
    parent = output.parent
    if not parent.is_dir():
        raise UserError(f"{output}: directory {parent} does not exist (create it or choose another -o)")
    if output.is_dir():
        raise UserError(f"{output}: is a directory (give a file name, e.g. {output / 'report.pdf'})")


def _render(write: Callable[[], None], what: str = "the report") -> None:
    # Called after the session is closed: a render takes up to two minutes, and an open transaction
    # would keep SQLite write-locked (BEGIN IMMEDIATE) for every other command and the scheduler.
    from reports.render import RenderError  # late: Jinja2 and the renderer load only for a report

    try:
        with working(f"rendering {what} (PDF)"):
            write()
    except RenderError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None


@report_app.command("board")
@handle_errors
def board(ctx: typer.Context, output: OutOpt, quarter: QuarterOpt = None) -> None:
    """Write the quarterly board report (PDF)."""
    from reports.board import render_board
    from reports.metrics import board_metrics

    app, q = get_app(ctx), _quarter(quarter)
    _check_output(output)
    with app.session() as session:
        m = board_metrics(session, q, now=app.now(), regimes=app.settings.regimes)
    _render(lambda: render_board(m, output), "the board report")
    counts = f"{plural(m.current.incidents, 'incident')}, {plural(m.registry_vendors, 'vendor')}"
    out.print(f"wrote {output} ({m.quarter}: {counts})")


@report_app.command("vendor")
@handle_errors
def vendor(ctx: typer.Context, name: str, output: OutOpt) -> None:
    """Write the review of one vendor (PDF): registry facts, exposure, review history, what happened since."""
    from reports.vendor import render_vendor_report, vendor_review

    app = get_app(ctx)
    _check_output(output)
    with app.session() as session:
        r = vendor_review(session, name, now=app.now())
    _render(lambda: render_vendor_report(r, output), f"the review of {r.vendor.name}")
    out.print(f"wrote {output} ({r.vendor.name}: {plural(len(r.incidents), 'incident')} since the last review)")


@report_app.command("metrics")
@handle_errors
def metrics(
    ctx: typer.Context,
    quarter: QuarterOpt = None,
    fmt: Annotated[MetricsFormat, typer.Option("--format", help="csv or json on stdout.")] = MetricsFormat.csv,
) -> None:
    """Print the board metrics as CSV or JSON rows."""
    from reports.export import metrics_rows, to_csv, to_json
    from reports.metrics import board_metrics

    app, q = get_app(ctx), _quarter(quarter)
    with app.session() as session:
        rows = metrics_rows(board_metrics(session, q, now=app.now(), regimes=app.settings.regimes))
    typer.echo(to_csv(rows) if fmt is MetricsFormat.csv else to_json(rows), nl=False)


class Level(StrEnum):
    """Level of the register: individual or consolidated (the package's entity identifier and name)."""

    ind = "ind"
    con = "con"


@report_app.command("dora-roi")
@handle_errors
def dora_roi(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Directory to write the package into.", file_okay=False)
    ],
    reported: Annotated[str | None, typer.Option("--date", help="Reporting date, YYYY-MM-DD (default: today).")] = None,
    as_zip: Annotated[
        bool, typer.Option("--zip", help="Also write the package as one zip, named as the EBA asks.")
    ] = False,
    level: Annotated[Level, typer.Option("--level", help="ind (individual) or con (consolidated).")] = Level.ind,
    currency: Annotated[str, typer.Option("--currency", help="Base currency of the report (ISO 4217).")] = "EUR",
) -> None:
    """Write the DORA register of information (xBRL-CSV report package of EBA templates) and what is missing."""
    from reports.dora import build_register, write_validation
    from reports.dora_package import PackageError, package_files, package_name, write_package, zip_package

    app = get_app(ctx)
    if not output.is_dir():
        raise UserError(f"{output}: is not a directory (create it or choose another -o)")
    try:
        day = dt.date.fromisoformat(reported) if reported else app.now().date()
    except ValueError:
        raise UserError(f"--date {reported!r}: not a date (use YYYY-MM-DD)") from None
    if currency.upper() not in CURRENCIES:
        raise UserError(f"--currency {currency!r}: not an ISO 4217 currency code (e.g. EUR)")
    with app.session() as session:
        reg = build_register(session, day)
    files = package_files(reg, reg.entity, day, level=level.value, currency=currency)
    try:  # named before anything is written: a refused --zip leaves the directory as it was
        name = package_name(reg.entity, day, app.now(), level=level.value) if as_zip else None
    except PackageError as exc:
        raise UserError(f"--zip: {exc}") from None
    written = [*write_package(files, output), write_validation(reg, output)]
    if name is not None:
        written.append(zip_package(files, output, name))
    vendors = {m.vendor for m in reg.missing if not m.vendor.startswith("(")}
    out.print(
        f"wrote {len(written)} files to {output} ({plural(len(reg.missing), 'missing field')}, "
        f"{plural(len(vendors), 'vendor')} to complete: see validation.csv)"
    )
    out.print("This prepares the register; it does not certify it. Check it before submission.")


def register(app: typer.Typer) -> None:
    """Attach these commands to the root app."""
    app.add_typer(report_app, name="report")


def scheduled_board_report(app: App) -> None:
    """The quarterly job: write last quarter's board report into `reports_dir` once."""
    previous = Quarter.containing(app.now()).previous()
    target = Path(app.settings.reports_dir) / f"board-{previous}.pdf"
    if target.exists():
        return
    from reports.board import render_board
    from reports.metrics import board_metrics

    target.parent.mkdir(parents=True, exist_ok=True)
    with app.session() as session:
        metrics = board_metrics(session, previous, now=app.now(), regimes=app.settings.regimes)
    render_board(metrics, target)  # outside the transaction: see _render
