"""`incidents show`: everything known about one incident, readable in a terminal."""

from __future__ import annotations

from rich.table import Table

from vendorwatch import views
from vendorwatch.app import App
from vendorwatch.cli_common import out, print_json


def show_incident(app: App, incident_id: int, *, as_json: bool = False) -> None:
    """Print an incident with severity parts, evidence, timeline, tasks and assessments."""
    with app.session() as s:
        view = views.get_incident(s, incident_id)
        tasks = views.incident_tasks(s, incident_id)
        assessments = views.incident_assessments(s, incident_id)
    if as_json:
        data = view.as_json()
        data["tasks"] = [t.model_dump() for t in tasks]
        data["assessments"] = [a.model_dump() for a in assessments]
        print_json(data)
        return
    p = out.print
    p(f"[bold]Incident {view.id}[/bold]: {view.vendor} — {view.kind}", highlight=False)
    p(view.title, markup=False)
    parts = " + ".join(f"{name} {value:.0f}" for name, value in view.severity_parts)
    p(f"Severity: {view.severity} ({view.severity_score:.0f}) = {parts}", markup=False)
    p(f"Confidence: {view.confidence:.0%}   Status: {view.status}   Alerted: {'yes' if view.alerted else 'no'}"
      f" ({view.alert_reason})", markup=False)  # fmt: skip
    p(f"Disclosed: {view.disclosed_at}   Alerted at: {view.alerted_at}", markup=False)
    p("\n[bold]Evidence[/bold]")
    for line in view.evidence:
        p(f"  • {line}", markup=False)
    timeline = Table("Published", "Source", "Role", "Title", title="Timeline")
    for r in view.references:
        source = r.source + (f" (+{', '.join(r.also_in)})" if r.also_in else "")
        timeline.add_row(str(r.published or r.added_at)[:16], source, r.role, r.title)
    p(timeline)
    if tasks:
        table = Table(
            "ID", "Step", "Task", "Owner", "Due", "Status", title=f"Tasks ({view.tasks_done}/{view.tasks_total} closed)"
        )
        for t in tasks:
            table.add_row(str(t.id), t.step, t.title, t.owner, str(t.due_at)[:16], t.status)
        p(table)
    for a in assessments:
        p(f"\n[bold]Assessment {a.seq}[/bold] ({str(a.created_at)[:16]}): confidence {a.confidence}, impact {a.impact},"
          f" likelihood {a.likelihood}, horizon {a.horizon_days} d")  # fmt: skip
        for judgment in a.key_judgments:
            p(f"  • {judgment}", markup=False)
