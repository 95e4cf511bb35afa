"""`vendorwatch demo`: narrates the end-to-end run on bundled data."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from vendorwatch.cli_common import handle_errors, out

if TYPE_CHECKING:
    from vendorwatch.app import App


@handle_errors
def demo(
    workdir: Annotated[Path, typer.Option(help="Where the demo writes its database and outputs.")] = Path(
        "vendorwatch-demo"
    ),
) -> None:
    """Run the whole job end to end on bundled sample feeds (SQLite, no Slack token needed)."""
    from vendorwatch import demo as d  # late: the demo pulls in the whole tool, `--help` needs none of it
    from vendorwatch import views
    from vendorwatch.feedserver import FeedServer

    paths = d.DemoPaths(workdir=workdir)
    with FeedServer(paths.phase(1)) as server:
        app = d.fresh_app(paths, d.demo_settings(paths, server))
        changes = d.import_registry(app, paths)
        out.print(Rule("1. Registry"))
        out.print(f"imported {paths.registry.name}: {len(changes.created)} vendors", markup=False)
        _vendors(app)
        har, tokens = d.record_support_artifact(app, paths)
        out.print(f"recorded {har.name} as shared with Okta support (case 4711): {tokens} tokens, kept as fingerprints")
        out.print(Rule(f"2. First poll: {len(app.settings.sources)} sample feeds served on {server.base_url}"))
        report, sent = d.poll_and_alert(app, sys.stdout)
        out.print(
            f"{report.new_items} items, {report.incidents_opened} incidents, {len(report.alerts)} alerts, "
            f"{sent.sent} messages (console: no Slack token)",
            markup=False,
        )
        _incidents(app)
        _tasks(app)
        out.print(Rule("3. Six hours later: the IdP's tasks are done, one is waived, reminders and escalation"))
        d.work_tasks(app)
        d.poll_and_alert(app, sys.stdout)
        _tasks(app)
        out.print(Rule("4. Three days later: follow-up reports arrive, threaded under their incidents"))
        server.switch(paths.phase(2))
        d.later(app, 66)
        report, sent = d.poll_and_alert(app, sys.stdout)
        out.print(
            f"{report.new_items} new items: {report.references_added} attached to known incidents, "
            f"{report.incidents_opened} new incidents, {len(report.alerts)} new alerts",
            markup=False,
        )
        _incidents(app)
        out.print(Rule("5. Board report"))
        board = d.write_board(app, paths)
        out.print(f"wrote {board} (quarterly board report: concentration, exposure, incidents, TTD/TTR)", markup=False)
    config = d.write_config(paths)
    with app.session() as s:
        alerted = [i.id for i in views.list_incidents(s, alerted_only=True)]
    out.print(f"\nExplore the demo data: vendorwatch --config {config} incidents show {min(alerted, default=1)}")
    out.print("(also: incidents list, tasks list --overdue, audit list, report vendor Okta -o okta.pdf)")


def _vendors(app: App) -> None:
    from registry import api as registry_api
    from vendorwatch.cli_tables import vendor_table

    with app.session() as s:
        out.print(vendor_table(registry_api.list_vendors(s), title=""))


def _incidents(app: App) -> None:
    from vendorwatch import views
    from vendorwatch.cli_tables import incident_table

    with app.session() as s:
        out.print(incident_table(views.list_incidents(s)))


def _tasks(app: App) -> None:
    from vendorwatch.runbooks.actions import is_overdue, list_tasks

    with app.session() as s:
        rows = list_tasks(s, now=app.now())
    table = Table(title=f"Rotation tasks ({len(rows)})")
    table.add_column("ID", no_wrap=True)
    table.add_column("Task", max_width=32, no_wrap=True, overflow="ellipsis")
    for name in ("Owner", "Due UTC", "Status"):
        table.add_column(name, no_wrap=True)
    for t in rows[:12]:
        status = Text("overdue", style="red") if is_overdue(t, app.now()) else Text(t.status)
        table.add_row(str(t.id), t.title, t.owner, t.due_at.strftime("%d %H:%M"), status)
    out.print(table)
    if len(rows) > 12:
        out.print(f"... and {len(rows) - 12} more: vendorwatch tasks list", markup=False)
