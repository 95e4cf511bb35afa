"""Severity parts and the alert policy."""

from __future__ import annotations

from vendorwatch.triage import Subject, Triage, severity, should_alert


def test_severity_shows_its_parts_and_scales_with_dependence() -> None:
    big = severity("breach", 0.9, "critical", dependency_count=3, users=5000, credential_count=4)
    small = severity("breach", 0.9, "low", dependency_count=0, users=0, credential_count=0)
    assert [name for name, _ in big.parts] == [
        "kind x confidence",
        "criticality",
        "dependencies",
        "users",
        "credentials",
    ]
    assert big.score == round(sum(p for _, p in big.parts), 1)
    assert big.level == "critical" and small.score < big.score


def test_not_an_incident_is_info() -> None:
    assert severity("not-incident", 0.9, "critical", 5, 100, 5).level == "info"


def _triage(kind: str, conf: float) -> Triage:
    return Triage(kind, None, (Subject(1, "subject"), Subject(2, "referenced")), conf, "news", ())  # type: ignore[arg-type]


def test_alerts_only_for_compromise_of_the_subject() -> None:
    t = _triage("credential-exposure", 0.8)
    assert should_alert(t, t.subjects[0])[0]
    assert should_alert(t, t.subjects[1]) == (False, "vendor is only referenced, not the compromised one")
    for kind in ("vuln-advisory", "outage", "not-incident"):
        assert not should_alert(_triage(kind, 0.9), Subject(1, "subject"))[0]
    assert not should_alert(_triage("breach", 0.3), Subject(1, "subject"))[0]
