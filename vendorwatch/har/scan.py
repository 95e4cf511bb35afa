"""Find replayable auth material in a HAR file, streaming: findings carry kind, location, fingerprint."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from vendorwatch.har.model import UNREAD_KINDS, Finding, ScanSummary, fingerprint, summarize
from vendorwatch.har.stream import read_har
from vendorwatch.har.walk import walk_item

logger = logging.getLogger(__name__)


def scan_har(path: Path, key: bytes, *, keep_binary: bool = False) -> Iterator[Finding]:
    """Yield one Finding per secret occurrence in the HAR at `path`; raises HarError on bad input.

    Content that cannot be read as text is a finding too (`binary-body`, ...) unless `keep_binary`.
    """
    items = 0
    for token in read_har(path):
        if token.op != "item":
            continue
        items += 1
        for leaf in walk_item([token.value], token.text, keep_binary=keep_binary):
            for hit in leaf.hits:
                yield Finding(hit.kind, leaf.location(hit), fingerprint(key, hit.secret))
    logger.debug("scanned %s: %d items", path, items)


def scan_summary(path: Path, key: bytes) -> ScanSummary:
    """Scan the HAR and return only the counts (total, distinct secrets, per kind)."""
    return summarize(scan_har(path, key))


def fingerprints_of(path: Path, key: bytes) -> set[tuple[str, str]]:
    """Distinct (kind, fingerprint) pairs in the HAR, for the ledger of artifacts shared with vendors.

    Unreadable content (binary bodies) is no token, so it is left out of the ledger.
    """
    return {(f.kind, f.fingerprint) for f in scan_har(path, key) if f.kind not in UNREAD_KINDS}
