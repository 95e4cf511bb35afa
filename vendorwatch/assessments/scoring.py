"""Confidence, impact and likelihood (0-100 each) as sums of named, evidenced factors.

Points are fixed tables, so the same facts always give the same scores and every point has a reason:
confidence is how sure we are the incident happened as reported; impact is how much of ours it touches;
likelihood is how likely our credentials or tenants are affected or abused before the horizon.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from registry.vocab import Criticality, IncidentKind, Trust
from vendorwatch.assessments.facts import IncidentFacts
from vendorwatch.assessments.triggers import Fired
from vendorwatch.wording import percent

# Complete for every word of each vocabulary (tests/packaging/test_vocabulary.py checks it).
TRUST_POINTS: dict[Trust, int] = {Trust.vendor: 45, Trust.government: 40, Trust.news: 25}
CRITICALITY_POINTS: dict[Criticality, int] = {
    Criticality.critical: 35,
    Criticality.high: 26,
    Criticality.medium: 16,
    Criticality.low: 8,
}
PRIVILEGE_POINTS = {"admin": 6, "write": 4, "read": 2}
KIND_LIKELIHOOD: dict[IncidentKind, int] = {
    IncidentKind.credential_exposure: 40,
    IncidentKind.breach: 30,
    IncidentKind.exploited_vuln: 35,
    IncidentKind.vuln_advisory: 15,
    IncidentKind.outage: 5,
    IncidentKind.not_incident: 10,  # never an incident's kind; the floor a kind without points had
}
# What a fired trigger adds, per score: a widened scope makes our own tenant likelier to be in it, confirmed
# abuse makes stolen material a live threat, a root cause firms up what happened, a downstream victim proves
# the stolen material works elsewhere.
SIGNAL_POINTS: dict[str, dict[str, int]] = {
    "scope-expansion": {"impact": 15, "likelihood": 15},
    "confirmed-abuse": {"confidence": 10, "likelihood": 20},
    "root-cause": {"confidence": 10},
    "downstream-victim": {"confidence": 5, "impact": 10, "likelihood": 15},
    "government-advisory": {"confidence": 10},
}


@dataclass
class Scores:
    """The three scores with the factors that set them (stored in Assessment.factors)."""

    confidence: int = 0
    impact: int = 0
    likelihood: int = 0
    factors: list[dict[str, Any]] = field(default_factory=list)

    def add(self, score: str, factor: str, points: int, evidence: list[str]) -> None:
        """Add one factor's points to one score (capped at 100)."""
        setattr(self, score, min(100, getattr(self, score) + points))
        self.factors.append({"score": score, "factor": factor, "points": points, "evidence": evidence})

    def as_dict(self) -> dict[str, int]:
        """The scores alone."""
        return {"confidence": self.confidence, "impact": self.impact, "likelihood": self.likelihood}


def _confidence(facts: IncidentFacts, scores: Scores) -> None:
    best = max(facts.items, key=lambda i: TRUST_POINTS[i.trust], default=None)
    if best is not None:
        scores.add("confidence", f"publisher trust: {best.trust}", TRUST_POINTS[best.trust], [best.ref])
    sources = facts.sources()
    extra = min(30, 10 * max(0, len(sources) - 1))
    scores.add("confidence", f"corroborating sources: {len(sources)}", extra, [f"source:{s}" for s in sources])
    top = max(facts.items, key=lambda i: i.confidence, default=None)
    if top is not None:
        points = round(25 * top.confidence)
        scores.add("confidence", f"classification confidence: {percent(top.confidence)}", points, [top.ref])


def _impact(facts: IncidentFacts, scores: Scores) -> None:
    reg = facts.registry
    crit = CRITICALITY_POINTS[reg.criticality]
    scores.add("impact", f"vendor criticality: {reg.criticality}", crit, [f"registry:{reg.vendor}.criticality"])
    share = round(min(15, 30 * reg.share))
    share_text = f"registry dependence: {reg.dependencies}/{reg.all_dependencies} dependencies"
    scores.add("impact", share_text, share, [f"registry:{reg.vendor}.dependencies"])
    users = round(min(10, 2.5 * math.log10(reg.users + 1)))
    scores.add("impact", f"users behind the vendor: {reg.users}", users, [f"registry:{reg.vendor}.users"])
    reach = PRIVILEGE_POINTS.get(reg.max_privilege, 2) if reg.dependencies else 0
    reach += round(min(8, 1.5 * math.log2(reg.trust_width + 1))) if reg.dependencies else 0
    reach_text = f"privilege {reg.max_privilege}, trust width {reg.trust_width}"
    scores.add("impact", reach_text, reach, [f"registry:{reg.vendor}.privilege_scope", "registry:trust_width"])


def _credentials(facts: IncidentFacts, scores: Scores) -> None:
    reg = facts.registry
    exposed = facts.credential_exposure()
    if exposed is None:
        return
    why = exposed.secret_evidence() or f"kind {exposed.kind}"
    points = min(15, 5 + 2 * reg.credentials)
    scores.add(
        "impact",
        f"credential exposure: {reg.credentials} registered credentials",
        points,
        [exposed.ref, why, f"registry:{reg.vendor}.credentials"],
    )
    scores.add("likelihood", "credential exposure", 15, [exposed.ref, why])
    if reg.unbound:
        scores.add("likelihood", f"unbound tokens: {reg.unbound} dependencies", 5, ["registry:token_binding=none"])


def _likelihood(facts: IncidentFacts, scores: Scores) -> None:
    base = KIND_LIKELIHOOD[facts.kind]
    scores.add("likelihood", f"incident kind: {facts.kind}", base, [f"incident:{facts.incident_id}.kind"])


def score(facts: IncidentFacts, signals: list[Fired]) -> Scores:
    """Scores from the facts plus every trigger fired so far (each trigger counts once)."""
    scores = Scores()
    _confidence(facts, scores)
    _impact(facts, scores)
    _likelihood(facts, scores)
    _credentials(facts, scores)
    counted: set[str] = set()
    for fired in signals:
        if fired.trigger in counted:
            continue
        counted.add(fired.trigger)
        for name, points in SIGNAL_POINTS.get(fired.trigger, {}).items():
            scores.add(name, f"trigger {fired.trigger}", points, [f"item:{fired.item_id}", f"rule:{fired.trigger}"])
    return scores


def horizon_days(scores: Scores, signals: list[Fired]) -> int:
    """How long the assessment should hold: short while abuse is likely, longer once a root cause is out."""
    days = 3 if scores.likelihood >= 70 else 7 if scores.likelihood >= 40 else 14
    if any(f.trigger == "root-cause" for f in signals):
        days += 7
    return days
