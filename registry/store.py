"""Applying a registry to the database (all-or-nothing upsert by vendor name) and reading it back."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlmodel import Session, col

from registry.durations import format_duration
from registry.models import Credential, Dependency, Task, Vendor
from registry.spec import CredentialSpec, DependencySpec, VendorSpec

_VENDOR_FIELDS = (
    "criticality",
    "aliases",
    "domains",
    "category",
    "owner",
    "users",
    "review_cadence_days",
    "notes",
    "dora",
)
_DEP_FIELDS = (
    "kind",
    "revocation_sla_s",
    "owner",
    "users",
    "token_binding",
    "privilege_scope",
    "trust_width",
    "reaches",
)
_CRED_FIELDS = ("kind", "owner", "rotation_sla_s", "rotate_command", "rotate_webhook_env")


@dataclass
class ImportChanges:
    """What an import did (or, with --dry-run, would do)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    children_added: int = 0
    children_changed: int = 0
    children_removed: int = 0
    details: list[str] = field(default_factory=list)  # what changes under vendors that already existed
    entity_changed: bool = False

    @property
    def changed(self) -> bool:
        """True when the import changes anything."""
        return (
            bool(self.created or self.updated or self.children_added or self.children_changed or self.children_removed)
            or self.entity_changed
        )


def apply_registry(session: Session, vendors: list[VendorSpec]) -> ImportChanges:
    """Upsert `vendors` by name; their dependencies and credentials follow the file exactly."""
    changes = ImportChanges()
    existing = {v.name: v for v in session.execute(select(Vendor)).scalars()}
    new_rows = [_fields(spec, ("name", *_VENDOR_FIELDS)) for spec in vendors if spec.name not in existing]
    if new_rows:
        result = session.execute(insert(Vendor).returning(col(Vendor.id), col(Vendor.name)), new_rows)
        ids = {name: vid for vid, name in result}
        changes.created = [row["name"] for row in new_rows]
    else:
        ids = {}
    for spec in vendors:
        row = existing.get(spec.name)
        if row is None:
            continue
        ids[spec.name] = row.id
        wanted = _fields(spec, _VENDOR_FIELDS)
        if diff := _diff(row, wanted):
            session.execute(update(Vendor).where(col(Vendor.id) == row.id).values(**wanted))
            changes.updated.append(spec.name)
            changes.details.append(f"~ {spec.name}: {diff}")
    _sync_dependencies(session, vendors, ids, changes)
    touched = set(changes.created) | set(changes.updated)
    changes.unchanged = sum(1 for v in vendors if v.name not in touched)
    return changes


def _diff(row: Any, wanted: dict[str, Any]) -> str:
    """`field: old -> new` for each field that changes, in the file's terms ('' when none does)."""
    return "; ".join(
        f"{_shown(k)}: {_value(k, getattr(row, k))} -> {_value(k, v)}"
        for k, v in wanted.items()
        if getattr(row, k) != v
    )


def _shown(key: str) -> str:
    return key.removesuffix("_s") if key.endswith("_sla_s") else key


def _value(key: str, value: Any) -> str:
    if key.endswith("_sla_s") and isinstance(value, int):
        return format_duration(value)
    return repr(value.value if isinstance(value, StrEnum) else value)  # 'high', not <Criticality.high: 'high'>


def _fields(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {n: getattr(obj, n) for n in names}


def _sync_dependencies(session: Session, vendors: list[VendorSpec], ids: dict[str, Any], ch: ImportChanges) -> None:
    vendor_ids = [ids[v.name] for v in vendors]
    names = {ids[v.name]: v.name for v in vendors}
    fresh = set(ch.created)  # a new vendor's children are implied by its "+ name" line
    deps: dict[tuple[int, str], Any] = {}
    for chunk in _chunks(vendor_ids):
        for row in session.execute(select(Dependency).where(col(Dependency.vendor_id).in_(chunk))).scalars():
            deps[(row.vendor_id, row.name)] = row
    wanted: dict[tuple[int, str], DependencySpec] = {(ids[v.name], d.name): d for v in vendors for d in v.dependencies}
    new = [
        {"vendor_id": key[0], "name": key[1], **_fields(d, _DEP_FIELDS)} for key, d in wanted.items() if key not in deps
    ]
    if new:
        for dep_id, vid, name in session.execute(
            insert(Dependency).returning(col(Dependency.id), col(Dependency.vendor_id), col(Dependency.name)),
            new,
        ):
            deps[(vid, name)] = dep_id
            if names[vid] not in fresh:
                ch.details.append(f"+ {names[vid]} / {name}")
        ch.children_added += len(new)
    dep_ids: dict[tuple[int, str], int] = {}
    for key, row in deps.items():
        if key not in wanted:
            _remove_dependency(session, row.id)
            ch.children_removed += 1
            ch.details.append(f"- {names[key[0]]} / {key[1]} (with its credentials)")
            continue
        if isinstance(row, int):
            dep_ids[key] = row
            continue
        dep_ids[key] = row.id
        values = _fields(wanted[key], _DEP_FIELDS)
        if diff := _diff(row, values):
            session.execute(update(Dependency).where(col(Dependency.id) == row.id).values(**values))
            ch.children_changed += 1
            ch.details.append(f"~ {names[key[0]]} / {key[1]}: {diff}")
    labels = {dep_ids[k]: f"{names[k[0]]} / {k[1]}" for k in wanted if names[k[0]] not in fresh}
    _sync_credentials(session, {dep_ids[k]: d.credentials for k, d in wanted.items()}, labels, ch)


def _remove_dependency(session: Session, dep_id: int) -> None:
    session.execute(update(Task).where(col(Task.dependency_id) == dep_id).values(dependency_id=None))
    cred_ids = select(col(Credential.id)).where(col(Credential.dependency_id) == dep_id)
    session.execute(update(Task).where(col(Task.credential_id).in_(cred_ids)).values(credential_id=None))
    session.execute(delete(Credential).where(col(Credential.dependency_id) == dep_id))
    session.execute(delete(Dependency).where(col(Dependency.id) == dep_id))


def _sync_credentials(
    session: Session, wanted_by_dep: dict[int, list[CredentialSpec]], labels: dict[int, str], ch: ImportChanges
) -> None:
    have: dict[tuple[int, str], Credential] = {}
    for chunk in _chunks(list(wanted_by_dep)):
        for row in session.execute(select(Credential).where(col(Credential.dependency_id).in_(chunk))).scalars():
            have[(row.dependency_id, row.name)] = row
    wanted = {(dep_id, c.name): c for dep_id, creds in wanted_by_dep.items() for c in creds}
    new = [
        {"dependency_id": k[0], "name": k[1], **_fields(c, _CRED_FIELDS)} for k, c in wanted.items() if k not in have
    ]
    if new:
        session.execute(insert(Credential), new)
        ch.children_added += len(new)
        ch.details += [f"+ {labels[r['dependency_id']]} / {r['name']}" for r in new if r["dependency_id"] in labels]
    for key, row in have.items():
        if key not in wanted:
            session.execute(update(Task).where(col(Task.credential_id) == row.id).values(credential_id=None))
            session.execute(delete(Credential).where(col(Credential.id) == row.id))
            ch.children_removed += 1
            ch.details.append(f"- {labels.get(key[0], key[0])} / {key[1]}")
            continue
        values = _fields(wanted[key], _CRED_FIELDS)
        if diff := _diff(row, values):
            session.execute(update(Credential).where(col(Credential.id) == row.id).values(**values))
            ch.children_changed += 1
            ch.details.append(f"~ {labels.get(key[0], key[0])} / {key[1]}: {diff}")


def _chunks(values: list[Any], size: int = 500) -> list[list[Any]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def read_registry(session: Session) -> list[VendorSpec]:
    """The whole registry as specs, sorted by name (the basis of every export)."""
    deps_by_vendor: dict[int, list[DependencySpec]] = defaultdict(list)
    creds_by_dep: dict[int, list[CredentialSpec]] = defaultdict(list)
    for c in session.execute(select(Credential)).scalars():
        creds_by_dep[c.dependency_id].append(CredentialSpec(name=c.name, **_fields(c, _CRED_FIELDS)))
    for d in session.execute(select(Dependency)).scalars():
        spec = DependencySpec(name=d.name, **_fields(d, _DEP_FIELDS))
        spec.credentials = sorted(creds_by_dep.get(d.id or 0, []), key=lambda c: c.name)
        deps_by_vendor[d.vendor_id].append(spec)
    vendors = []
    for v in session.execute(select(Vendor).order_by(col(Vendor.name))).scalars():
        vendor = VendorSpec(name=v.name, **_fields(v, _VENDOR_FIELDS))
        vendor.dependencies = sorted(deps_by_vendor.get(v.id or 0, []), key=lambda d: d.name)
        vendors.append(vendor)
    return vendors
