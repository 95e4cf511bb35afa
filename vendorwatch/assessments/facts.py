"""What an assessment is computed from: the incident's items, their publishers and the registry, loaded once."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session

from registry.models import Incident, Item, Source, Vendor
from registry.repo import sources as source_rows
from registry.repo.incidents import references
from registry.repo.vendors import credential_count, dependencies_of, dependency_count
from registry.vocab import Criticality, IncidentKind, Trust

PRIVILEGE_RANK = {"read": 1, "write": 2, "admin": 3}
# Triage evidence lines look like 'rule credential-exposed: "token stolen" in title'; only rule lines count.
_SECRET_WORDS = re.compile(r"\b(credential|token|secret|password|session|cookie|api key|signing key)s?\b", re.I)


@dataclass(frozen=True)
class ItemFact:
    """One report in the incident's timeline, with its publisher."""

    item_id: int
    source_id: str
    trust: Trust
    publisher_vendor: str | None
    title: str
    summary: str
    url: str
    kind: str
    confidence: float
    evidence: tuple[str, ...]
    role: str

    @property
    def ref(self) -> str:
        """How judgments cite this item."""
        return f"item:{self.item_id}"

    def secret_evidence(self) -> str | None:
        """The first classification evidence line that speaks of credentials or tokens, if any."""
        for line in self.evidence:
            if line.startswith("rule ") and _SECRET_WORDS.search(line):
                return line
        return None


@dataclass(frozen=True)
class RegistryFacts:
    """How much of the registry depends on the vendor."""

    vendor_id: int
    vendor: str
    aliases: tuple[str, ...]
    criticality: Criticality
    dependencies: int
    all_dependencies: int
    users: int
    credentials: int
    max_privilege: str
    trust_width: int
    unbound: int

    @property
    def share(self) -> float:
        """Fraction of all registered dependencies that are on this vendor."""
        return self.dependencies / self.all_dependencies if self.all_dependencies else 0.0


@dataclass(frozen=True)
class IncidentFacts:
    """Everything the scores and texts of one assessment are computed from."""

    incident_id: int
    kind: IncidentKind
    title: str
    registry: RegistryFacts
    items: tuple[ItemFact, ...]

    def sources(self) -> list[str]:
        """Distinct publishers, in timeline order (independent corroboration)."""
        return list(dict.fromkeys(i.source_id for i in self.items))

    def credential_exposure(self) -> ItemFact | None:
        """The first item saying credentials or tokens were exposed."""
        for item in self.items:
            if item.kind == IncidentKind.credential_exposure or item.secret_evidence():
                return item
        return None


def item_fact(session: Session, item: Item, role: str) -> ItemFact:
    """One item with its source's trust."""
    return _fact(item, session.get(Source, item.source_id), role)


def _fact(item: Item, source: Source | None, role: str) -> ItemFact:
    return ItemFact(
        item.id or 0,
        item.source_id,
        source.trust if source else Trust.news,
        source.vendor if source else None,
        item.title,
        item.summary,
        item.url,
        item.kind or "",
        item.confidence,
        tuple(item.evidence),
        role,
    )


def registry_facts(session: Session, vendor: Vendor) -> RegistryFacts:
    """The vendor's footprint in the registry."""
    deps = dependencies_of(session, vendor.id or 0)
    all_deps = dependency_count(session)
    creds = credential_count(session, [d.id or 0 for d in deps])
    top = max((d.privilege_scope for d in deps), key=lambda p: PRIVILEGE_RANK.get(p, 0), default="read")
    return RegistryFacts(
        vendor.id or 0,
        vendor.name,
        tuple(vendor.aliases),
        vendor.criticality,
        len(deps),
        int(all_deps),
        max(vendor.users, sum(d.users for d in deps)),
        int(creds),
        top,
        sum(d.trust_width for d in deps),
        sum(1 for d in deps if d.token_binding == "none"),
    )


def load_facts(session: Session, incident: Incident, *, upto_item: int | None = None) -> IncidentFacts:
    """The incident's timeline (in the order items joined it) and its vendor's registry footprint.

    With `upto_item`, only the items that joined up to and including that one: a reassessment sees the
    incident as it stood when the item arrived, however late it runs.
    """
    rows = references(session, [incident.id or 0])
    last = next((i for i, (_, item) in enumerate(rows) if item.id == upto_item), len(rows) - 1)
    rows = rows[: last + 1]
    sources = source_rows.by_id(session, sorted({item.source_id for _, item in rows}))  # one read for the timeline
    items = tuple(_fact(item, sources.get(item.source_id), ref.role) for ref, item in rows)
    vendor = session.get_one(Vendor, incident.vendor_id)
    return IncidentFacts(incident.id or 0, incident.kind, incident.title, registry_facts(session, vendor), items)
