"""Queries shared by the application: dialect-aware upserts and registry statistics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel, col

from registry.models import Credential, Dependency, Vendor


def insert_ignoring_conflicts(session: Session, model: type[SQLModel]) -> Any:
    """An INSERT that skips rows violating a unique constraint (ON CONFLICT DO NOTHING)."""
    dialect = session.get_bind().dialect.name
    table = model.__table__  # type: ignore[attr-defined]
    stmt = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    return stmt.on_conflict_do_nothing()


@dataclass(frozen=True)
class VendorFootprint:
    """How much of the organisation depends on a vendor."""

    dependencies: int = 0
    credentials: int = 0
    users: int = 0


def footprints(session: Session) -> dict[int, VendorFootprint]:
    """Per vendor id: dependency and credential counts and users behind it."""
    deps = {
        vid: (n, users or 0)
        for vid, n, users in session.execute(
            select(col(Dependency.vendor_id), func.count(col(Dependency.id)), func.sum(col(Dependency.users))).group_by(
                col(Dependency.vendor_id)
            )
        )
    }
    cred_query = (
        select(col(Dependency.vendor_id), func.count(col(Credential.id)))
        .join(Credential, col(Credential.dependency_id) == col(Dependency.id))
        .group_by(col(Dependency.vendor_id))
    )
    creds: dict[int, int] = {vid: n for vid, n in session.execute(cred_query).all()}
    result = {}
    for vendor in session.execute(select(Vendor)).scalars():
        vid = vendor.id or 0
        n_deps, dep_users = deps.get(vid, (0, 0))
        result[vid] = VendorFootprint(n_deps, int(creds.get(vid, 0)), max(vendor.users, int(dep_users)))
    return result
