"""Vendors and what hangs off them: dependencies, credentials, sources, and how much depends on each vendor."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session, col

from registry.errors import NotFoundError
from registry.models import Credential, Dependency, Source, Vendor


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


def find_vendor(session: Session, name: str) -> Vendor:
    """A vendor by registry name (case-insensitive), or NotFoundError."""
    query = select(Vendor).where(func.lower(col(Vendor.name)) == name.lower())
    vendor: Vendor | None = session.execute(query).scalars().first()
    if vendor is None:
        raise NotFoundError(f"no vendor named {name!r} in the registry")
    return vendor


def by_id(session: Session) -> dict[int, Vendor]:
    """Every vendor, by id (in id order)."""
    return {v.id or 0: v for v in session.execute(select(Vendor).order_by(col(Vendor.id))).scalars()}


def vendors_by_name(session: Session) -> list[Vendor]:
    """Every vendor, by name."""
    return list(session.execute(select(Vendor).order_by(col(Vendor.name))).scalars())


def dependencies_by_name(session: Session) -> list[Dependency]:
    """Every dependency, by name."""
    return list(session.execute(select(Dependency).order_by(col(Dependency.name))).scalars())


def dependencies_of(session: Session, vendor_id: int) -> list[Dependency]:
    """A vendor's dependencies."""
    return list(session.execute(select(Dependency).where(col(Dependency.vendor_id) == vendor_id)).scalars())


def credentials_of(session: Session, dependency_id: int) -> list[Credential]:
    """A dependency's credentials."""
    return list(session.execute(select(Credential).where(col(Credential.dependency_id) == dependency_id)).scalars())


def dependency_count(session: Session, vendor_id: int | None = None) -> int:
    """How many dependencies a vendor has (all vendors' when `vendor_id` is None)."""
    query = select(func.count(col(Dependency.id)))
    if vendor_id is not None:
        query = query.where(col(Dependency.vendor_id) == vendor_id)
    return int(session.execute(query).scalar_one())


def credential_count(session: Session, dependency_ids: list[int]) -> int:
    """How many credentials these dependencies hold."""
    query = select(func.count(col(Credential.id))).where(col(Credential.dependency_id).in_(dependency_ids))
    return int(session.execute(query).scalar_one())


def credential_counts(session: Session) -> dict[int, int]:
    """Per dependency id: how many credentials it holds."""
    query = select(col(Credential.dependency_id), func.count(col(Credential.id))).group_by(
        col(Credential.dependency_id)
    )
    return {dep_id: n for dep_id, n in session.execute(query).all()}


def shortest_revocation_sla_s(session: Session, vendor_id: int) -> int | None:
    """The vendor's shortest dependency revocation SLA in seconds, if any dependency has one."""
    query = select(func.min(col(Dependency.revocation_sla_s))).where(col(Dependency.vendor_id) == vendor_id)
    seconds = session.execute(query).scalar_one_or_none()
    return int(seconds) if seconds else None


def sources_of(session: Session, vendor_name: str) -> list[Source]:
    """The sources configured as published by a vendor, by id."""
    query = select(Source).where(col(Source.vendor) == vendor_name).order_by(col(Source.id))
    return list(session.execute(query).scalars())
