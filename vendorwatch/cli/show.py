"""`incidents show`: everything known about one incident, readable in a terminal."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from registry.models import Artifact, Assessment, AuditEvent, Incident, Task
from registry.repo import assessments as assessment_rows
from registry.repo import incidents as views
from registry.repo import lifecycle as lifecycle_store
from registry.repo.tasks import tasks_of_incident
from registry.vocab import IncidentStatus
from vendorwatch.app import App
from vendorwatch.cli.common import out, print_json
from vendorwatch.cli.tables import Clamp, compact, when
from vendorwatch.har.artifacts import artifacts_for_incident
from vendorwatch.incidents.alert_facts import confidence_figure
from vendorwatch.incidents.clocks import deadlines
from vendorwatch.runbooks.actions import Progress
from vendorwatch.runbooks.actions import progress as task_progress
from vendorwatch.wording import plural


def show_incident(app: App, incident_id: int, *, as_json: bool = False) -> None:
    """Print an incident with severity parts, evidence, timeline, tasks and assessments."""
    with app.session() as s:
        view = views.get_incident(s, incident_id)
        tasks = tasks_of_incident(s, incident_id, by_due=True)
        assessments = assessment_rows.history(s, incident_id)  # baseline first
        artifacts = artifacts_for_incident(s, s.get_one(Incident, incident_id))
        progress = task_progress(s, incident_id, now=app.now()) if tasks else None
        change = lifecycle_store.last_change(s, incident_id)
        closed = _closed_line(change) if change is not None and view.status != IncidentStatus.open else None
        clocks = deadlines(s, s.get_one(Incident, incident_id), app.settings.regimes, app.now())
        confidence = confidence_figure(s, s.get_one(Incident, incident_id))
    if as_json:
        data = view.as_json()
        data["tasks"] = [t.model_dump() for t in tasks]
        data["assessments"] = [a.model_dump() for a in assessments]
        data["deadlines"] = clocks
        print_json(data)
        return
    _summary(view, closed, confidence)
    for clock in clocks:
        sent = f", submitted {clock['submitted_at']}" if clock["submitted_at"] else ""
        out.print(
            f"Deadline: {clock['regime']} {clock['step']} due {clock['due']} ({clock['status']}{sent})", markup=False
        )
    _timeline(view)
    _tasks(view, tasks, progress)
    _artifacts(artifacts)
    _assessments(assessments)


def _summary(view: views.IncidentView, closed: str | None, confidence: str) -> None:
    out.print(Text.assemble((f"Incident {view.id}", "bold"), f": {view.vendor} — {view.kind}"))
    out.print(view.title)
    parts = " + ".join(f"{name} {value:g}" for name, value in view.severity_parts)
    out.print(f"Severity: {view.severity} ({view.severity_score:g}) = {parts}")
    alerted = f"yes ({view.alert_reason})" if view.alerted else f"no ({view.alert_reason or 'recorded only'})"
    out.print(f"Confidence: {confidence}   Status: {view.status}   Alerted: {alerted}")
    out.print(f"Disclosed: {_when(view.disclosed_at)}   Alerted at: {_when(view.alerted_at)}")
    if closed:
        out.print(closed, markup=False)
    out.print(Text("\nEvidence", style="bold"))
    for line in dict.fromkeys(view.evidence):  # the same rule may fire for several reports
        out.print(f"  • {line}")


def _closed_line(event: AuditEvent) -> str:
    after = event.after or {}
    quiet = f"no news for {after['quiet_days']} days" if after.get("quiet_days") else ""
    why = after.get("reason") or after.get("note") or quiet
    line = f"Closed: {event.action.removeprefix('incident.')} by {event.actor} at {_when(event.at)}"
    return line + (f" ({why})" if why else "")


def _timeline(view: views.IncidentView) -> None:
    table = compact("Timeline", ("Published", "Source", "Role"), "Title")
    for r in view.references:
        source = r.source + (f" (+{len(r.also_in)})" if r.also_in else "")
        table.add_row(when(r.published or r.added_at), source, r.role, Clamp(r.title))
    out.print(table)


def _tasks(view: views.IncidentView, tasks: list[Task], progress: Progress | None) -> None:
    if not tasks:
        return
    table = compact(
        f"Rotation tasks ({view.tasks_done}/{view.tasks_total} closed)", ("ID",), "Task", ("Owner", "Due", "Status")
    )
    for t in tasks:
        table.add_row(str(t.id), Clamp(t.title), t.owner, when(t.due_at), t.status)
    out.print(table)
    if progress is not None:
        ttr = str(progress.time_to_revoke) if progress.time_to_revoke else "still open"
        out.print(f"Time to revoke: {ttr}   SLA: {progress.sla}")


def _artifacts(artifacts: list[Artifact]) -> None:
    if artifacts:
        out.print(Text("\nSupport artifacts shared with the vendor", style="bold"))
    for art in artifacts:
        tokens = plural(len({t["fingerprint"] for t in art.tokens}), "token")
        out.print(f"  • {art.filename} (case {art.case_ref}, recorded {_when(art.recorded_at)}): {tokens}")


def _assessments(assessments: list[Assessment]) -> None:
    for a in reversed(assessments):  # the current assessment first, then the earlier ones
        current = a is assessments[-1]
        label = "Current assessment" if current else "Earlier assessment"
        out.print(Text(f"\n{label} #{a.seq}", style="bold"), end="")
        out.print(
            f" ({_when(a.created_at)}): confidence {a.confidence}%, impact {a.impact}, "
            f"likelihood {a.likelihood}, horizon {a.horizon_days} d"
        )
        for fired in a.fired:
            out.print(f"  fired: {fired.get('trigger')} (item {fired.get('item_id')}: {fired.get('evidence')!r})")
        if not current:
            continue
        sections = {
            "Key judgments": a.key_judgments,
            "Indicators": a.indicators,
            "Assumptions": a.assumptions,
            "Change triggers": a.change_triggers,
        }
        for heading, entries in sections.items():
            out.print(f"  {heading}:")
            for entry in entries:
                out.print(f"    • {_cited(entry)}")


def _cited(entry: Any) -> str:
    """A judgment with the evidence it rests on."""
    if not isinstance(entry, dict):
        return str(entry)
    evidence = entry.get("evidence") or []
    return str(entry.get("text", "")) + (f"  [{'; '.join(map(str, evidence))}]" if evidence else "")


def _when(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else "-"
