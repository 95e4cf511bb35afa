"""Per-quarter response figures: incidents by disclosure, tasks as of the quarter's end, "no data" before we ran."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reports.facts import IncidentFacts, TaskFacts
from reports.quarters import Quarter

TREND_QUARTERS = 4


@dataclass(frozen=True)
class TrendPoint:
    """One quarter's response figures; `covered` is False when vendorwatch was not running in it (no data)."""

    quarter: str
    covered: bool
    incidents: int
    backfilled: int
    median_ttd_hours: float | None
    median_ttr_hours: float | None
    sla_met: int
    sla_missed: int
    open_tasks: int
    overdue_tasks: int

    @property
    def sla_known(self) -> int:
        """Incidents whose SLA outcome is settled or already lost (met, missed or overdue)."""
        return self.sla_met + self.sla_missed


def median(values: Sequence[float | None]) -> float | None:
    """Median of the known values, None when there are none."""
    known = [v for v in values if v is not None]
    return float(statistics.median(known)) if known else None


def in_quarter(incidents: Sequence[IncidentFacts], quarter: Quarter) -> list[IncidentFacts]:
    """Alerted incidents the vendor disclosed in the quarter (else alerted in it), oldest first."""
    picked = [i for i in incidents if quarter.contains(i.reported_at)]
    return sorted(picked, key=lambda i: (i.reported_at, i.id))


def as_of(quarter: Quarter, now: datetime) -> datetime:
    """The moment a quarter's standing figures are taken: its end, or now for the running quarter."""
    return min(quarter.end, now)


def trend(
    incidents: Sequence[IncidentFacts],
    tasks: Sequence[TaskFacts],
    quarter: Quarter,
    now: datetime,
    since: datetime | None,
) -> TrendPoint:
    """Incident count, median TTD/TTR, SLA outcomes and open/overdue tasks (at its end) for one quarter."""
    picked = in_quarter(incidents, quarter)
    states = [i.sla_state(now) for i in picked]
    moment = as_of(quarter, now)
    open_then = [t for t in tasks if t.open_at(moment)]
    return TrendPoint(
        str(quarter),
        since is not None and since < quarter.end,
        len(picked),
        sum(i.backfilled for i in picked),
        median([i.ttd_hours for i in picked]),
        median([i.ttr_hours for i in picked]),
        states.count("met"),
        states.count("missed") + states.count("overdue"),
        len(open_then),
        sum(t.due_at < moment for t in open_then),
    )


def trends(
    incidents: Sequence[IncidentFacts],
    tasks: Sequence[TaskFacts],
    quarter: Quarter,
    now: datetime,
    since: datetime | None,
) -> list[TrendPoint]:
    """The quarter and the three before it, oldest first."""
    quarters = [quarter]
    for _ in range(TREND_QUARTERS - 1):
        quarters.insert(0, quarters[0].previous())
    return [trend(incidents, tasks, q, now, since) for q in quarters]
