"""Severity from the kind, confidence, the vendor's criticality and how much depends on it."""

from __future__ import annotations

import math

from registry.vocab import Criticality, IncidentKind, SeverityLevel
from vendorwatch.triage.model import Severity

# Complete for every word of the vocabulary (tests/packaging/test_vocabulary.py checks it).
KIND_POINTS: dict[IncidentKind, float] = {
    IncidentKind.breach: 40.0,
    IncidentKind.credential_exposure: 40.0,
    IncidentKind.exploited_vuln: 36.0,
    IncidentKind.vuln_advisory: 18.0,
    IncidentKind.outage: 12.0,
    IncidentKind.not_incident: 0.0,
}
CRITICALITY_POINTS: dict[Criticality, float] = {
    Criticality.critical: 30.0,
    Criticality.high: 22.0,
    Criticality.medium: 14.0,
    Criticality.low: 6.0,
}
_LEVELS: tuple[tuple[float, SeverityLevel], ...] = (
    (75, SeverityLevel.critical),
    (55, SeverityLevel.high),
    (35, SeverityLevel.medium),
    (15, SeverityLevel.low),
)


def severity(
    kind: IncidentKind,
    confidence: float,
    criticality: Criticality,
    dependency_count: int,
    users: int,
    credential_count: int,
) -> Severity:
    """Score 0-100 with its parts: kind x confidence, criticality, dependencies, users and credentials."""
    parts = (
        ("kind x confidence", round(KIND_POINTS[kind] * max(0.0, min(1.0, confidence)), 1)),
        ("criticality", CRITICALITY_POINTS[criticality]),
        ("dependencies", min(12.0, 4.0 * max(0, dependency_count))),
        ("users", round(min(8.0, 2.0 * math.log10(max(0, users) + 1)), 1)),
        ("credentials", min(10.0, 2.5 * max(0, credential_count))),
    )
    score = 0.0 if kind == IncidentKind.not_incident else round(min(100.0, sum(p for _, p in parts)), 1)
    level = next((lvl for floor, lvl in _LEVELS if score >= floor), SeverityLevel.info)
    return Severity(level, score, parts)
