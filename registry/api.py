"""Registry operations used by the application: import, export, list."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import func, select
from sqlmodel import Session, col

from registry.catalog import Catalog, enrich
from registry.entity import apply_entity, read_entity
from registry.fileformat import load_registry, validate
from registry.models import Credential, Dependency, Vendor
from registry.repo import history
from registry.spec import VendorSpec
from registry.store import ImportChanges, apply_registry, read_registry
from registry.types import utcnow
from registry.writers import dump_csv, dump_json, dump_yaml

__all__ = ["ExportFormat", "ImportChanges", "export", "import_file", "list_vendors"]

ExportFormat = Literal["yaml", "csv", "json"]


class _DryRun(Exception):
    pass


def import_file(
    session: Session,
    path: Path,
    *,
    dry_run: bool = False,
    catalog: Catalog | None = None,
    now: datetime | None = None,
) -> ImportChanges:
    """Import a registry file in one transaction; with dry_run nothing is written.

    With a catalog, vendors it knows also get its aliases and domains. A real import snapshots the registry
    as of `now` (default: the clock) for the reports' quarter-on-quarter figures.
    """
    doc = load_registry(path)
    if catalog is not None:
        enrich(doc.vendors, catalog)
        validate(doc.vendors, str(path))  # an alias taken from the catalog must not collide either
    nested = session.begin_nested() if dry_run else None
    changes = apply_registry(session, doc.vendors)
    if apply_entity(session, doc.entity):
        changes.details.append(f"~ entity: {doc.entity or 'removed'}")
        changes.entity_changed = True
    if nested is not None:
        nested.rollback()
    else:
        history.record(session, now or utcnow())
    return changes


def export(session: Session, fmt: ExportFormat) -> str:
    """The registry in `fmt`, stable for the same content on every database."""
    vendors = read_registry(session)
    return {"yaml": dump_yaml, "csv": dump_csv, "json": dump_json}[fmt](vendors, read_entity(session))


def list_vendors(session: Session) -> list[tuple[VendorSpec, int]]:
    """Vendors with their credential counts, by name."""
    query = (
        select(col(Dependency.vendor_id), func.count(col(Credential.id)))
        .join(Credential, col(Credential.dependency_id) == col(Dependency.id), isouter=True)
        .group_by(col(Dependency.vendor_id))
    )
    counts: dict[int, int] = {vid: n for vid, n in session.execute(query).all()}
    ids = {v.name: v.id for v in session.execute(select(Vendor)).scalars()}
    return [(spec, int(counts.get(ids[spec.name], 0))) for spec in read_registry(session)]
