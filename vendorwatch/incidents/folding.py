"""From triaged items to incidents: fold reports into one incident per vendor, decide alerts, open tasks."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_, select
from sqlmodel import Session, col

from registry.models import AuditEvent, Incident, IncidentReference, Item, Source, Vendor
from registry.queries import VendorFootprint, footprints
from registry.vocab import RECORDED_KINDS, IncidentKind, Trust
from vendorwatch import assessments
from vendorwatch.har.artifacts import open_artifact_tasks
from vendorwatch.incidents import alerts, coalesce
from vendorwatch.runbooks import open_tasks
from vendorwatch.runbooks.templates import Runbooks, load_runbooks
from vendorwatch.settings import Settings
from vendorwatch.triage import (
    IncidentSnapshot,
    ItemText,
    Subject,
    Triage,
    VendorIndex,
    VendorTerms,
    choose_incident,
    classify,
    follow_up_incident,
    severity,
    should_alert,
    signature_of,
)

logger = logging.getLogger(__name__)
CANDIDATE_WINDOW = timedelta(days=365)
# Item.kind of an item skipped as older than the look-back: a later `poll --since` can still triage it.
SKIPPED_LOOKBACK = "skipped-lookback"
KIND_RANK: dict[IncidentKind, int] = {
    IncidentKind.not_incident: 0,
    IncidentKind.outage: 1,
    IncidentKind.vuln_advisory: 2,
    IncidentKind.exploited_vuln: 3,
    IncidentKind.credential_exposure: 4,
    IncidentKind.breach: 5,
}


@dataclass
class TriageContext:
    """What triage needs for one cycle, loaded once."""

    settings: Settings
    channels: list[str]
    index: VendorIndex
    vendors: dict[int, Vendor]
    footprint: dict[int, VendorFootprint]
    sources: dict[str, Source]
    cutoff: datetime
    runbooks: Runbooks | None = None


@dataclass
class TriageStats:
    """What one triage pass did."""

    items: int = 0
    incidents_opened: int = 0
    references_added: int = 0
    alerts: list[int] = field(default_factory=list)


def load_context(session: Session, settings: Settings, channels: list[str], cutoff: datetime) -> TriageContext:
    """Build the vendor index and registry statistics for a triage pass."""
    vendors = {v.id or 0: v for v in session.execute(select(Vendor)).scalars()}
    terms = [VendorTerms(vid, v.name, tuple(v.aliases), tuple(v.domains), v.criticality) for vid, v in vendors.items()]
    sources = {s.id: s for s in session.execute(select(Source)).scalars()}
    runbooks = load_runbooks(settings.runbooks_dir)
    index = VendorIndex.build(terms)
    return TriageContext(settings, channels, index, vendors, footprints(session), sources, cutoff, runbooks)


def pending_items(session: Session, *, since: datetime | None = None) -> list[int]:
    """Ids of items to triage, oldest report first (so the first report opens the incident).

    Untriaged items always; with `since`, also items skipped by the look-back that were published since then.
    """
    pending: ColumnElement[bool] = col(Item.triaged_at).is_(None)
    if since is not None:
        pending = or_(pending, col(Item.kind) == SKIPPED_LOOKBACK)
    rows = [
        i
        for i in session.execute(select(Item).where(pending)).scalars()
        if i.triaged_at is None or since is None or (i.published or i.first_seen) >= since
    ]
    ordered = sorted(rows, key=lambda i: (i.published or i.first_seen, i.id or 0))
    return [i.id or 0 for i in ordered]


def triage_item(session: Session, ctx: TriageContext, item_id: int, now: datetime) -> TriageStats:
    """Classify one item and act on it, all in the caller's transaction."""
    stats = TriageStats(items=1)
    item = session.get_one(Item, item_id)
    item.triaged_at = now
    if (item.published or item.first_seen) < ctx.cutoff:
        # Marked (and kept triaged so normal polls skip it) so that `poll --since` can pick it up later.
        item.kind, item.evidence = SKIPPED_LOOKBACK, ["older than the look-back window: recorded, not triaged"]
        return stats
    text = _item_text(item, ctx)
    verdict = classify(text, ctx.index)
    item.kind, item.confidence, item.evidence = verdict.kind, verdict.confidence, list(verdict.evidence)
    item.subjects = [{"vendor_id": s.vendor_id, "role": s.role} for s in verdict.subjects]
    if verdict.kind not in RECORDED_KINDS:
        _attach_if_follow_up(session, ctx, item, text, verdict, now, stats)
        return stats
    for subject in verdict.subjects:
        if subject.role == "subject":
            _fold_or_open(session, ctx, item, text, verdict, subject, now, stats)
        elif subject.continues_story:  # an owner, notifier or lure brand named in passing is not its story
            _attach_downstream(session, ctx, item, text, verdict, subject.vendor_id, now, stats)
    return stats


def _item_text(item: Item, ctx: TriageContext) -> ItemText:
    source = ctx.sources.get(item.source_id)
    trust = source.trust if source else Trust.news
    return ItemText(
        item.title, item.summary, item.url, item.source_id, source.vendor if source else None, trust, item.published
    )


def _candidates(session: Session, vendor_id: int, when: datetime) -> list[IncidentSnapshot]:
    """The vendor's incidents active within a year of `when`, the item's own date (not the clock's).

    Measured from the report's date so that a back-filled feed (`poll --since` years back) folds its
    follow-ups like a live one.
    """
    rows = session.execute(
        select(Incident).where(
            col(Incident.vendor_id) == vendor_id, col(Incident.last_activity_at) >= when - CANDIDATE_WINDOW
        )
    ).scalars()
    return [
        IncidentSnapshot(
            i.id or 0,
            i.vendor_id,
            i.kind,
            i.disclosed_at or i.opened_at,
            i.last_activity_at,
            frozenset(i.signature),
            frozenset(i.referenced_vendor_ids),
        )
        for i in rows
    ]


def _fold_or_open(session: Session, ctx: TriageContext, item: Item, text: ItemText, verdict: Triage,
                  subject: Subject, now: datetime, stats: TriageStats) -> None:  # fmt: skip
    vid = subject.vendor_id
    chosen = choose_incident(verdict, vid, text, _candidates(session, vid, item.published or item.first_seen))
    when = item.published or item.first_seen
    if chosen is None:
        incident = Incident(
            vendor_id=vid,
            kind=verdict.kind,
            title=item.title,
            opened_at=now,
            disclosed_at=when,
            last_activity_at=when,
            confidence=verdict.confidence,
            evidence=list(verdict.evidence),
            signature=sorted(signature_of(text, verdict)),
            referenced_vendor_ids=sorted(verdict.referenced_ids()),
        )
        session.add(incident)
        session.flush()
        stats.incidents_opened += 1
        _reference(session, incident, item, "first report", now)
        _score(ctx, incident)
        _audit(session, now, "incident.opened", incident, {"kind": incident.kind, "title": incident.title})
        _maybe_alert(session, ctx, incident, verdict, subject, now, stats)
        return
    _fold_into(session, ctx, session.get_one(Incident, chosen), item, text, verdict, subject, now, stats)


def _fold_into(session: Session, ctx: TriageContext, incident: Incident, item: Item, text: ItemText, verdict: Triage,
               subject: Subject, now: datetime, stats: TriageStats) -> None:  # fmt: skip
    """Add a report to an incident; an edited report already on its timeline still re-scores and may alert."""
    when = item.published or item.first_seen
    added = _reference(session, incident, item, "follow-up", now)
    stats.references_added += int(added)
    incident.last_activity_at = max(incident.last_activity_at, when)
    incident.disclosed_at = min(incident.disclosed_at or when, when)
    incident.signature = sorted(set(incident.signature) | signature_of(text, verdict))
    incident.referenced_vendor_ids = sorted(set(incident.referenced_vendor_ids) | set(verdict.referenced_ids()))
    incident.evidence = list(dict.fromkeys([*incident.evidence, *verdict.evidence]))[-60:]
    if KIND_RANK[verdict.kind] > KIND_RANK[incident.kind]:
        incident.kind = verdict.kind
    incident.confidence = max(incident.confidence, verdict.confidence)
    _score(ctx, incident)
    if not incident.alerted:
        _maybe_alert(session, ctx, incident, verdict, subject, now, stats)
    elif added:
        _follow_up(session, ctx, incident, item, now)
    else:  # the report was edited: refresh the root with the new kind and severity (once per edit)
        update = alerts.incident_alert(session, ctx.settings, incident, "update")
        key = f"incident:{incident.id}:update:item:{item.id}:{item.content_hash[:16]}"
        alerts.enqueue(session, update, ctx.channels, key, now=now)


def _attach_downstream(session: Session, ctx: TriageContext, item: Item, text: ItemText, verdict: Triage,
                       vendor_id: int, now: datetime, stats: TriageStats) -> None:  # fmt: skip
    """An item about another victim that names a vendor's incident joins that incident's timeline."""
    candidates = _candidates(session, vendor_id, item.published or item.first_seen)
    chosen = choose_incident(verdict, vendor_id, text, candidates) if candidates else None
    if chosen is None:
        return
    _join_timeline(session, ctx, session.get_one(Incident, chosen), item, "downstream", now, stats)


def _attach_if_follow_up(session: Session, ctx: TriageContext, item: Item, text: ItemText, verdict: Triage,
                         now: datetime, stats: TriageStats) -> None:  # fmt: skip
    """A non-incident item that refers back to an open incident joins its timeline, without alerting."""
    publisher = ctx.index.vendor_id_for_name(text.publisher_vendor) if text.publisher_vendor else None
    when = item.published or item.first_seen
    for vid in {*verdict.subject_ids(), *([publisher] if publisher else [])}:
        chosen = follow_up_incident(text, verdict, _candidates(session, vid, when), publisher)
        if chosen is None:
            continue
        _join_timeline(session, ctx, session.get_one(Incident, chosen), item, "follow-up", now, stats)


def _join_timeline(session: Session, ctx: TriageContext, incident: Incident, item: Item, role: str,
                   now: datetime, stats: TriageStats) -> None:  # fmt: skip
    """Add the item to the incident's timeline (never alerting anew); thread it if the incident alerted."""
    if _reference(session, incident, item, role, now):
        stats.references_added += 1
        incident.last_activity_at = max(incident.last_activity_at, item.published or item.first_seen)
        if incident.alerted:
            _follow_up(session, ctx, incident, item, now)


def _reference(session: Session, incident: Incident, item: Item, role: str, now: datetime) -> bool:
    exists = session.execute(
        select(IncidentReference).where(
            col(IncidentReference.incident_id) == incident.id, col(IncidentReference.item_id) == item.id
        )
    ).first()
    if exists:
        return False
    session.add(IncidentReference(incident_id=incident.id or 0, item_id=item.id or 0, role=role, added_at=now))
    session.flush()
    return True


def _score(ctx: TriageContext, incident: Incident) -> None:
    vendor = ctx.vendors[incident.vendor_id]
    fp = ctx.footprint.get(incident.vendor_id, VendorFootprint())
    sev = severity(incident.kind, incident.confidence, vendor.criticality, fp.dependencies, fp.users, fp.credentials)
    incident.severity, incident.severity_score = sev.level, sev.score
    incident.severity_parts = [[name, value] for name, value in sev.parts]


def _maybe_alert(session: Session, ctx: TriageContext, incident: Incident, verdict: Triage, subject: Subject,
                 now: datetime, stats: TriageStats) -> None:  # fmt: skip
    ok, reason = should_alert(verdict, subject)
    incident.alert_reason = reason
    if not ok:
        return
    incident.alerted, incident.alerted_at = True, now
    stats.alerts.append(incident.id or 0)
    open_tasks(session, incident, now=now, runbooks=ctx.runbooks)
    open_artifact_tasks(session, incident, now=now)
    assessments.baseline(session, incident, now=now)
    alert = alerts.incident_alert(session, ctx.settings, incident, "root")
    alerts.enqueue(session, alert, ctx.channels, f"incident:{incident.id}:root", now=now)
    _audit(session, now, "incident.alerted", incident, {"severity": incident.severity, "reason": reason})


def _follow_up(session: Session, ctx: TriageContext, incident: Incident, item: Item, now: datetime) -> None:
    """Thread the new report (coalesced unless something to act on changed), reassess, refresh the root."""
    vendor = ctx.vendors[incident.vendor_id]
    channel = alerts.route(ctx.settings, vendor, incident.severity)
    key = f"incident:{incident.id}"
    previous = assessments.latest(session, incident.id or 0)
    new = assessments.reassess(session, incident, item, now=now)
    update = alerts.incident_alert(session, ctx.settings, incident, "update")
    urgent = new is not None or any(coalesce.urgent_changes(session, incident.id or 0, c, update) for c in ctx.channels)
    coalesce.report_reply(session, ctx.settings, incident, item, ctx.channels, urgent=urgent, now=now)
    if new is not None:
        text = assessments.summary_text(new, previous)
        note = alerts.reply_alert(incident, vendor, f"Assessment {new.seq}", text, None, channel)
        alerts.enqueue(session, note, ctx.channels, f"{key}:assessment:{new.seq}", now=now)
    alerts.enqueue(session, update, ctx.channels, f"{key}:update:item:{item.id}", now=now)


def _audit(session: Session, now: datetime, action: str, incident: Incident, after: dict[str, object]) -> None:
    session.add(
        AuditEvent(
            at=now, actor="vendorwatch", action=action, entity="incident", entity_id=str(incident.id), after=after
        )
    )
