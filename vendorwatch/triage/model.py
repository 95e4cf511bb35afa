"""Value types shared by the triage engine (pure data, no database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from registry.vocab import Criticality, IncidentKind, SeverityLevel, Trust

NotIncidentReason = Literal[
    "product-news",
    "earnings",
    "phishing-impersonation",
    "attack-trend",
    "roundup",
    "retrospective",
    "third-party-staff-data",
    "legal-aftermath",
    "other",
]
Where = Literal["title", "summary", "url"]
How = Literal["name", "alias", "domain"]
Role = Literal["subject", "referenced"]


@dataclass(frozen=True)
class VendorTerms:
    """What the registry knows about a vendor for matching purposes."""

    id: int
    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    criticality: Criticality = Criticality.medium


@dataclass(frozen=True)
class Mention:
    """One occurrence of a vendor's name, alias or domain in an item."""

    vendor_id: int
    term: str
    where: Where
    span: tuple[int, int]
    how: How


@dataclass(frozen=True)
class ItemText:
    """The text of one feed item as triage sees it (summary already plain text)."""

    title: str
    summary: str
    url: str
    source_id: str
    publisher_vendor: str | None = None
    trust: Trust = Trust.news
    published: datetime | None = None


@dataclass(frozen=True)
class Subject:
    """A registry vendor named by an item: the compromised one, or only referenced."""

    vendor_id: int
    role: Role
    # The item may continue this vendor's story: it names the vendor's incident ("stolen in the X breach"), or
    # names the vendor with no role against it (not an owner, notifier, lure brand or denial). A referenced
    # vendor's incident takes the item on its timeline only then.
    continues_story: bool = False
    names_incident: bool = False  # the item names this vendor's incident ("the December X breach")


@dataclass(frozen=True)
class Triage:
    """The classification of one item, with the evidence behind it."""

    kind: IncidentKind
    not_incident_reason: NotIncidentReason | None
    subjects: tuple[Subject, ...]
    confidence: float
    trust: Trust
    evidence: tuple[str, ...]

    def subject_ids(self) -> tuple[int, ...]:
        """Vendor ids whose role is `subject` (the compromised vendors)."""
        return tuple(s.vendor_id for s in self.subjects if s.role == "subject")

    def referenced_ids(self) -> tuple[int, ...]:
        """Vendor ids that are named but not the subject."""
        return tuple(s.vendor_id for s in self.subjects if s.role == "referenced")


@dataclass(frozen=True)
class IncidentSnapshot:
    """What clustering needs to know about an existing incident of one vendor."""

    id: int
    vendor_id: int
    kind: IncidentKind
    opened: datetime
    last_activity: datetime
    signature: frozenset[str]
    referenced_vendor_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Severity:
    """A severity level and score with the parts that add up to it."""

    level: SeverityLevel
    score: float
    parts: tuple[tuple[str, float], ...]
