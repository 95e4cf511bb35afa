"""The curated catalog of identity vendors (config/catalog.yaml): aliases, domains and feeds by vendor."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from registry.errors import RegistryImportError
from registry.spec import VendorSpec
from registry.vocab import Trust, parse


@dataclass(frozen=True)
class CatalogFeed:
    """A feed a vendor (or a government or news outlet) publishes."""

    id: str
    kind: str
    url: str
    trust: Trust
    verified: bool
    vendor: str | None = None


@dataclass(frozen=True)
class CatalogVendor:
    """What the catalog knows about one vendor."""

    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    category: str = ""
    feeds: tuple[CatalogFeed, ...] = ()


@dataclass(frozen=True)
class Catalog:
    """Vendors by every name they go by, plus the sources that have no vendor of their own."""

    vendors: dict[str, CatalogVendor] = field(default_factory=dict)
    general: tuple[CatalogFeed, ...] = ()

    def find(self, name: str) -> CatalogVendor | None:
        """The catalog entry for a vendor name or alias (case-insensitive)."""
        return self.vendors.get(name.casefold())


def load_catalog(path: Path) -> Catalog:
    """Read the catalog; a malformed file is a RegistryImportError naming it."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise RegistryImportError(f"cannot read the catalog ({exc.__class__.__name__})", file=str(path)) from None
    vendors: dict[str, CatalogVendor] = {}
    for raw in doc.get("vendors") or []:
        entry = CatalogVendor(
            name=raw["name"],
            aliases=tuple(raw.get("aliases") or ()),
            domains=tuple(raw.get("domains") or ()),
            category=raw.get("category", ""),
            feeds=tuple(_feed(f, raw["name"]) for f in raw.get("feeds") or ()),
        )
        for term in (entry.name, *entry.aliases):
            vendors.setdefault(term.casefold(), entry)
    general = tuple(_feed(f, None) for key in (Trust.government, Trust.news) for f in doc.get(key) or ())
    return Catalog(vendors, general)


def _feed(raw: dict[str, Any], vendor: str | None) -> CatalogFeed:
    trust = parse(Trust, raw.get("trust", Trust.news), where=f"catalog feed {raw['id']!r}: trust")
    return CatalogFeed(raw["id"], raw.get("kind", "feed"), raw["url"], trust, bool(raw.get("verified", False)), vendor)


def enrich(vendors: list[VendorSpec], catalog: Catalog) -> list[str]:
    """Add the catalog's aliases and domains to the vendors it knows; returns the names enriched."""
    enriched = []
    for vendor in vendors:
        entry = catalog.find(vendor.name)
        if entry is None:
            continue
        taken = {vendor.name.casefold(), *(a.casefold() for a in vendor.aliases)}
        aliases = [a for a in (entry.name, *entry.aliases) if a.casefold() not in taken]
        domains = [d for d in entry.domains if d.lower() not in vendor.domains]
        if aliases or domains:
            vendor.aliases = [*vendor.aliases, *aliases]
            vendor.domains = [*vendor.domains, *(d.lower() for d in domains)]
            enriched.append(vendor.name)
    return enriched


def suggested_sources(vendor_names: list[str], catalog: Catalog) -> list[CatalogFeed]:
    """The catalog feeds for the given registry vendors, then the government and news sources."""
    feeds = [f for name in vendor_names if (entry := catalog.find(name)) for f in entry.feeds]
    return [*feeds, *catalog.general]
