"""The quarterly board report: metrics, charts and summary into one PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from markupsafe import Markup
from sqlmodel import Session

from reports import charts
from reports.exposure import BINDING_STRICTNESS, DEFAULT_DETECTION_HOURS, PRIVILEGE_WEIGHT
from reports.metrics import BoardMetrics, board_metrics
from reports.quarters import Quarter
from reports.render import html_to_pdf, render_html
from reports.summary import executive_summary

CHART_ROWS = 12


@dataclass(frozen=True)
class BoardCharts:
    """The board report's inline SVG charts."""

    concentration: Markup
    exposure: Markup
    response: Markup
    trends: Markup


def board_charts(m: BoardMetrics) -> BoardCharts:
    """Charts for the report, each over the top rows only."""
    shares = m.concentration.shares[:CHART_ROWS]
    conc = charts.hbar(
        [charts.Bar(s.vendor, (100 * s.critical_share, 100 * s.users_share)) for s in shares],
        ("critical dependencies %", "users %"),
        unit="%",
    )
    expo = charts.hbar([charts.Bar(e.vendor, (e.pressure,)) for e in m.exposure[:CHART_ROWS]], ("exposure pressure E",))
    response = charts.hbar(
        [
            charts.Bar(
                f"#{r.incident.id} {r.incident.vendor}",
                (r.incident.ttd_hours, r.incident.ttr_hours, r.incident.sla_hours),
                note=r.sla_state,
            )
            for r in m.incidents[:CHART_ROWS]
        ],
        ("time to detect (h)", "time to revoke (h)", "revocation SLA (h)"),
        unit=" h",
    )
    trend = charts.columns(
        [t.quarter for t in m.trends],
        [float(t.incidents) for t in m.trends],
        [t.median_ttd_hours for t in m.trends],
        bar_name="alerted incidents",
        line_name="median time to detect",
    )
    return BoardCharts(conc, expo, response, trend)


def board_html(m: BoardMetrics, *, top: int = 25) -> str:
    """The board report as HTML (autoescaped)."""
    return render_html(
        "board.html.j2",
        m=m,
        top=top,
        summary=executive_summary(m),
        charts=board_charts(m),
        binding=BINDING_STRICTNESS,
        privilege=PRIVILEGE_WEIGHT,
        default_detection=DEFAULT_DETECTION_HOURS,
    )


def render_board(metrics: BoardMetrics, out: Path, *, top: int = 25) -> None:
    """Write the board report PDF for computed `metrics` to `out`; needs no database session."""
    html_to_pdf(board_html(metrics, top=top), out)


def write_board_report(session: Session, out: Path, *, now: datetime, quarter: Quarter | None = None,
                       top: int = 25) -> BoardMetrics:  # fmt: skip
    """Compute the quarter's metrics and write the board report PDF to `out`; returns the metrics.

    Renders while `session` is open: callers holding a transaction should use board_metrics + render_board.
    """
    metrics = board_metrics(session, quarter, now=now, top=top)
    render_board(metrics, out, top=top)
    return metrics
