"""`incidents show`: everything known about one incident, readable in a terminal."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from registry.models import Incident
from vendorwatch import views
from vendorwatch.app import App
from vendorwatch.artifacts import artifacts_for_incident
from vendorwatch.cli_common import out, print_json
from vendorwatch.runbooks.actions import progress as task_progress


def show_incident(app: App, incident_id: int, *, as_json: bool = False) -> None:
    """Print an incident with severity parts, evidence, timeline, tasks and assessments."""
    with app.session() as s:
        view = views.get_incident(s, incident_id)
        tasks = views.incident_tasks(s, incident_id)
        assessments = views.incident_assessments(s, incident_id)
        incident = s.get_one(Incident, incident_id)
        artifacts = artifacts_for_incident(s, incident)
        progress = task_progress(s, incident_id, now=app.now()) if tasks else None
    if as_json:
        data = view.as_json()
        data["tasks"] = [t.model_dump() for t in tasks]
        data["assessments"] = [a.model_dump() for a in assessments]
        print_json(data)
        return
    p = out.print
    p(Text.assemble((f"Incident {view.id}", "bold"), f": {view.vendor} — {view.kind}"))
    p(view.title, markup=False)
    parts = " + ".join(f"{name} {value:.0f}" for name, value in view.severity_parts)
    p(f"Severity: {view.severity} ({view.severity_score:.0f}) = {parts}", markup=False)
    p(f"Confidence: {view.confidence:.0%}   Status: {view.status}   Alerted: {'yes' if view.alerted else 'no'}"
      f" ({view.alert_reason})", markup=False)  # fmt: skip
    p(f"Disclosed: {view.disclosed_at}   Alerted at: {view.alerted_at}", markup=False)
    p(Text("\nEvidence", style="bold"))
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
    if artifacts:
        p(Text("\nSupport artifacts shared with the vendor", style="bold"))
        for art in artifacts:
            p(f"  • {art.filename} (case {art.case_ref}, recorded {str(art.recorded_at)[:10]}): "
              f"{len({t['fingerprint'] for t in art.tokens})} tokens", markup=False)  # fmt: skip
    if progress is not None:
        ttr = f"{progress.time_to_revoke}" if progress.time_to_revoke else "open"
        p(f"\nTime to revoke: {ttr}   SLA: {progress.sla}", markup=False)
    for a in reversed(assessments):  # the current assessment first, then the earlier ones
        label = "Current assessment" if a is assessments[-1] else "Earlier assessment"
        p(Text(f"\n{label} #{a.seq}", style="bold"), end="")
        p(f" ({str(a.created_at)[:16]}): confidence {a.confidence}, "
          f"impact {a.impact}, likelihood {a.likelihood}, horizon {a.horizon_days} d")  # fmt: skip
        for fired in a.fired:
            p(f"  fired: {fired.get('trigger')} (item {fired.get('item_id')}: {fired.get('evidence')!r})", markup=False)
        if a is not assessments[-1]:
            continue
        for heading, entries in (("Key judgments", a.key_judgments), ("Indicators", a.indicators),
                                 ("Assumptions", a.assumptions), ("Change triggers", a.change_triggers)):  # fmt: skip
            p(f"  {heading}:")
            for entry in entries:
                text = entry.get("text", entry) if isinstance(entry, dict) else entry
                evidence = entry.get("evidence", []) if isinstance(entry, dict) else []
                p(f"    • {text}" + (f"  [{'; '.join(map(str, evidence))}]" if evidence else ""), markup=False)
