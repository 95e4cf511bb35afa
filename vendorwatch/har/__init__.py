"""HAR support artifacts: find replayable auth material, sanitise it, fingerprint it for the ledger."""

from vendorwatch.har.model import (
    Finding,
    HarError,
    SanitizeReport,
    ScanSummary,
    UnsafeOutputError,
    fingerprint,
    summarize,
)
from vendorwatch.har.sanitize import sanitize_har
from vendorwatch.har.scan import fingerprints_of, scan_har, scan_summary

__all__ = [
    "Finding",
    "HarError",
    "SanitizeReport",
    "ScanSummary",
    "UnsafeOutputError",
    "fingerprint",
    "fingerprints_of",
    "sanitize_har",
    "scan_har",
    "scan_summary",
    "summarize",
]
