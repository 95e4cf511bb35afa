"""`vendorwatch demo`: narrates the end-to-end run on bundled data."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.rule import Rule
from rich.table import Table

from registry import api as registry_api
from vendorwatch import demo as d
from vendorwatch import views
from vendorwatch.app import App
from vendorwatch.cli_common import handle_errors, out
from vendorwatch.feedserver import FeedServer


@handle_errors
def demo(
    workdir: Annotated[Path, typer.Option(help="Where the demo writes its database and outputs.")] = Path(
        "vendorwatch-demo"
    ),
) -> None:
    """Run the whole job end to end on bundled sample feeds (SQLite, no Slack token needed)."""
    paths = d.DemoPaths(workdir=workdir)
    with FeedServer(paths.phase(1)) as server:
        app = d.fresh_app(paths, d.demo_settings(paths, server))
        changes = d.import_registry(app, paths)
        out.print(Rule("1. Registry"))
        out.print(f"imported {paths.registry.name}: {len(changes.created)} vendors", markup=False)
        _vendors(app)
        out.print(Rule(f"2. First poll: {len(app.settings.sources)} sample feeds served on {server.base_url}"))
        report, sent = d.poll_and_alert(app, sys.stdout)
        out.print(
            f"{report.new_items} items, {report.incidents_opened} incidents, {len(report.alerts)} alerts, "
            f"{sent.sent} messages (console: no Slack token)",
            markup=False,
        )
        _incidents(app)
        _tasks(app)
        out.print(Rule("3. Three days later: follow-up reports arrive"))
        server.switch(paths.phase(2))
        d.later(app, 72)
        report, sent = d.poll_and_alert(app, sys.stdout)
        out.print(
            f"{report.new_items} new items: {report.references_added} attached to known incidents, "
            f"{report.incidents_opened} new incidents, {len(report.alerts)} new alerts",
            markup=False,
        )
        _incidents(app)
        out.print(Rule("4. Rotation: one task done, one waived, reminders and escalation for the rest"))
        d.work_tasks(app)
        d.poll_and_alert(app, sys.stdout)
        _tasks(app)
        out.print(Rule("5. Board report"))
        board = d.write_board(app, paths)
        out.print(f"wrote {board} (quarterly board report: concentration, exposure, incidents, TTD/TTR)", markup=False)
    out.print(f"\ndatabase: {paths.workdir / 'demo.db'}  (try: vendorwatch incidents show 1)", markup=False)


def _vendors(app: App) -> None:
    with app.session() as s:
        rows = registry_api.list_vendors(s)
    table = Table("Vendor", "Criticality", "Category", "Owner", "Dependencies", "Credentials")
    for v, n in rows:
        table.add_row(v.name, v.criticality, v.category, v.owner, str(len(v.dependencies)), str(n))
    out.print(table)


def _incidents(app: App) -> None:
    with app.session() as s:
        rows = views.list_incidents(s)
    table = Table("ID", "Vendor", "Kind", "Severity", "Alerted", "Reports", "Tasks", "Title", title="Incidents")
    for r in rows:
        table.add_row(
            str(r.id),
            r.vendor,
            r.kind,
            f"{r.severity} ({r.severity_score:.0f})",
            "yes" if r.alerted else "recorded",
            str(len(r.references)),
            f"{r.tasks_done}/{r.tasks_total}",
            r.title,
        )
    out.print(table)


def _tasks(app: App) -> None:
    from vendorwatch.runbooks.actions import is_overdue, list_tasks

    with app.session() as s:
        rows = list_tasks(s, now=app.now())
    table = Table("ID", "Incident", "Step", "Task", "Owner", "Due", "Status", title=f"Rotation tasks ({len(rows)})")
    for t in rows[:15]:
        status = "[red]overdue[/red]" if is_overdue(t, app.now()) else t.status
        table.add_row(str(t.id), str(t.incident_id), t.step, t.title, t.owner, str(t.due_at)[:16], status)
    out.print(table)
    if len(rows) > 15:
        out.print(f"... and {len(rows) - 15} more (vendorwatch tasks list)", markup=False)
