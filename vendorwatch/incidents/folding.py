"""From triaged items to incidents: fold reports into one incident per vendor, decide alerts, open tasks."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from registry.models import Assessment, Incident, Item, Source, Vendor
from registry.repo import folding as repo
from registry.repo import sources as source_rows
from registry.repo import vendors as vendor_rows
from registry.repo.vendors import VendorFootprint
from registry.vocab import RECORDED_KINDS, IncidentKind, IncidentStatus, Trust
from vendorwatch import assessments
from vendorwatch.har.artifacts import open_artifact_tasks
from vendorwatch.incidents import alerts, coalesce
from vendorwatch.incidents.candidates import IncidentBatch
from vendorwatch.runbooks import open_tasks
from vendorwatch.runbooks.templates import Runbooks, load_runbooks
from vendorwatch.settings import Settings
from vendorwatch.triage import (
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
    vendors = vendor_rows.by_id(session)
    terms = [VendorTerms(vid, v.name, tuple(v.aliases), tuple(v.domains), v.criticality) for vid, v in vendors.items()]
    sources = source_rows.all_by_id(session)
    runbooks = load_runbooks(settings.runbooks_dir)
    index = VendorIndex.build(terms)
    footprint = vendor_rows.footprints(session)
    return TriageContext(settings, channels, index, vendors, footprint, sources, cutoff, runbooks)


@dataclass
class _Triaging:
    """One item being triaged: the transaction, the poll's context, the batch's incidents, the item, its verdict."""

    session: Session
    ctx: TriageContext
    batch: IncidentBatch
    item: Item
    text: ItemText
    verdict: Triage
    now: datetime
    stats: TriageStats

    @property
    def when(self) -> datetime:
        """The report's own date."""
        return self.item.published or self.item.first_seen


def triage_items(session: Session, ctx: TriageContext, items: Sequence[Item], now: datetime) -> TriageStats:
    """Classify these items and act on each in turn, all in the caller's transaction (under the triage lock).

    A vendor's candidate incidents are read once for the batch and kept current as its items open and fold
    incidents; the items' and incidents' changes are written with the transaction's flush.
    """
    batch = IncidentBatch(session, items)
    stats = TriageStats()
    for item in items:
        _triage_one(session, ctx, batch, item, now, stats)
    return stats


def _triage_one(
    session: Session, ctx: TriageContext, batch: IncidentBatch, item: Item, now: datetime, stats: TriageStats
) -> None:
    stats.items += 1
    item.triaged_at = now
    if (item.published or item.first_seen) < ctx.cutoff:
        # Marked (and kept triaged so normal polls skip it) so that `poll --since` can pick it up later.
        item.kind, item.evidence = SKIPPED_LOOKBACK, ["older than the look-back window: recorded, not triaged"]
        return
    text = _item_text(item, ctx)
    verdict = classify(text, ctx.index)
    item.kind, item.confidence, item.evidence = verdict.kind, verdict.confidence, list(verdict.evidence)
    item.subjects = [{"vendor_id": s.vendor_id, "role": s.role} for s in verdict.subjects]
    t = _Triaging(session, ctx, batch, item, text, verdict, now, stats)
    if verdict.kind not in RECORDED_KINDS:
        _attach_if_follow_up(t)
        return
    for subject in verdict.subjects:
        if subject.role == "subject":
            _fold_or_open(t, subject)
        elif subject.continues_story:  # an owner, notifier or lure brand named in passing is not its story
            _attach_downstream(t, subject.vendor_id)


def _item_text(item: Item, ctx: TriageContext) -> ItemText:
    source = ctx.sources.get(item.source_id)
    trust = source.trust if source else Trust.news
    return ItemText(
        item.title, item.summary, item.url, item.source_id, source.vendor if source else None, trust, item.published
    )


def _fold_or_open(t: _Triaging, subject: Subject) -> None:
    vid, verdict = subject.vendor_id, t.verdict
    chosen = choose_incident(verdict, vid, t.text, t.batch.candidates(vid, t.when))
    if chosen is not None:
        _fold_into(t, t.session.get_one(Incident, chosen), subject)
        return
    incident = repo.open_incident(
        t.session,
        Incident(
            vendor_id=vid,
            kind=verdict.kind,
            title=t.item.title,
            opened_at=t.now,
            disclosed_at=t.when,
            last_activity_at=t.when,
            confidence=verdict.confidence,
            evidence=list(verdict.evidence),
            signature=sorted(signature_of(t.text, verdict)),
            referenced_vendor_ids=sorted(verdict.referenced_ids()),
        ),
    )
    t.batch.opened(incident)
    t.stats.incidents_opened += 1
    _reference(t, incident, "first report")
    _score(t.ctx, incident)
    _audit(t, "incident.opened", incident, {"kind": incident.kind, "title": incident.title})
    _maybe_alert(t, incident, subject)


def _fold_into(t: _Triaging, incident: Incident, subject: Subject) -> None:
    """Add a report to an incident; an edited report already on its timeline still re-scores and may alert."""
    verdict, when = t.verdict, t.when
    added = _reference(t, incident, "follow-up")
    t.stats.references_added += int(added)
    incident.last_activity_at = max(incident.last_activity_at, when)
    incident.disclosed_at = min(incident.disclosed_at or when, when)
    incident.signature = sorted(set(incident.signature) | signature_of(t.text, verdict))
    incident.referenced_vendor_ids = sorted(set(incident.referenced_vendor_ids) | set(verdict.referenced_ids()))
    incident.evidence = list(dict.fromkeys([*incident.evidence, *verdict.evidence]))[-60:]
    if KIND_RANK[verdict.kind] > KIND_RANK[incident.kind]:
        incident.kind = verdict.kind
    incident.confidence = max(incident.confidence, verdict.confidence)
    _score(t.ctx, incident)
    if not incident.alerted:
        _maybe_alert(t, incident, subject)
    elif added:
        _follow_up(t.session, t.ctx, incident, t.item, t.now)
    else:  # the report was edited: refresh the root with the new kind and severity (once per edit)
        update = alerts.incident_alert(t.session, t.ctx.settings, incident, "update")
        key = f"incident:{incident.id}:update:item:{t.item.id}:{t.item.content_hash[:16]}"
        alerts.enqueue(t.session, update, t.ctx.channels, key, now=t.now)


def _attach_downstream(t: _Triaging, vendor_id: int) -> None:
    """An item about another victim that names a vendor's incident joins that incident's timeline."""
    candidates = t.batch.candidates(vendor_id, t.when)
    chosen = choose_incident(t.verdict, vendor_id, t.text, candidates) if candidates else None
    if chosen is not None:
        _join_timeline(t, t.session.get_one(Incident, chosen), "downstream")


def _attach_if_follow_up(t: _Triaging) -> None:
    """A non-incident item that refers back to an open incident joins its timeline, without alerting."""
    publisher = t.ctx.index.vendor_id_for_name(t.text.publisher_vendor) if t.text.publisher_vendor else None
    for vid in {*t.verdict.subject_ids(), *([publisher] if publisher else [])}:
        chosen = follow_up_incident(t.text, t.verdict, t.batch.candidates(vid, t.when), publisher)
        if chosen is not None:
            _join_timeline(t, t.session.get_one(Incident, chosen), "follow-up")


def _join_timeline(t: _Triaging, incident: Incident, role: str) -> None:
    """Add the item to the incident's timeline (never alerting anew); thread it if the incident alerted."""
    if _reference(t, incident, role):
        t.stats.references_added += 1
        incident.last_activity_at = max(incident.last_activity_at, t.when)
        if incident.alerted:
            _follow_up(t.session, t.ctx, incident, t.item, t.now)


def _reference(t: _Triaging, incident: Incident, role: str) -> bool:
    """Put the item on the incident's timeline unless it is there already; True if added."""
    incident_id, item_id = incident.id or 0, t.item.id or 0
    if t.batch.on_timeline(incident_id, item_id):
        return False
    t.batch.add_to_timeline(incident_id, item_id, role, t.now)
    return True


def _score(ctx: TriageContext, incident: Incident) -> None:
    vendor = ctx.vendors[incident.vendor_id]
    fp = ctx.footprint.get(incident.vendor_id, VendorFootprint())
    sev = severity(incident.kind, incident.confidence, vendor.criticality, fp.dependencies, fp.users, fp.credentials)
    incident.severity, incident.severity_score = sev.level, sev.score
    incident.severity_parts = [[name, value] for name, value in sev.parts]


def _maybe_alert(t: _Triaging, incident: Incident, subject: Subject) -> None:
    ok, reason = should_alert(t.verdict, subject)
    incident.alert_reason = reason
    if not ok:
        return
    session, now = t.session, t.now
    incident.alerted, incident.alerted_at = True, now
    t.stats.alerts.append(incident.id or 0)
    open_tasks(session, incident, now=now, runbooks=t.ctx.runbooks)
    open_artifact_tasks(session, incident, now=now)
    assessments.baseline(session, incident, now=now)
    alert = alerts.incident_alert(session, t.ctx.settings, incident, "root")
    alerts.enqueue(session, alert, t.ctx.channels, f"incident:{incident.id}:root", now=now)
    _audit(t, "incident.alerted", incident, {"severity": incident.severity, "reason": reason})


def _follow_up(session: Session, ctx: TriageContext, incident: Incident, item: Item, now: datetime) -> None:
    """Thread the new report (coalesced unless something to act on changed), reassess, refresh the root."""
    vendor = ctx.vendors[incident.vendor_id]
    channel = alerts.route(ctx.settings, vendor, incident.severity)
    key = f"incident:{incident.id}"
    new = assessments.reassess(session, incident, item, now=now)
    if incident.status == IncidentStatus.dismissed:
        _follow_up_dismissed(session, ctx, incident, vendor, new, channel, now)
        return
    update = alerts.incident_alert(session, ctx.settings, incident, "update")
    urgent = new is not None or any(coalesce.urgent_changes(session, incident.id or 0, c, update) for c in ctx.channels)
    coalesce.report_reply(session, ctx.settings, incident, item, ctx.channels, urgent=urgent, now=now)
    if new is not None:
        text = assessments.summary_text(new, _previous(session, new))
        note = alerts.reply_alert(incident, vendor, f"Assessment {new.seq}", text, None, channel)
        alerts.enqueue(session, note, ctx.channels, f"{key}:assessment:{new.seq}", now=now)
    alerts.enqueue(session, update, ctx.channels, f"{key}:update:item:{item.id}", now=now)


def _follow_up_dismissed(
    session: Session,
    ctx: TriageContext,
    incident: Incident,
    vendor: Vendor,
    new: Assessment | None,
    channel: str,
    now: datetime,
) -> None:
    """A dismissed incident keeps its timeline quietly: retellings post nothing; only a report that fires an
    assessment trigger is threaded, saying how to reopen the incident if it changes the decision."""
    if new is None:
        return
    reopen = (
        f"This incident was dismissed: `vendorwatch incidents reopen {incident.id} --by NAME` if this changes that."
    )
    text = f"{assessments.summary_text(new, _previous(session, new))}\n{reopen}"
    note = alerts.reply_alert(incident, vendor, f"Assessment {new.seq}", text, None, channel)
    alerts.enqueue(session, note, ctx.channels, f"incident:{incident.id}:assessment:{new.seq}", now=now)


def _previous(session: Session, new: Assessment) -> Assessment | None:
    """The assessment `new` follows (read only when a follow-up made a new one)."""
    earlier = [a for a in assessments.history(session, new.incident_id) if a.seq < new.seq]
    return earlier[-1] if earlier else None


def _audit(t: _Triaging, action: str, incident: Incident, after: dict[str, object]) -> None:
    repo.audit_incident(t.session, t.now, action, incident.id or 0, after)
