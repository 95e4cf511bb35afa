"""The executive summary: a few plain sentences generated from the numbers."""

from __future__ import annotations

from reports.metrics import BoardMetrics
from reports.render import _hours, _pct


def executive_summary(m: BoardMetrics) -> list[str]:
    """Sentences for the board, each one traceable to a figure in the report."""
    c, cur = m.concentration, m.current
    lines = []
    if c.shares:
        top = c.shares[0]
        lines.append(
            f"{top.vendor} holds {_pct(top.critical_share, 0)} of our {c.total_critical} critical dependencies "
            f"and sits in front of {_pct(top.users_share, 0)} of our people; the registry's concentration index "
            f"(HHI) is {c.hhi:,} ({c.hhi_band}) across {m.vendors} vendors."
        )
    if c.single_points:
        names = ", ".join(s.vendor for s in c.single_points[:5])
        more = f" and {len(c.single_points) - 5} more" if len(c.single_points) > 5 else ""
        are = "vendor is a single point" if len(c.single_points) == 1 else "vendors are single points"
        lines.append(f"{len(c.single_points)} {are} of failure in their category: {names}{more}.")
    if cur.incidents:
        ttd = f"a median of {_hours(cur.median_ttd_hours)} after the vendor disclosed" if cur.median_ttd_hours else ""
        lines.append(
            f"In {m.quarter} we alerted on {cur.incidents} vendor incident{'s' * (cur.incidents != 1)}"
            + (f", {ttd}" if ttd else "")
            + f"; {cur.sla_met} closed within the revocation SLA and {cur.sla_missed} missed or are past it."
        )
    else:
        lines.append(f"No vendor incident was alerted in {m.quarter}.")
    if m.open_tasks:
        lines.append(
            f"{m.open_tasks} rotation task{'s' * (m.open_tasks != 1)} remain open, {m.overdue_tasks} of them overdue."
        )
    else:
        lines.append("Every rotation task is closed.")
    if m.exposure:
        e = m.exposure[0]
        lines.append(
            f"Highest exposure pressure: {e.vendor} (E = {e.pressure:,.0f}); a breach there reaches "
            f"{_pct(e.blast_radius, 0)} of our dependencies."
        )
    if m.overdue_reviews:
        never = sum(r.days_overdue is None for r in m.overdue_reviews)
        lines.append(
            f"{len(m.overdue_reviews)} vendor review{'s are' if len(m.overdue_reviews) != 1 else ' is'} due or overdue"
            + (f" ({never} never reviewed)." if never else ".")
        )
    return lines
