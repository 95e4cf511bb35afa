"""Data types of the HAR scanner: findings, reports and the one error it raises."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

FINGERPRINT_HEX = 16
CHUNK = 1 << 20
PLACEHOLDER_RE = re.compile(rf"REDACTED-[a-z0-9-]+-[0-9a-f]{{{FINGERPRINT_HEX}}}")
# Content that could not be read as text: replaced whole by default (strict), never a ledger token.
BINARY_BODY, BINARY_FRAME, UNKNOWN_ENCODING = "binary-body", "binary-frame", "unknown-encoding"
UNREAD_KINDS = frozenset({BINARY_BODY, BINARY_FRAME, UNKNOWN_ENCODING})


def fingerprint(key: bytes, secret: str) -> str:
    """Stable keyed fingerprint of a secret: HMAC-SHA256(key, secret), first 16 hex digits."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for i in range(0, len(secret), CHUNK):  # in slices: a dropped 60 MB body is never encoded whole
        mac.update(secret[i : i + CHUNK].encode("utf-8", "surrogatepass"))
    return mac.hexdigest()[:FINGERPRINT_HEX]


def placeholder(kind: str, fp: str) -> str:
    """The text that replaces a secret in a sanitised HAR."""
    return f"REDACTED-{kind}-{fp}"


@dataclass(frozen=True)
class Finding:
    """One piece of replayable auth material; holds no part of the secret itself."""

    kind: str
    location: str
    fingerprint: str


@dataclass(frozen=True)
class ScanSummary:
    """Counts over a scan: total findings, distinct secrets, findings per kind (sorted)."""

    total: int
    distinct: int
    by_kind: tuple[tuple[str, int], ...]


def summarize(findings: Iterable[Finding]) -> ScanSummary:
    """Summarise findings by kind and distinct fingerprint."""
    kinds: Counter[str] = Counter()
    fps: set[str] = set()
    for f in findings:
        kinds[f.kind] += 1
        fps.add(f.fingerprint)
    return ScanSummary(sum(kinds.values()), len(fps), tuple(sorted(kinds.items())))


@dataclass(frozen=True)
class SanitizeReport:
    """What sanitize_har did: items written, secrets replaced (occurrences and distinct)."""

    src: Path
    dst: Path
    entries: int
    replaced: int
    distinct: int
    by_kind: tuple[tuple[str, int], ...]
    verified: bool = False  # the output was rescanned with the full detector and held nothing


class UnsafeOutputError(Exception):
    """The sanitised output still held findings on rescan; it was removed. Holds counts, never content."""

    def __init__(self, dst: Path, by_kind: tuple[tuple[str, int], ...]):
        self.dst = dst
        self.by_kind = by_kind
        counts = ", ".join(f"{kind} {n}" for kind, n in by_kind)
        super().__init__(f"{dst}: the sanitised output still held {counts} on rescan; it was removed")


class HarError(Exception):
    """The file is not valid JSON or not a HAR; names file, byte offset and/or JSON path, never content."""

    def __init__(self, file: Path, reason: str, *, offset: int | None = None, where: str | None = None):
        self.file = file
        self.reason = reason
        self.offset = offset
        self.where = where
        parts = [f"{file}: {reason}"]
        if offset is not None:
            parts.append(f"near byte {offset}")
        if where:
            parts.append(f"at {where}")
        super().__init__(" ".join(parts))
