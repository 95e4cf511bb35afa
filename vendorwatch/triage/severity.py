"""Severity from the kind, confidence, the vendor's criticality and how much depends on it."""

from __future__ import annotations

import math

from vendorwatch.triage.model import Kind, Level, Severity

_KIND_POINTS: dict[Kind, float] = {
    "breach": 40.0,
    "credential-exposure": 40.0,
    "exploited-vuln": 36.0,
    "vuln-advisory": 18.0,
    "outage": 12.0,
    "not-incident": 0.0,
}
_CRITICALITY_POINTS = {"critical": 30.0, "high": 22.0, "medium": 14.0, "low": 6.0}
_LEVELS: tuple[tuple[float, Level], ...] = ((75, "critical"), (55, "high"), (35, "medium"), (15, "low"))


def severity(
    kind: Kind, confidence: float, criticality: str, dependency_count: int, users: int, credential_count: int
) -> Severity:
    """Score 0-100 with its parts: kind x confidence, criticality, dependencies, users and credentials."""
    parts = (
        ("kind x confidence", round(_KIND_POINTS[kind] * max(0.0, min(1.0, confidence)), 1)),
        ("criticality", _CRITICALITY_POINTS.get(criticality.lower(), 14.0)),
        ("dependencies", min(12.0, 4.0 * max(0, dependency_count))),
        ("users", round(min(8.0, 2.0 * math.log10(max(0, users) + 1)), 1)),
        ("credentials", min(10.0, 2.5 * max(0, credential_count))),
    )
    score = 0.0 if kind == "not-incident" else round(min(100.0, sum(p for _, p in parts)), 1)
    level: Level = next((lvl for floor, lvl in _LEVELS if score >= floor), "info")
    return Severity(level, score, parts)
