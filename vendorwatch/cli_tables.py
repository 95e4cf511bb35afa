"""Rich tables shared by commands and the demo: one layout per kind of row, readable at 80 columns."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table

from registry.spec import VendorSpec
from vendorwatch.views import IncidentView


def vendor_table(rows: Iterable[tuple[VendorSpec, int]], title: str = "Vendors") -> Table:
    """Vendors with criticality, category, owner and what depends on them."""
    table = Table("Vendor", "Criticality", "Category", "Owner", "Deps", "Creds", title=title)
    for v, credentials in rows:
        table.add_row(v.name, v.criticality, v.category, v.owner, str(len(v.dependencies)), str(credentials))
    return table


def incident_table(rows: Iterable[IncidentView], title: str = "Incidents") -> Table:
    """Incidents; only the title wraps, so the facts stay on the first line."""
    table = Table(title=title)
    for name in ("ID", "Vendor", "Kind", "Severity", "Alert", "Tasks"):
        table.add_column(name, no_wrap=True)
    table.add_column("Title (reports)", min_width=16)
    for r in rows:
        table.add_row(str(r.id), r.vendor, r.kind, f"{r.severity} {r.severity_score:.0f}",
                      "yes" if r.alerted else "-", f"{r.tasks_done}/{r.tasks_total}",
                      f"{r.title} ({len(r.references)})")  # fmt: skip
    return table
