"""Reading registry files (YAML, CSV, JSON) with errors that name file, line and field."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from registry.csvread import CSV_COLUMNS, csv_doc, read_csv
from registry.decode import decode
from registry.dora import DORA_KEYS
from registry.errors import RegistryImportError
from registry.jsonread import load_json
from registry.limits import MAX_CHILDREN, MAX_FILE_BYTES, MAX_VENDORS
from registry.records import RecordReader, line_of
from registry.spec import RegistryDoc, VendorSpec
from registry.yamlstream import Located, ShapeError, iter_vendors

__all__ = ["CSV_COLUMNS", "load_file", "read_csv", "read_json", "read_yaml", "validate"]
VENDOR_KEYS = (
    "name",
    "aliases",
    "domains",
    "category",
    "criticality",
    "owner",
    "users",
    "review_cadence",
    "notes",
    "dependencies",
    *DORA_KEYS,
)
DEPENDENCY_KEYS = (
    "name",
    "kind",
    "revocation_sla",
    "owner",
    "users",
    "token_binding",
    "privilege_scope",
    "trust_width",
    "reaches",
    "credentials",
)
CREDENTIAL_KEYS = ("name", "kind", "owner", "rotation_sla", "rotate_command", "rotate_webhook_env")


def read_yaml(text: str, file: str) -> list[VendorSpec]:
    """Parse a YAML registry document, one vendor at a time."""
    return yaml_doc(text, file).vendors


def read_json(text: str, file: str) -> list[VendorSpec]:
    """Parse a JSON registry (the YAML shape); duplicate keys and deep nesting are refused."""
    return json_doc(text, file).vendors


def yaml_doc(text: str, file: str) -> RegistryDoc:
    """A YAML registry document: its vendors (streamed) and its `entity:` block."""
    reader = RecordReader(file)
    others: dict[str, Any] = {}
    try:
        vendors = _specs(reader, iter_vendors(text, others))
        return RegistryDoc(vendors, reader.entity(others.get("entity")))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        column = f" (column {mark.column + 1})" if mark else ""
        raise reader.fail(f"malformed YAML: {exc.problem}{column}", mark.line + 1 if mark else None) from None
    except yaml.reader.ReaderError as exc:  # libyaml refuses control characters before parsing
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - text.rfind("\n", 0, exc.position)
        message = f"malformed YAML: {exc.reason}: U+{exc.character:04X} (column {column})"
        raise reader.fail(message, line) from None
    except yaml.YAMLError as exc:
        raise reader.fail(f"malformed YAML: {exc.__class__.__name__}", None) from None
    except ShapeError as exc:
        raise reader.fail(str(exc), exc.line, exc.field) from None


def json_doc(text: str, file: str) -> RegistryDoc:
    """A JSON registry document: its vendors and its `entity:` block."""
    reader = RecordReader(file)
    try:
        doc = load_json(text)
    except json.JSONDecodeError as exc:
        raise reader.fail(f"malformed JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
    except ShapeError as exc:
        raise reader.fail(str(exc), exc.line, exc.field) from None
    except ValueError:  # an integer past Python's 4,300-digit limit
        raise reader.fail("malformed JSON: a number is too long", None) from None
    if not isinstance(doc, Located) or not isinstance(doc.get("vendors"), list):
        raise reader.fail("expected an object with a 'vendors' list", line_of(doc) or 1, "vendors")
    return RegistryDoc(_specs(reader, doc["vendors"]), reader.entity(doc.get("entity")))


def _specs(reader: RecordReader, raws: Iterable[Any]) -> list[VendorSpec]:
    vendors: list[VendorSpec] = []
    for raw in raws:
        if len(vendors) == MAX_VENDORS:
            raise reader.fail(f"more than {MAX_VENDORS:,} vendors", line_of(raw), "vendors")
        vendors.append(_vendor_spec(reader, raw))
    return vendors


def _vendor_spec(reader: RecordReader, raw: Any) -> VendorSpec:
    if not isinstance(raw, dict):
        raise reader.fail("each vendor must be a mapping", line_of(raw), "vendors")
    reader.only(raw, VENDOR_KEYS, line_of(raw))
    vendor = reader.vendor(raw, line_of(raw))
    for raw_dep in _items(reader, raw, "dependencies"):
        reader.only(raw_dep, DEPENDENCY_KEYS, line_of(raw_dep))
        dep = reader.dependency(raw_dep, line_of(raw_dep))
        for raw_cred in _items(reader, raw_dep, "credentials"):
            reader.only(raw_cred, CREDENTIAL_KEYS, line_of(raw_cred))
            dep.credentials.append(reader.credential(raw_cred, line_of(raw_cred)))
        vendor.dependencies.append(dep)
    return vendor


def _items(reader: RecordReader, rec: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = rec.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise reader.fail("must be a list of mappings", line_of(rec, key), key)
    if len(value) > MAX_CHILDREN:
        raise reader.fail(f"has {len(value):,} entries (allowed: at most {MAX_CHILDREN:,})", line_of(rec, key), key)
    return value


def validate(vendors: list[VendorSpec], file: str) -> None:
    """Refuse duplicate vendor names, aliases shared across vendors, and duplicate children."""
    seen: dict[str, tuple[str, int]] = {}
    for vendor in vendors:
        for term, field in [(vendor.name, "name"), *((a, "aliases") for a in vendor.aliases)]:
            key = term.casefold()
            if key in seen and seen[key][0] != vendor.name:
                other, line = seen[key]
                raise RegistryImportError(
                    f"{term!r} is already used by vendor {other!r} (line {line})",
                    file=file,
                    line=vendor.line if field == "name" else vendor.alias_line,
                    field=field,
                )
            if key in seen and field == "name":
                raise RegistryImportError(
                    f"duplicate vendor name {term!r} (first on line {seen[key][1]})",
                    file=file,
                    line=vendor.line,
                    field="name",
                )
            seen.setdefault(key, (vendor.name, vendor.line))
        _capped(vendor.dependencies, vendor.line, file, "dependencies")
        _unique([d.name for d in vendor.dependencies], vendor.dependencies, file, "dependency")
        for dep in vendor.dependencies:
            _capped(dep.credentials, dep.line, file, "credentials")
            _unique([c.name for c in dep.credentials], dep.credentials, file, "credential")


def _capped(children: list[Any], line: int, file: str, what: str) -> None:
    if len(children) > MAX_CHILDREN:  # CSV rows add children one at a time: counted here for every format
        raise RegistryImportError(
            f"has {len(children):,} {what} (allowed: at most {MAX_CHILDREN:,})", file=file, line=line, field=what
        )


def _unique(names: list[str], specs: list[Any], file: str, what: str) -> None:
    seen: set[str] = set()
    for name, spec in zip(names, specs, strict=True):
        if name in seen:
            raise RegistryImportError(f"duplicate {what} {name!r}", file=file, line=spec.line, field="name")
        seen.add(name)


def load_file(path: Path) -> list[VendorSpec]:
    """Read and validate a registry file; the format follows the extension (.yaml/.yml/.json/.csv)."""
    return load_registry(path).vendors


def load_registry(path: Path) -> RegistryDoc:
    """Read and validate a registry file, with its `entity:` block."""
    file = str(path)
    try:
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)  # never more than the cap into memory; decode() refuses the rest
    except OSError as exc:
        raise RegistryImportError(f"cannot read file ({exc.strerror or exc.__class__.__name__})", file=file) from None
    text = decode(data, file)
    suffix = path.suffix.lower()
    read = csv_doc if suffix == ".csv" else json_doc if suffix == ".json" else yaml_doc
    doc = read(text, file)
    validate(doc.vendors, file)
    return doc
