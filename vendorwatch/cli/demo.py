"""`vendorwatch demo`: narrates the end-to-end run on bundled data."""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.rule import Rule

from vendorwatch.cli.common import handle_errors, out
from vendorwatch.cli.tables import task_table
from vendorwatch.wording import plural

if TYPE_CHECKING:
    from vendorwatch.app import App

SHOWN = 12  # task rows the demo prints; the rest are one command away


@handle_errors
def demo(
    workdir: Annotated[Path, typer.Option(help="Where the demo writes its database and outputs.")] = Path(
        "vendorwatch-demo"
    ),
) -> None:
    """Run the whole job end to end on bundled sample feeds (SQLite, no Slack token needed)."""
    from registry.repo import incidents as views
    from vendorwatch import demo as d  # late: the demo pulls in the whole tool, `--help` needs none of it
    from vendorwatch.feedserver import FeedServer

    paths = d.DemoPaths(workdir=workdir)
    with FeedServer(paths.phase(1)) as server:
        app = d.fresh_app(paths, d.demo_settings(paths, server))
        changes = d.import_registry(app, paths)
        out.print(Rule("1. Registry"))
        out.print(f"imported {paths.registry.name}: {plural(len(changes.created), 'vendor')}", markup=False)
        _vendors(app)
        har, tokens = d.record_support_artifact(app, paths)
        out.print(
            f"recorded {har.name} as shared with Okta support (case 4711): {plural(tokens, 'token')}, "
            "kept as fingerprints",
            soft_wrap=False,
        )
        out.print(Rule(f"2. First poll: {len(app.settings.sources)} sample feeds served on {server.base_url}"))
        report, sent = d.poll_and_alert(app, sys.stdout)
        out.print(
            f"{plural(report.new_items, 'item')}, {plural(report.incidents_opened, 'incident')}, "
            f"{plural(len(report.alerts), 'alert')}, {plural(sent.sent, 'message')} (console: no Slack token)",
            markup=False,
        )
        _incidents(app)
        _tasks(app)
        out.print(Rule("3. Six hours later: tasks done and waived, reminders and escalations"))
        worked = d.work_tasks(app)
        out.print(
            f"alice closed {plural(worked.done, 'task')} of the Okta breach, bob waived {worked.waived}; "
            f"the reminder job queued {plural(worked.reminders, 'thread reply', 'thread replies')} "
            "(due soon: a reminder; past due: an escalation):",
            markup=False,
            soft_wrap=False,
        )
        d.poll_and_alert(app, sys.stdout)
        _tasks(app)
        out.print(Rule("4. Three days later: follow-ups in their threads, a new breach, outages close"))
        server.switch(paths.phase(2))
        d.later(app, 66)
        report, sent = d.poll_and_alert(app, sys.stdout)
        closed = d.close_quiet_incidents(app)
        out.print(
            f"{plural(report.new_items, 'new item')}: {report.references_added} attached to known incidents, "
            f"{plural(report.incidents_opened, 'new incident')}, {plural(len(report.alerts), 'new alert')}; "
            f"{plural(closed, 'recorded outage')} closed after two quiet days",
            markup=False,
            soft_wrap=False,
        )
        _incidents(app)
        out.print(Rule("5. Board report"))
        board = d.write_board(app, paths)
        out.print(
            f"wrote {board} (quarterly board report: concentration, exposure, incidents, TTD/TTR)",
            markup=False,
            soft_wrap=False,
        )
    config = d.write_config(paths, app.settings)
    with app.session() as s:
        alerted = [i.id for i in views.list_incidents(s, alerted_only=True)]
    _hints(config, min(alerted, default=1), paths.workdir)


def program() -> str:
    """How to run this vendorwatch again, as the user can type it: `vendorwatch` when that is on PATH."""
    argv0 = Path(sys.argv[0])
    if argv0.name == "__main__.py":  # python -m vendorwatch
        return f"{shlex.quote(sys.executable)} -m vendorwatch"
    found = shutil.which("vendorwatch")
    if argv0.name == "vendorwatch" and found and Path(found).resolve() == argv0.resolve():
        return "vendorwatch"
    if argv0.name != "vendorwatch":  # another host program (a test runner): the entry point's name
        return "vendorwatch"
    try:
        return shlex.quote(str(argv0.resolve().relative_to(Path.cwd().resolve())))
    except ValueError:
        return shlex.quote(str(argv0))


def _hints(config: Path, incident: int, workdir: Path) -> None:
    base = f"{program()} --config {shlex.quote(str(config))}"
    out.print("\nExplore the demo data (every command reads the demo's settings file):", markup=False)
    for command in (
        f"incidents show {incident}",
        "incidents list",
        "tasks list --overdue",
        "sources list",
        "audit list --entity incident",
        f"report vendor Okta -o {shlex.quote(str(workdir / 'okta.pdf'))}",
    ):
        out.print(f"  {base} {command}", markup=False, soft_wrap=True)


def _vendors(app: App) -> None:
    from registry import api as registry_api
    from vendorwatch.cli.tables import vendor_table

    with app.session() as s:
        out.print(vendor_table(registry_api.list_vendors(s), title=""))


def _incidents(app: App) -> None:
    from registry.repo import incidents as views
    from vendorwatch.cli.tables import incident_table

    with app.session() as s:
        out.print(incident_table(views.list_incidents(s)))


def _tasks(app: App) -> None:
    from vendorwatch.runbooks.actions import is_overdue, list_tasks, vendor_name

    with app.session() as s:
        rows = [(t, vendor_name(s, t), is_overdue(t, app.now())) for t in list_tasks(s, now=app.now())]
    out.print(task_table(rows[:SHOWN], title=f"Rotation tasks ({len(rows)}, due times UTC)"))
    if len(rows) > SHOWN:
        out.print(f"... and {len(rows) - SHOWN} more (`tasks list` after the demo)", markup=False)
