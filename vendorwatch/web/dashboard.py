"""The dashboard page: what is open, who owes what by when, which vendors matter, what changed.

Read through registry/ and reports/ functions (a fixed number of queries, none per row); rendered by an
autoescaped Jinja2 template, so feed text always shows as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlmodel import Session

from registry.repo import dashboard as store
from reports.exposure import PRIVILEGE_WEIGHT, detection_latency
from reports.facts import IncidentFacts, VendorFacts
from reports.records import CRITICALITY_ORDER, ReviewStatus, review_statuses
from vendorwatch.runbooks import audit

TIMELINE_MAX = 5
AUDIT_MAX = 50
REVIEWS_MAX = 50
TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class IncidentRow:
    """An open incident with the start of its timeline."""

    incident: store.OpenIncident
    timeline: list[store.TimelineStep]
    more: int


@dataclass(frozen=True)
class TaskRow:
    """An open task; overdue ones come first and show red."""

    task: store.OpenTask
    overdue: bool


@dataclass(frozen=True)
class VendorRow:
    """A vendor with its criticality and exposure pressure (as the board report computes it)."""

    vendor: store.VendorLine
    pressure: float
    detection_basis: str
    open_incidents: int


@dataclass(frozen=True)
class AuditRow:
    """One recent audit event, with only what changed."""

    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    before: str
    after: str


@dataclass(frozen=True)
class Page:
    """Everything the dashboard shows."""

    now: datetime
    incidents: list[IncidentRow]
    tasks: list[TaskRow]
    vendors: list[VendorRow]
    reviews: list[ReviewStatus]
    reviews_more: int
    audit: list[AuditRow]

    @property
    def overdue(self) -> int:
        """How many open tasks are past due."""
        return sum(1 for t in self.tasks if t.overdue)


def build(session: Session, now: datetime) -> Page:
    """Read the page's model."""
    incidents = store.open_incidents(session)
    lines = store.timelines(session, [i.id for i in incidents], TIMELINE_MAX)
    rows = [IncidentRow(i, *lines.get(i.id, ([], 0))) for i in incidents]
    tasks = [TaskRow(t, t.due_at < now) for t in store.open_tasks(session)]
    tasks.sort(key=lambda r: (not r.overdue, r.task.due_at if r.overdue else datetime.min, r.task.owner, r.task.due_at))
    vendors = store.vendor_lines(session)
    facts = [
        VendorFacts(v.id, v.name, v.category, v.criticality, v.owner, v.users, v.review_cadence_days, ())
        for v in vendors
    ]
    reviews = review_statuses(session, facts, now)
    events = [
        AuditRow(e.at, e.actor, e.action, e.entity, e.entity_id, *audit.changes(e.before, e.after))
        for e in store.recent_audit(session, AUDIT_MAX)
    ]
    vendor_rows = _vendor_rows(vendors, store.alerted_incidents(session), incidents)
    return Page(now, rows, tasks, vendor_rows, reviews[:REVIEWS_MAX], max(0, len(reviews) - REVIEWS_MAX), events)


def _vendor_rows(
    vendors: list[store.VendorLine], alerted: list[store.AlertedIncident], open_now: list[store.OpenIncident]
) -> list[VendorRow]:
    by_vendor: dict[int, list[IncidentFacts]] = {}
    for inc in alerted:
        facts = IncidentFacts(
            inc.id, inc.vendor_id, "", "", "", "", "", inc.disclosed_at or datetime.min, inc.disclosed_at, inc.alert_at
        )
        by_vendor.setdefault(inc.vendor_id, []).append(facts)
    open_count: dict[str, int] = {}
    for i in open_now:
        open_count[i.vendor] = open_count.get(i.vendor, 0) + 1
    rows = []
    for v in vendors:
        detect, basis = detection_latency(by_vendor.get(v.id, []))
        weight = max((PRIVILEGE_WEIGHT.get(scope, 1) for scope in v.privilege_scopes), default=0)
        # E = detection latency x trust width x privilege weight, as reports.exposure.vendor_exposure has it.
        rows.append(VendorRow(v, detect * v.trust_width * weight, basis, open_count.get(v.name, 0)))
    rank = {c: n for n, c in enumerate(CRITICALITY_ORDER)}
    return sorted(
        rows, key=lambda r: (-r.open_incidents, rank.get(r.vendor.criticality, 9), -r.pressure, r.vendor.name)
    )


def _when(value: datetime | None) -> str:
    return "–" if value is None else value.strftime("%Y-%m-%d %H:%M")


def environment() -> Environment:
    """The template environment: autoescape on for every template (PITFALLS: Jinja2)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    return env


def render(env: Environment, page: Page) -> str:
    """The dashboard HTML."""
    return env.get_template("dashboard.html.j2").render(page=page)
