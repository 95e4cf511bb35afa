"""Triage: match vendors, classify items, fold reports into incidents, score severity, decide alerts.

Pure logic with no database; the pipeline stores items and incidents and calls these functions.
"""

from vendorwatch.triage.classify import classify
from vendorwatch.triage.cluster import choose_incident, signature_of
from vendorwatch.triage.followup import follow_up_incident, is_follow_up, refers_back
from vendorwatch.triage.matching import VendorIndex
from vendorwatch.triage.model import (
    IncidentSnapshot,
    ItemText,
    Mention,
    NotIncidentReason,
    Severity,
    Subject,
    Triage,
    VendorTerms,
)
from vendorwatch.triage.policy import should_alert
from vendorwatch.triage.severity import severity

__all__ = [
    "IncidentSnapshot",
    "ItemText",
    "Mention",
    "NotIncidentReason",
    "Severity",
    "Subject",
    "Triage",
    "VendorIndex",
    "VendorTerms",
    "choose_incident",
    "classify",
    "follow_up_incident",
    "is_follow_up",
    "refers_back",
    "severity",
    "should_alert",
    "signature_of",
]
