"""The board metrics as flat rows for CSV and JSON export."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass

from registry.safecsv import neutralise
from reports.indicators import leader
from reports.metrics import BoardMetrics


@dataclass(frozen=True)
class MetricRow:
    """One figure: which section, about what, which metric, its value."""

    quarter: str
    section: str
    subject: str
    metric: str
    value: float | int | str | None


def metrics_rows(m: BoardMetrics) -> list[MetricRow]:
    """Every figure of the board report as a flat row (all vendors and incidents, not just the top ones)."""
    rows: list[MetricRow] = []

    def add(section: str, subject: str, metric: str, value: float | int | str | None) -> None:
        rows.append(MetricRow(m.quarter, section, subject, metric, value))

    c = m.concentration
    add("concentration", "registry", "hhi", c.hhi)
    add("concentration", "registry", "hhi_band", c.hhi_band)
    for s in c.shares:
        add("concentration", s.vendor, "critical_share", round(s.critical_share, 4))
        add("concentration", s.vendor, "users_share", round(s.users_share, 4))
        add("concentration", s.vendor, "dependency_share", round(s.dep_share, 4))
    for s in c.single_points:
        add("concentration", s.vendor, "single_point_of_failure", s.category)
    for e in m.exposure:
        add("exposure", e.vendor, "pressure", round(e.pressure, 2))
        add("exposure", e.vendor, "detection_hours", round(e.detection_hours, 2))
        add("exposure", e.vendor, "detection_basis", e.detection_basis)
        add("exposure", e.vendor, "revocation_hours", round(e.revocation_hours, 2))
        add("exposure", e.vendor, "revocation_basis", e.revocation_basis)
        add("exposure", e.vendor, "binding_strictness", e.binding_strictness)
        add("exposure", e.vendor, "blast_radius", round(e.blast_radius, 4))
    for r in m.incidents:
        i = r.incident
        add("incidents", f"#{i.id} {i.vendor}", "ttd_hours", _round(i.ttd_hours))
        add("incidents", f"#{i.id} {i.vendor}", "ttr_hours", _round(i.ttr_hours))
        add("incidents", f"#{i.id} {i.vendor}", "sla_hours", _round(i.sla_hours))
        add("incidents", f"#{i.id} {i.vendor}", "sla_state", r.sla_state)
        add("incidents", f"#{i.id} {i.vendor}", "backfilled", i.backfilled)
    add("tasks", "all", "open", m.open_tasks)
    add("tasks", "all", "overdue", m.overdue_tasks)
    rows.extend(_registry_rows(m))
    rows.extend(_trend_rows(m))
    rows.extend(_regulation_rows(m))
    rows.extend(_history_rows(m))
    for rv in m.overdue_reviews:
        add("reviews", rv.vendor, "days_overdue", "never reviewed" if rv.days_overdue is None else rv.days_overdue)
    return rows


def _trend_rows(m: BoardMetrics) -> list[MetricRow]:
    rows = []
    for t in m.trends:
        if not t.covered:  # vendorwatch was not running: no figures, rather than zeros
            rows.append(MetricRow(m.quarter, "trends", t.quarter, "data", "none"))
            continue
        for metric, value in (
            ("incidents", t.incidents),
            ("backfilled", t.backfilled),
            ("open_tasks_at_end", t.open_tasks),
            ("median_ttd_hours", _round(t.median_ttd_hours)),
            ("median_ttr_hours", _round(t.median_ttr_hours)),
        ):
            rows.append(MetricRow(m.quarter, "trends", t.quarter, metric, value))
    return rows


def _regulation_rows(m: BoardMetrics) -> list[MetricRow]:
    """ICT concentration by provider, ultimate parent and country; each regime's clocks met and missed."""
    rows: list[MetricRow] = []
    c = m.regulation.concentration
    for section, groups in (
        ("ict_provider", c.by_provider),
        ("ultimate_parent", c.by_parent),
        ("country", c.by_country),
    ):
        for g in groups:
            figures = {
                "providers": g.providers,
                "critical_deps": g.critical_deps,
                "critical_share": round(g.critical_share, 4),
                "people": g.people,
                "people_share": round(g.people_share, 4),
            }
            rows += [MetricRow(m.quarter, section, g.name, k, v) for k, v in figures.items()]
    for t in m.regulation.clocks:
        for metric, value in (("due", t.due), ("met", t.met), ("missed", t.missed), ("pending", t.pending)):
            rows.append(MetricRow(m.quarter, "clocks", t.regime, metric, value))
    return rows


def _registry_rows(m: BoardMetrics) -> list[MetricRow]:
    """Which registry the concentration and blast radius rows describe; the exposure and ICT provider rows
    need dependency fields a snapshot does not keep, so they are today's registry in every quarter."""
    snap, b = m.registry.snapshot, m.blast
    figures: list[tuple[str, float | int | str | None]] = [
        ("source", "today" if snap is None else "snapshot"),
        ("snapshot_taken_at", None if snap is None else snap.taken_at.isoformat()),
        ("vendors", m.registry_vendors),
        ("dependencies", m.concentration.total_deps),
        ("blast_radius_vendor", b.vendor if b else None),
        ("blast_radius", round(b.radius, 4) if b else None),
    ]
    detail: list[tuple[str, float | int | str | None]] = [("source", "today"), ("as_of", m.generated_at.isoformat())]
    if m.registry.past:
        figures.append(("note", m.registry.figures("Concentration rows and blast radius")))
        detail.append(("note", m.registry.detail("Exposure and ICT provider rows")))
    return [MetricRow(m.quarter, "registry", "concentration and blast radius", k, v) for k, v in figures] + [
        MetricRow(m.quarter, "registry", "exposure and ict providers", k, v) for k, v in detail
    ]


def _history_rows(m: BoardMetrics) -> list[MetricRow]:
    """The registry at the previous quarter's end (what the indicators' change is measured from)."""
    p, subject = m.previous_registry, f"registry at end of {m.trends[-2].quarter}"
    if p is None:
        return [MetricRow(m.quarter, "history", subject, "data", "none")]
    top = leader(p.concentration)
    values: list[tuple[str, float | int | str | None]] = [
        ("snapshot_taken_at", p.taken_at.isoformat()),
        ("hhi", p.concentration.hhi),
        ("leader", top.vendor if top else None),
        ("leader_users_share", round(top.users_share, 4) if top else None),
        ("leader_critical_share", round(top.critical_share, 4) if top else None),
        ("blast_radius_vendor", p.blast.vendor if p.blast else None),
        ("blast_radius", round(p.blast.radius, 4) if p.blast else None),
    ]
    return [MetricRow(m.quarter, "history", subject, metric, value) for metric, value in values]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def to_csv(rows: list[MetricRow]) -> str:
    """CSV with a header row; cells a spreadsheet would evaluate are prefixed with `'`."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["quarter", "section", "subject", "metric", "value"])
    for r in rows:
        cells = [r.quarter, r.section, r.subject, r.metric, "" if r.value is None else r.value]
        writer.writerow([neutralise(cell) for cell in cells])  # a vendor named "=HYPERLINK(...)" stays text
    return buf.getvalue()


def to_json(rows: list[MetricRow]) -> str:
    """A JSON array of row objects."""
    return json.dumps([asdict(r) for r in rows], indent=2, ensure_ascii=False)
