"""Create and read an incident's assessments: the baseline when alerted, the next one per material follow-up."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import Session

from registry.models import Assessment, Incident, Item
from registry.repo.assessments import history
from vendorwatch.assessments import scoring, texts
from vendorwatch.assessments.facts import IncidentFacts, item_fact, load_facts
from vendorwatch.assessments.triggers import Fired, detect, detect_watched

logger = logging.getLogger(__name__)


def scores_of(assessment: Assessment) -> dict[str, int]:
    """The three scores of an assessment."""
    return {"confidence": assessment.confidence, "impact": assessment.impact, "likelihood": assessment.likelihood}


def _signals(assessments: list[Assessment]) -> list[Fired]:
    return [Fired(str(f["trigger"]), int(f["item_id"]), str(f["evidence"])) for a in assessments for f in a.fired]


def _build(facts: IncidentFacts, signals: list[Fired], seq: int, now: datetime) -> Assessment:
    scores = scoring.score(facts, signals)
    return Assessment(
        incident_id=facts.incident_id,
        seq=seq,
        created_at=now,
        confidence=scores.confidence,
        impact=scores.impact,
        likelihood=scores.likelihood,
        horizon_days=scoring.horizon_days(scores, signals),
        factors=scores.factors,
        key_judgments=texts.key_judgments(facts, scores, signals),
        indicators=texts.indicators(facts, signals),
        assumptions=texts.assumptions(facts),
        change_triggers=texts.change_triggers(facts, signals),
        references=texts.references(facts),
    )


def baseline(session: Session, incident: Incident, *, now: datetime) -> Assessment:
    """Seq 0, from the incident's items and the registry; returns the existing one if already made."""
    existing = history(session, incident.id or 0)
    if existing:
        return existing[0]
    assessment = _build(load_facts(session, incident), [], 0, now)
    session.add(assessment)
    session.flush()
    logger.info("incident %s: baseline assessment %s", incident.id, scores_of(assessment))
    return assessment


def _fired_by(
    session: Session, incident: Incident, facts: IncidentFacts, item: Item, current: Assessment
) -> list[Fired]:
    fact = next((i for i in facts.items if i.item_id == item.id), None) or item_fact(session, item, "follow-up")
    names = (facts.registry.vendor, *facts.registry.aliases)
    other = any(s.get("role") == "subject" and s.get("vendor_id") != incident.vendor_id for s in item.subjects)
    fired = detect(fact, names, other_subject=other)
    watched = {str(s.get("trigger")) for s in [*current.indicators, *current.change_triggers]}
    seen_trust = {i.trust for i in facts.items if i.item_id != item.id}
    return fired + detect_watched(fact, watched, seen_trust)


REPEATABLE = frozenset({"scope-expansion", "downstream-victim"})


def reassess(session: Session, incident: Incident, new_item: Item, *, now: datetime) -> Assessment | None:
    """The next assessment if the just-attached item is material (a trigger fired), else None."""
    earlier = history(session, incident.id or 0)
    if not earlier or any(r.get("item_id") == new_item.id for r in earlier[-1].references):
        return None  # no baseline yet (not alerted), or this item was already assessed
    current = earlier[-1]
    facts = load_facts(session, incident, upto_item=new_item.id)
    fired = _fired_by(session, incident, facts, new_item, current)
    # A second report of the same root cause or the same confirmed abuse changes nothing we judge;
    # a further widening of scope or another downstream victim does.
    seen = {str(f.get("trigger")) for a in earlier for f in a.fired}
    fired = [f for f in fired if f.as_json()["trigger"] in REPEATABLE or f.as_json()["trigger"] not in seen]
    if not fired:
        return None
    assessment = _build(facts, [*_signals(earlier), *fired], current.seq + 1, now)
    assessment.fired = [f.as_json() for f in fired]
    movement = {"score": "movement", "factor": "movement", "from_seq": current.seq, "previous": scores_of(current)}
    assessment.factors = [*assessment.factors, {**movement, "new": scores_of(assessment)}]
    session.add(assessment)
    session.flush()
    logger.info("incident %s: assessment %d after item %s", incident.id, assessment.seq, new_item.id)
    return assessment
