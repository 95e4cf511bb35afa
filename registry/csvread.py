"""Reading a registry CSV strictly: one header, no duplicate columns, every row as long as the header."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from registry.dora import CONTRACT_KEYS, ENTITY_KEYS
from registry.errors import RegistryImportError
from registry.records import RecordReader
from registry.safecsv import restore
from registry.spec import RegistryDoc, VendorSpec

DORA_COLUMNS = (
    "lei",
    "country",
    "parent",
    "ict_service",
    "substitutability",
    "critical_function",
    "contract_ref",
    "contract_start",
    "contract_end",
    "contract_annual_cost",
    "contract_currency",
    "data_location",
    "exit_plan",
    "last_audit",
)
ENTITY_COLUMNS = tuple(f"entity_{k}" for k in ENTITY_KEYS)
CSV_COLUMNS = (
    "vendor",
    "aliases",
    "domains",
    "category",
    "criticality",
    "owner",
    "users",
    "review_cadence",
    "notes",
    "dependency",
    "dependency_kind",
    "revocation_sla",
    "dependency_owner",
    "dependency_users",
    "token_binding",
    "privilege_scope",
    "trust_width",
    "reaches",
    "credential",
    "credential_kind",
    "credential_owner",
    "rotation_sla",
    "rotate_command",
    "rotate_webhook_env",
    *DORA_COLUMNS,
    *ENTITY_COLUMNS,
)
CSV_REQUIRED = ("vendor", "criticality", "dependency", "dependency_kind", "credential", "credential_kind")


def read_csv(text: str, file: str) -> list[VendorSpec]:
    """Parse a CSV registry: one row per credential (or per dependency / vendor without them)."""
    return csv_doc(text, file).vendors


def csv_doc(text: str, file: str) -> RegistryDoc:
    """A CSV registry; the `entity_*` columns, when filled, say the same on every row."""
    reader = RecordReader(file)
    entity: dict[str, str] | None = None
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = _header(reader, rows)
    vendors: dict[str, VendorSpec] = {}
    start = rows.line_num + 1
    try:
        for cells in rows:
            line, start = start, rows.line_num + 1
            if not cells:  # a blank line
                continue
            if len(cells) < len(header):
                message = f"row has {len(cells)} of the header's {len(header)} fields (first missing: this one)"
                raise reader.fail(message, line, header[len(cells)])
            if len(cells) > len(header):
                message = f"row has {len(cells)} fields, the header only {len(header)} (extra after this one)"
                raise reader.fail(message, line, header[-1])
            rec = {k: restore(v) for k, v in zip(header, cells, strict=True)}
            _add_row(reader, vendors, rec, line)
            entity = _entity(reader, rec, line, entity)
    except csv.Error as exc:
        raise reader.fail(_csv_problem(exc), start) from None
    return RegistryDoc(list(vendors.values()), entity or {})


def _entity(reader: RecordReader, rec: dict[str, str], line: int, known: dict[str, str] | None) -> dict[str, str]:
    if not any(_has(rec, c) for c in ENTITY_COLUMNS):
        return known or {}
    with _columns({k: f"entity_{k}" for k in ENTITY_KEYS}):
        entity = reader.entity({k: rec.get(f"entity_{k}") for k in ENTITY_KEYS})
    if known and entity != known:
        raise reader.fail("the entity differs from an earlier row's (one entity per register)", line, "entity_name")
    return entity


def _header(reader: RecordReader, rows: Any) -> list[str]:
    try:
        header = [h.strip() for h in next(rows, [])]
    except csv.Error as exc:
        raise reader.fail(_csv_problem(exc), 1) from None
    missing = [c for c in CSV_REQUIRED if c not in header]
    if missing:
        raise reader.fail(f"missing column {missing[0]!r} (required: {', '.join(CSV_REQUIRED)})", 1, missing[0])
    for index, name in enumerate(header):
        if name in header[:index]:  # DictReader lets the last one win
            raise reader.fail(f"duplicate column (columns {header.index(name) + 1} and {index + 1})", 1, name)
    reader.only(dict.fromkeys(header), CSV_COLUMNS, 1)
    return header


def _csv_problem(exc: csv.Error) -> str:
    message = str(exc)
    if "unexpected end of data" in message:
        return "unterminated quoted field (a '\"' opened on this line is never closed)"
    if "field limit" in message:
        return f"a field is longer than {csv.field_size_limit():,} characters (notes: at most 10,000)"
    return f"malformed CSV: {message}"


def _has(rec: dict[str, str], key: str) -> bool:
    return bool(rec.get(key, "").strip())


@contextmanager
def _columns(names: dict[str, str]) -> Iterator[None]:
    """Errors name the CSV column (`dependency_owner`), not the record key (`owner`)."""
    try:
        yield
    except RegistryImportError as exc:
        if exc.field not in names:
            raise
        raise RegistryImportError(exc.reason, file=exc.file, line=exc.line, field=names[exc.field]) from None


def _add_row(reader: RecordReader, vendors: dict[str, VendorSpec], rec: dict[str, str], line: int) -> None:
    contract = {k: rec.get(f"contract_{k}") for k in CONTRACT_KEYS if _has(rec, f"contract_{k}")}
    names = {"name": "vendor", **{f"contract.{k}": f"contract_{k}" for k in CONTRACT_KEYS}}
    with _columns(names):
        vendor = reader.vendor({**_vendor_cells(rec), "name": rec.get("vendor"), "contract": contract}, line)
    known = vendors.setdefault(vendor.name, vendor)
    if known is not vendor and _vendor_fields(known) != _vendor_fields(vendor):
        raise reader.fail(f"vendor {vendor.name!r} differs from its row on line {known.line}", line, "vendor")
    _add_dependency(reader, known, rec, line)


def _vendor_cells(rec: dict[str, str]) -> dict[str, str]:
    skip = {f"contract_{k}" for k in CONTRACT_KEYS} | set(ENTITY_COLUMNS)
    return {k: v for k, v in rec.items() if k not in skip}


def _vendor_fields(v: VendorSpec) -> tuple[Any, ...]:
    return (v.criticality, v.aliases, v.domains, v.category, v.owner, v.users, v.review_cadence_days, v.dora)


def _add_dependency(reader: RecordReader, vendor: VendorSpec, rec: dict[str, str], line: int) -> None:
    if not _has(rec, "dependency"):
        if _has(rec, "credential"):
            raise reader.fail("a credential needs a dependency", line, "dependency")
        return
    dep_rec = {
        "name": rec.get("dependency"),
        "kind": rec.get("dependency_kind"),
        "revocation_sla": rec.get("revocation_sla"),
        "owner": rec.get("dependency_owner"),
        "users": rec.get("dependency_users"),
        "token_binding": rec.get("token_binding"),
        "privilege_scope": rec.get("privilege_scope"),
        "trust_width": rec.get("trust_width"),
        "reaches": rec.get("reaches"),
    }
    with _columns(
        {"name": "dependency", "kind": "dependency_kind", "owner": "dependency_owner", "users": "dependency_users"}
    ):
        dep = reader.dependency(dep_rec, line)
    existing = next((d for d in vendor.dependencies if d.name == dep.name), None)
    if existing is None:
        vendor.dependencies.append(dep)
        existing = dep
    if _has(rec, "credential") or _has(rec, "credential_kind"):
        cred_rec = {
            "name": rec.get("credential"),
            "kind": rec.get("credential_kind"),
            "owner": rec.get("credential_owner"),
            "rotation_sla": rec.get("rotation_sla"),
            "rotate_command": rec.get("rotate_command"),
            "rotate_webhook_env": rec.get("rotate_webhook_env"),
        }
        with _columns({"name": "credential", "kind": "credential_kind", "owner": "credential_owner"}):
            existing.credentials.append(reader.credential(cred_rec, line))
