"""Board metrics for one quarter, computed from the store (dataclasses out)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from reports.backfill import watching_since
from reports.concentration import Concentration, concentration
from reports.exposure import Blast, VendorExposure, rank_exposure, widest_of
from reports.facts import IncidentFacts, TaskFacts, VendorFacts
from reports.history import PastRegistry, RegistrySource, at_end_of, registry_source
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
from reports.regulation import Regulation, regulation
from reports.trends import TrendPoint, as_of, in_quarter, trends

TIMELINE_LIMIT = 6


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
class BoardMetrics:
    """Everything the board report shows for one quarter."""

    quarter: str
    generated_at: datetime
    vendors: int  # in the registry today
    concentration: Concentration  # the registry `registry` names: at a past quarter's end when snapshotted
    blast: Blast | None  # the widest blast radius in that registry (None when it is empty)
    exposure: list[VendorExposure]  # today's registry: the ranking needs dependency fields a snapshot lacks
    incidents: list[IncidentRow]
    trends: list[TrendPoint]
    open_tasks: int
    overdue_tasks: int
    overdue_list: list[TaskRow]
    overdue_reviews: list[ReviewStatus]
    as_of: datetime  # when open/overdue task figures are taken: the quarter's end, or now
    watching_since: datetime | None  # vendorwatch's first poll; quarters before it have no data
    owners: dict[str, str]  # vendor name -> owner in the registry
    regulation: Regulation  # ICT concentration by provider, parent, country; regulatory clocks met and missed
    registry: RegistrySource  # where concentration and blast radius come from, and the words that say so
    registry_today: Concentration  # today's, for what a snapshot cannot give: fourth-party links, E's totals
    previous_registry: PastRegistry | None = None  # the registry at the previous quarter's end, if snapshotted

    @property
    def current(self) -> TrendPoint:
        """This quarter's trend point."""
        return self.trends[-1]

    @property
    def registry_vendors(self) -> int:
        """Vendors in the registry the concentration describes."""
        snap = self.registry.snapshot
        return self.vendors if snap is None else snap.vendors


def overdue_tasks(tasks: Sequence[TaskFacts], vendors: Sequence[VendorFacts], when: datetime) -> list[TaskRow]:
    """Tasks open past their deadline at `when`, latest first."""
    names = {v.id: v.name for v in vendors}
    rows = [
        TaskRow(t, names.get(t.vendor_id, "?"), (when - t.due_at).total_seconds() / 3600.0)
        for t in tasks
        if t.open_at(when) and t.due_at < when
    ]
    return sorted(rows, key=lambda r: (-r.hours_overdue, r.task.id))


def incident_rows(session: Session, picked: Sequence[IncidentFacts], now: datetime) -> list[IncidentRow]:
    """The quarter's incidents with their response figures, timelines and latest assessments."""
    ids = [i.id for i in picked]
    lines = timelines(session, ids, TIMELINE_LIMIT)
    assessed = latest_assessments(session, ids)
    return [
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


def board_metrics(
    session: Session, quarter: Quarter | None = None, *, now: datetime, top: int = 25, regimes: Sequence[str] = ()
) -> BoardMetrics:
    """Compute the board metrics for `quarter` (default: the quarter of `now`); tables keep the top rows.

    A past quarter's concentration and blast radius are the registry's at its end (reports/history.py).

    `regimes` (the settings' `regimes`) are the regulatory clocks whose steps met and missed are counted.
    """
    quarter = quarter or Quarter.containing(now)
    vendors = load_vendors(session)
    tasks = load_tasks(session)
    incidents = load_incidents(session, vendors, tasks)
    rows = incident_rows(session, in_quarter(incidents, quarter), now)
    moment = as_of(quarter, now)
    late = overdue_tasks(tasks, vendors, moment)
    since = watching_since(session)
    source = registry_source(session, quarter, now)
    today = concentration(vendors)
    then = source.snapshot
    exposure = rank_exposure(vendors, incidents)
    return BoardMetrics(
        quarter=str(quarter),
        generated_at=now,
        vendors=len(vendors),
        concentration=today if then is None else then.concentration,
        blast=widest_of(exposure, today.total_deps) if then is None else then.blast,
        exposure=exposure,
        incidents=rows,
        trends=trends(incidents, tasks, quarter, now, since),
        open_tasks=sum(t.open_at(moment) for t in tasks),
        overdue_tasks=len(late),
        overdue_list=late[:top],
        overdue_reviews=review_statuses(session, vendors, now),
        as_of=moment,
        watching_since=since,
        owners={v.name: v.owner for v in vendors},
        regulation=regulation(session, vendors, regimes, quarter, now, {i.id: i.vendor for i in incidents}),
        registry=source,
        registry_today=today,
        previous_registry=at_end_of(session, quarter.previous()),
    )
