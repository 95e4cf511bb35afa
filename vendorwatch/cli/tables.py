"""Rich tables shared by commands and the demo: one layout per kind of row, fitting 80 columns.

Every table is compact (no outer frame, two spaces between columns): facts stay on one line and are
ellipsised when the terminal is narrow, and the one free-text column takes the spare width and wraps
to at most two lines, the second ellipsised.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from notify.text import one_line

if TYPE_CHECKING:
    from registry.models import Task
    from registry.repo.incidents import IncidentView
    from registry.spec import VendorSpec

_QUIET_KEYS = {"key", "status", "closed_at", "closed_by", "evidence", "reason", "reminded_at", "escalated_at"}
TEXT_MIN = 12  # narrowest the free-text column gets before the facts are cut instead


class Clamp:
    """Text wrapped to at most `lines` lines; what does not fit ends the last line with an ellipsis."""

    def __init__(self, text: str, lines: int = 2) -> None:
        self.text = one_line(text)  # feed titles can carry newlines, runs of spaces and terminal escapes
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width)
        wrapped = list(Text(self.text).wrap(console, width, overflow="fold"))
        if len(wrapped) > self.lines:
            rest = Text(" ".join(line.plain.strip() for line in wrapped[self.lines - 1 :]))
            rest.truncate(width, overflow="ellipsis")
            wrapped = [*wrapped[: self.lines - 1], rest]
        yield Text("\n").join(wrapped)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = cell_len(self.text)  # cells, not characters: CJK and emoji take two
        return Measurement(min(TEXT_MIN, width), max(1, width))


def compact(title: str | None, facts: Iterable[str], text: str | None = None, after: Iterable[str] = ()) -> Table:
    """A table of one-line fact columns with an optional free-text column between `facts` and `after`."""
    # No min_width on the text column: Rich adds it after shrinking, which pushes the table past the width.
    table = Table(title=title or None, box=box.SIMPLE_HEAD, show_edge=False, padding=(0, 1, 0, 0), pad_edge=False)
    for name in facts:
        table.add_column(name, no_wrap=True, overflow="ellipsis")
    if text is not None:
        table.add_column(text)
    for name in after:
        table.add_column(name, no_wrap=True, overflow="ellipsis")
    return table


def when(value: datetime | None, *, year: bool = False) -> str:
    """A short UTC time for tables: `11-23 06:30` (with the year when asked), `-` for none."""
    if value is None:
        return "-"
    return value.strftime("%Y-%m-%d %H:%M" if year else "%m-%d %H:%M")


def vendor_table(rows: Iterable[tuple[VendorSpec, int]], title: str = "Vendors") -> Table:
    """Vendors with criticality, category, owner and what depends on them."""
    table = compact(title, ("Vendor", "Criticality", "Category", "Owner", "Deps", "Creds"))
    for v, credentials in rows:
        table.add_row(v.name, v.criticality, v.category, v.owner, str(len(v.dependencies)), str(credentials))
    return table


def incident_table(rows: Iterable[IncidentView], title: str = "Incidents", *, wide: bool = False) -> Table:
    """Incidents; the facts stay on the first line and the title takes the spare width."""
    facts = (
        ("ID", "Vendor", "Kind", "Severity", "Status", "Alert", "Tasks")
        if wide
        else ("ID", "Vendor", "Kind", "Sev", "Status", "Tasks")
    )
    table = compact(title, facts, "Title (reports)")
    for r in rows:
        severity = f"{r.severity} {r.severity_score:.0f}" if wide else f"{r.severity_score:.0f}"
        cells = [str(r.id), r.vendor, r.kind, severity, r.status + ("*" if r.alerted and not wide else "")]
        if wide:
            cells.append("yes" if r.alerted else "-")
        cells.append(f"{r.tasks_done}/{r.tasks_total}")
        table.add_row(*cells, Clamp(f"{r.title} ({len(r.references)})"))
    if not wide:
        table.caption = "* alerted · --wide for more"
    return table


def task_table(rows: Iterable[tuple[Task, str, bool]], title: str = "Tasks", *, wide: bool = False) -> Table:
    """Tasks (task, vendor, overdue) by due time; overdue rows are bold red, step ids only with --wide."""
    facts = ("ID", "Inc", "Vendor") + (("Step",) if wide else ())
    table = compact(title, facts, "Title", ("Owner", "Due", "Status"))
    for t, vendor, late in rows:
        cells = [str(t.id), str(t.incident_id), vendor] + ([t.step] if wide else [])
        table.add_row(
            *cells,
            Clamp(t.title),
            t.owner,
            when(t.due_at, year=wide),
            "overdue" if late else t.status,
            style="bold red" if late else None,
        )
    return table


def audit_rows(events: Iterable[dict[str, Any]], changes: Iterator[tuple[str, str]]) -> Table:
    """Audit events (as JSON dicts) with what changed, one or two lines each."""
    table = compact("Audit trail", ("ID", "At", "Actor", "Action", "Entity"), "Change")
    for e, (before, after) in zip(events, changes, strict=True):
        at = datetime.fromisoformat(str(e["at"]))
        if not e.get("before") and isinstance(e.get("after"), dict):  # a creation: what it is, not its key
            after = ", ".join(f"{k}={v}" for k, v in e["after"].items() if k not in _QUIET_KEYS and v is not None)
        change = f"{before} → {after}" if before else after
        table.add_row(
            str(e["id"]), when(at), str(e["actor"]), str(e["action"]), f"{e['entity']} {e['entity_id']}", Clamp(change)
        )
    return table
