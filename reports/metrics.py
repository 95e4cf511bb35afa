"""Board metrics for one quarter, computed from the store (dataclasses out)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from reports.concentration import Concentration, concentration
from reports.exposure import VendorExposure, rank_exposure
from reports.facts import IncidentFacts, TaskFacts, VendorFacts
from reports.load import load_incidents, load_tasks, load_vendors
from reports.quarters import Quarter
from reports.records import (
    AssessmentSummary,
    ReviewStatus,
    TimelineEntry,
    latest_assessments,
    review_statuses,
    timelines,
)

TIMELINE_LIMIT = 6
TREND_QUARTERS = 4


@dataclass(frozen=True)
class IncidentRow:
    """One quarter incident: its response figures, timeline and latest assessment."""

    incident: IncidentFacts
    sla_state: str
    open_tasks: int
    overdue_tasks: int
    timeline: tuple[TimelineEntry, ...]
    timeline_more: int
    assessment: AssessmentSummary | None


@dataclass(frozen=True)
class TaskRow:
    """An open rotation task with the vendor and how late it is."""

    task: TaskFacts
    vendor: str
    hours_overdue: float


@dataclass(frozen=True)
class TrendPoint:
    """One quarter's response figures."""

    quarter: str
    incidents: int
    median_ttd_hours: float | None
    median_ttr_hours: float | None
    sla_met: int
    sla_missed: int


@dataclass(frozen=True)
class BoardMetrics:
    """Everything the board report shows for one quarter."""

    quarter: str
    generated_at: datetime
    vendors: int
    concentration: Concentration
    exposure: list[VendorExposure]
    incidents: list[IncidentRow]
    trends: list[TrendPoint]
    open_tasks: int
    overdue_tasks: int
    overdue_list: list[TaskRow]
    overdue_reviews: list[ReviewStatus]

    @property
    def current(self) -> TrendPoint:
        """This quarter's trend point."""
        return self.trends[-1]


def median(values: Sequence[float | None]) -> float | None:
    """Median of the known values, None when there are none."""
    known = [v for v in values if v is not None]
    return float(statistics.median(known)) if known else None


def in_quarter(incidents: Sequence[IncidentFacts], quarter: Quarter) -> list[IncidentFacts]:
    """Alerted incidents whose alert falls in the quarter, oldest first."""
    picked = [i for i in incidents if quarter.contains(i.alert_at or i.opened_at)]
    return sorted(picked, key=lambda i: (i.alert_at or i.opened_at, i.id))


def trend(incidents: Sequence[IncidentFacts], quarter: Quarter, now: datetime) -> TrendPoint:
    """Incident count, median TTD/TTR and SLA outcomes for one quarter."""
    picked = in_quarter(incidents, quarter)
    states = [i.sla_state(now) for i in picked]
    return TrendPoint(
        str(quarter),
        len(picked),
        median([i.ttd_hours for i in picked]),
        median([i.ttr_hours for i in picked]),
        states.count("met"),
        states.count("missed") + states.count("overdue"),
    )


def trends(incidents: Sequence[IncidentFacts], quarter: Quarter, now: datetime) -> list[TrendPoint]:
    """The quarter and the three before it, oldest first."""
    quarters = [quarter]
    for _ in range(TREND_QUARTERS - 1):
        quarters.insert(0, quarters[0].previous())
    return [trend(incidents, q, now) for q in quarters]


def overdue_tasks(tasks: Sequence[TaskFacts], vendors: Sequence[VendorFacts], now: datetime) -> list[TaskRow]:
    """Open tasks past their deadline, latest first."""
    names = {v.id: v.name for v in vendors}
    rows = [
        TaskRow(t, names.get(t.vendor_id, "?"), (now - t.due_at).total_seconds() / 3600.0)
        for t in tasks
        if t.overdue(now)
    ]
    return sorted(rows, key=lambda r: (-r.hours_overdue, r.task.id))


def board_metrics(session: Session, quarter: Quarter | None = None, *, now: datetime, top: int = 25) -> BoardMetrics:
    """Compute the board metrics for `quarter` (default: the quarter of `now`); tables keep the top rows."""
    quarter = quarter or Quarter.containing(now)
    vendors = load_vendors(session)
    tasks = load_tasks(session)
    incidents = load_incidents(session, vendors, tasks)
    picked = in_quarter(incidents, quarter)
    ids = [i.id for i in picked]
    lines = timelines(session, ids, TIMELINE_LIMIT)
    assessed = latest_assessments(session, ids)
    rows = [
        IncidentRow(
            i,
            i.sla_state(now),
            sum(t.is_open for t in i.tasks),
            sum(t.overdue(now) for t in i.tasks),
            tuple(lines.get(i.id, ([], 0))[0]),
            lines.get(i.id, ([], 0))[1],
            assessed.get(i.id),
        )
        for i in picked
    ]
    late = overdue_tasks(tasks, vendors, now)
    return BoardMetrics(
        quarter=str(quarter),
        generated_at=now,
        vendors=len(vendors),
        concentration=concentration(vendors),
        exposure=rank_exposure(vendors, incidents),
        incidents=rows,
        trends=trends(incidents, quarter, now),
        open_tasks=sum(t.is_open for t in tasks),
        overdue_tasks=len(late),
        overdue_list=late[:top],
        overdue_reviews=review_statuses(session, vendors, now),
    )
