"""The two pages that decide: overall status, indicators, incidents, top risks and what we ask of the board."""

from __future__ import annotations

from dataclasses import dataclass

from reports.asks import Ask, Risk, asks, risks
from reports.indicators import (
    RANK,
    Indicator,
    LateTask,
    blast_indicator,
    clip,
    concentration_headline,
    concentration_indicator,
    detect_indicator,
    late_tasks,
    revoke_indicator,
)
from reports.metrics import BoardMetrics, IncidentRow
from reports.render import _day, _hours

INCIDENT_LINES = 8


@dataclass(frozen=True)
class BoardSummary:
    """Pages 1 and 2 of the board report."""

    status: str
    reason: str
    indicators: tuple[Indicator, ...]
    incident_lines: tuple[str, ...]
    incidents_more: int
    late: tuple[LateTask, ...]
    risks: tuple[Risk, ...]
    concentration: str
    asks: tuple[Ask, ...]
    asks_note: str  # a past quarter: the owners (and a replace ask's blast radius) are today's registry


def incident_line(r: IncidentRow) -> str:
    """One line per incident: who, what, when disclosed, how fast we saw it, where the clean-up stands."""
    i = r.incident
    detect = f"detected in {_hours(i.ttd_hours)}"
    if i.backfilled:
        detect = "back-filled"
    elif i.ttd_hours is None:
        detect = "no disclosure date"
    tasks = f"{r.open_tasks}/{len(i.tasks)} tasks open" if i.tasks else "no tasks"
    who = f"#{i.id} {clip(i.vendor, 40)}: {clip(i.title)}"
    sla = "within SLA so far" if r.sla_state == "open" else f"SLA {r.sla_state}"
    return f"{who} — disclosed {_day(i.reported_at)}, {detect}, {tasks}, {sla}"


def overall(indicators: tuple[Indicator, ...]) -> tuple[str, str]:
    """The worst indicator status, and one sentence naming what made it so."""
    rated = [i for i in indicators if i.status in RANK]
    if not rated:
        return "none", "No indicator has data yet: vendorwatch has not polled in this quarter."
    worst = max(RANK[i.status] for i in rated)
    status = next(s for s, r in RANK.items() if r == worst)
    drivers = [i.short or i.reason for i in rated if RANK[i.status] == worst]
    if status == "green":
        return status, "Green: every indicator is within its target this quarter."
    # Every driver named: "A", "A and B", "A; B; and C" (the clauses carry their own commas).
    listed = " and ".join(drivers) if len(drivers) <= 2 else "; ".join(drivers[:-1]) + "; and " + drivers[-1]
    return status, f"{status.capitalize()}: {listed}."


def asks_note(m: BoardMetrics, decisions: tuple[Ask, ...]) -> str:
    """For a past quarter, that the asks' owners and a replace ask's blast radius are today's registry."""
    if not m.registry.past:
        return ""
    replace = any(a.decision == "Replace" for a in decisions)
    return m.registry.detail("Owners and the replace ask's blast radius" if replace else "Owners")


def board_summary(m: BoardMetrics) -> BoardSummary:
    """Everything pages 1 and 2 show, computed once from the metrics."""
    cur, prev = m.trends[-1], m.trends[-2]
    late = late_tasks(m.incidents, m)
    indicators = (
        detect_indicator(cur, prev),
        revoke_indicator(cur, prev, late),
        concentration_indicator(m.concentration, prev, m.previous_registry),
        blast_indicator(m.blast, prev, m.previous_registry),
    )
    status, reason = overall(indicators)
    lines = tuple(incident_line(r) for r in m.incidents[:INCIDENT_LINES])
    decisions = tuple(asks(m))
    return BoardSummary(
        status,
        reason,
        indicators,
        lines,
        max(0, len(m.incidents) - INCIDENT_LINES),
        tuple(late),
        tuple(risks(m, indicators)),
        concentration_headline(m.concentration)[1],
        decisions,
        asks_note(m, decisions),
    )
