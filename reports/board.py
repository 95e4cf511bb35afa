"""The quarterly board report: two pages that decide, then the appendix, into one PDF."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from markupsafe import Markup
from sqlmodel import Session

from reports import charts
from reports.backfill import REGULAR_LOOKBACK
from reports.board_tables import blast_table, comparison, concentration_table, exposure_table
from reports.decide import board_summary
from reports.exposure import BINDING_STRICTNESS, DEFAULT_DETECTION_HOURS, PRIVILEGE_WEIGHT
from reports.metrics import BoardMetrics, board_metrics
from reports.quarters import Quarter
from reports.regulation_tables import clocks_table, group_table, missed_line
from reports.render import html_to_pdf, render_html

CHART_ROWS = 15


@dataclass(frozen=True)
class Chart:
    """An inline SVG chart, the row labels it plots and a caption saying how many of how many."""

    svg: Markup
    labels: tuple[str, ...]
    caption: str


@dataclass(frozen=True)
class BoardCharts:
    """The board report's inline SVG charts."""

    concentration: Chart
    exposure: Chart
    response: Chart
    trends: Chart


def _caption(what: str, shown: int, total: int, order: str) -> str:
    if shown == total:
        return f"All {total} {what}, {order}."
    return f"Top {shown} of {total} {what}, {order}; the table and 'vendorwatch report metrics' have the rest."


def board_charts(m: BoardMetrics) -> BoardCharts:
    """Charts for the report; each caption says whether every row is plotted or the top N of M."""
    shares = m.concentration.shares[:CHART_ROWS]
    conc = charts.hbar(
        [charts.Bar(s.vendor, (100 * s.critical_share, 100 * s.users_share)) for s in shares],
        ("critical dependencies %", "users %"),
        unit="%",
    )
    expo_rows = m.exposure[:CHART_ROWS]
    expo = charts.hbar([charts.Bar(e.vendor, (e.pressure,)) for e in expo_rows], ("exposure pressure E",))
    incidents = m.incidents[:CHART_ROWS]
    bars = [
        charts.Bar(
            f"#{r.incident.id} {r.incident.vendor}",
            (r.incident.ttd_hours, r.incident.ttr_hours, r.incident.sla_hours),
            note="back-filled" if r.incident.backfilled else r.sla_state,
        )
        for r in incidents
    ]
    response = charts.hbar(bars, ("time to detect (h)", "time to revoke (h)", "revocation SLA (h)"), unit=" h")
    trend = charts.columns(
        [t.quarter for t in m.trends],
        [float(t.incidents) if t.covered else None for t in m.trends],
        [t.median_ttd_hours for t in m.trends],
        bar_name="vendor incidents (by disclosure)",
        line_name="median time to detect",
    )
    n = len(m.trends)
    return BoardCharts(
        Chart(
            conc,
            tuple(s.vendor for s in shares),
            _caption("vendors", len(shares), len(m.concentration.shares), "largest critical share first"),
        ),
        Chart(
            expo,
            tuple(e.vendor for e in expo_rows),
            _caption("vendors", len(expo_rows), len(m.exposure), "highest exposure pressure first"),
        ),
        Chart(
            response,
            tuple(b.label for b in bars),
            _caption(f"incidents of {m.quarter}", len(bars), len(m.incidents), "in order of disclosure"),
        ),
        Chart(
            trend,
            tuple(t.quarter for t in m.trends),
            f'The last {n} quarters; "no data" where vendorwatch was not running.',
        ),
    )


def board_html(m: BoardMetrics, *, top: int = 25) -> str:
    """The board report as HTML (autoescaped)."""
    return render_html(
        "board.html.j2",
        m=m,
        top=top,
        s=board_summary(m),
        charts=board_charts(m),
        tables={
            "concentration": concentration_table(m, top),
            "blast": blast_table(m, top),
            "exposure": exposure_table(m, top),
            "by_provider": group_table("ICT provider (LEI)", m.regulation.concentration.by_provider, top),
            "by_parent": group_table("Ultimate parent", m.regulation.concentration.by_parent, top),
            "by_country": group_table("Country", m.regulation.concentration.by_country, top),
            "clocks": clocks_table(m.regulation.clocks),
        },
        missed_lines=[missed_line(x) for x in m.regulation.missed],
        compare=comparison(m),
        binding=BINDING_STRICTNESS,
        privilege=PRIVILEGE_WEIGHT,
        default_detection=DEFAULT_DETECTION_HOURS,
        backfill_days=REGULAR_LOOKBACK.days,
    )


def render_board(metrics: BoardMetrics, out: Path, *, top: int = 25) -> None:
    """Write the board report PDF for computed `metrics` to `out`; needs no database session."""
    html_to_pdf(board_html(metrics, top=top), out)


def write_board_report(
    session: Session,
    out: Path,
    *,
    now: datetime,
    quarter: Quarter | None = None,
    top: int = 25,
    regimes: Sequence[str] = (),
) -> BoardMetrics:
    """Compute the quarter's metrics and write the board report PDF to `out`; returns the metrics.

    Renders while `session` is open: callers holding a transaction should use board_metrics + render_board.
    """
    metrics = board_metrics(session, quarter, now=now, top=top, regimes=regimes)
    render_board(metrics, out, top=top)
    return metrics
