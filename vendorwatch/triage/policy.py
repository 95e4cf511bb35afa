"""Alert policy: which triaged items alert a vendor's owners and which are only recorded."""

from __future__ import annotations

from registry.vocab import ACTIONABLE_KINDS
from vendorwatch.triage.model import Subject, Triage
from vendorwatch.wording import percent

# Below this an item is recorded and can still be promoted by a later, clearer report of the same incident.
ALERT_MIN_CONFIDENCE = 0.5


def should_alert(triage: Triage, subject: Subject) -> tuple[bool, str]:
    """Alert for a breach, credential exposure or exploited vulnerability of a subject vendor."""
    if subject.role != "subject":
        return False, "vendor is only referenced, not the compromised one"
    if triage.kind not in ACTIONABLE_KINDS:
        return False, f"{triage.kind} is recorded, not alerted"
    if triage.confidence < ALERT_MIN_CONFIDENCE:
        return False, f"classification confidence {percent(triage.confidence)} below {percent(ALERT_MIN_CONFIDENCE)}"
    # Named as the assessment's factor is: the incident's own Confidence (alerts, `incidents show`) may differ.
    return True, f"{triage.kind} of the vendor, classification confidence {percent(triage.confidence)}"
