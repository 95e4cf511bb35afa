"""Reading registry files (YAML, CSV, JSON) with errors that name file, line and field."""

from __future__ import annotations

import csv
import difflib
import io
import json
from pathlib import Path
from typing import Any

import yaml

from registry.durations import DurationError, parse_duration
from registry.errors import RegistryImportError
from registry.models import CRITICALITIES, PRIVILEGE_SCOPES, TOKEN_BINDINGS
from registry.spec import CredentialSpec, DependencySpec, VendorSpec
from registry.yamlstream import Located, ShapeError, iter_vendors

CSV_COLUMNS = (
    "vendor", "aliases", "domains", "category", "criticality", "owner", "users", "review_cadence", "notes",
    "dependency", "dependency_kind", "revocation_sla", "dependency_owner", "dependency_users",
    "token_binding", "privilege_scope", "trust_width", "reaches",
    "credential", "credential_kind", "credential_owner", "rotation_sla", "rotate_command", "rotate_webhook_env",
)  # fmt: skip
VENDOR_KEYS = ("name", "aliases", "domains", "category", "criticality", "owner", "users", "review_cadence", "notes",
               "dependencies")  # fmt: skip
DEPENDENCY_KEYS = ("name", "kind", "revocation_sla", "owner", "users", "token_binding", "privilege_scope",
                   "trust_width", "reaches", "credentials")  # fmt: skip
CREDENTIAL_KEYS = ("name", "kind", "owner", "rotation_sla", "rotate_command", "rotate_webhook_env")
CSV_REQUIRED = ("vendor", "criticality", "dependency", "dependency_kind", "credential", "credential_kind")


class _Reader:
    """Turns loosely typed records into specs, raising located errors."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, message: str, line: int | None, field: str | None = None) -> RegistryImportError:
        return RegistryImportError(message, file=self.file, line=line, field=field)

    def text(self, rec: dict[str, Any], key: str, line: int, *, required: bool = False) -> str:
        line = _line_of(rec, key) or line
        value = rec.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail("is required", line, key)
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise self.fail(f"must be text, not {type(value).__name__}", line, key)
        return str(value).strip()

    def words(self, rec: dict[str, Any], key: str, line: int) -> list[str]:
        line = _line_of(rec, key) or line
        value = rec.get(key)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            value = [v for v in (p.strip() for p in value.split(";")) if v]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail("must be a list of text", line, key)
        return [v.strip() for v in value if v.strip()]

    def number(self, rec: dict[str, Any], key: str, line: int, default: int) -> int:
        line = _line_of(rec, key) or line
        value = rec.get(key)
        if value is None or value == "":
            return default
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise self.fail(f"must be a whole number, not {value!r}", line, key) from None
        if number < 0:
            raise self.fail("must not be negative", line, key)
        return number

    def duration(self, rec: dict[str, Any], key: str, line: int) -> int | None:
        line = _line_of(rec, key) or line
        value = rec.get(key)
        if value is None or value == "":
            return None
        try:
            return parse_duration(value)
        except DurationError as exc:
            raise self.fail(str(exc), line, key) from None

    def choice(self, rec: dict[str, Any], key: str, line: int, allowed: tuple[str, ...], default: str) -> str:
        line = _line_of(rec, key) or line
        value = self.text(rec, key, line) or default
        if value.lower() not in allowed:
            raise self.fail(f"unknown value {value!r} (allowed: {', '.join(allowed)})", line, key)
        return value.lower()

    def only(self, rec: dict[str, Any], known: tuple[str, ...], line: int) -> None:
        """Refuse keys we do not know: a typo (`revocation_sl`) must not silently drop an SLA."""
        for key in rec:
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known)})"
                raise self.fail(f"unknown field{hint}", _line_of(rec, str(key)) or line, str(key))

    def credential(self, rec: dict[str, Any], line: int) -> CredentialSpec:
        return CredentialSpec(
            name=self.text(rec, "name", line, required=True),
            kind=self.text(rec, "kind", line, required=True),
            owner=self.text(rec, "owner", line),
            rotation_sla_s=self.duration(rec, "rotation_sla", line),
            rotate_command=self.text(rec, "rotate_command", line) or None,
            rotate_webhook_env=self.text(rec, "rotate_webhook_env", line) or None,
            line=line,
        )

    def dependency(self, rec: dict[str, Any], line: int) -> DependencySpec:
        return DependencySpec(
            name=self.text(rec, "name", line, required=True),
            kind=self.text(rec, "kind", line, required=True),
            revocation_sla_s=self.duration(rec, "revocation_sla", line),
            owner=self.text(rec, "owner", line),
            users=self.number(rec, "users", line, 0),
            token_binding=self.choice(rec, "token_binding", line, TOKEN_BINDINGS, "none"),
            privilege_scope=self.choice(rec, "privilege_scope", line, PRIVILEGE_SCOPES, "read"),
            trust_width=max(1, self.number(rec, "trust_width", line, 1)),
            reaches=self.words(rec, "reaches", line),
            line=line,
        )

    def vendor(self, rec: dict[str, Any], line: int) -> VendorSpec:
        cadence = rec.get("review_cadence")
        return VendorSpec(
            name=self.text(rec, "name", line, required=True),
            criticality=self.choice(rec, "criticality", line, CRITICALITIES, "medium"),
            aliases=self.words(rec, "aliases", line),
            domains=[d.lower() for d in self.words(rec, "domains", line)],
            category=self.text(rec, "category", line),
            owner=self.text(rec, "owner", line),
            users=self.number(rec, "users", line, 0),
            review_cadence_days=None if cadence in (None, "") else self._days(cadence, line),
            notes=self.text(rec, "notes", line),
            line=line,
            alias_line=_line_of(rec, "aliases") or line,
        )

    def _days(self, value: Any, line: int) -> int:
        seconds = self.duration({"review_cadence": value}, "review_cadence", line) or 0
        if seconds % 86400:
            raise self.fail("must be whole days (e.g. 90d)", line, "review_cadence")
        return seconds // 86400


def _line_of(rec: Any, key: str | None = None) -> int:
    if isinstance(rec, Located):
        return rec.key_lines.get(key, rec.line) if key else rec.line
    return 0


def read_yaml(text: str, file: str) -> list[VendorSpec]:
    """Parse a YAML registry document, one vendor at a time."""
    reader = _Reader(file)
    vendors = []
    try:
        for raw in iter_vendors(text):
            vendors.append(_vendor_spec(reader, raw))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise reader.fail(f"malformed YAML: {exc.problem}", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise reader.fail(f"malformed YAML: {exc.__class__.__name__}", None) from None
    except ShapeError as exc:
        raise reader.fail(str(exc), exc.line, "vendors") from None
    return vendors


def _vendor_spec(reader: _Reader, raw: Any) -> VendorSpec:
    if not isinstance(raw, dict):
        raise reader.fail("each vendor must be a mapping", _line_of(raw), "vendors")
    reader.only(raw, VENDOR_KEYS, _line_of(raw))
    vendor = reader.vendor(raw, _line_of(raw))
    for raw_dep in _items(reader, raw, "dependencies"):
        reader.only(raw_dep, DEPENDENCY_KEYS, _line_of(raw_dep))
        dep = reader.dependency(raw_dep, _line_of(raw_dep))
        for raw_cred in _items(reader, raw_dep, "credentials"):
            reader.only(raw_cred, CREDENTIAL_KEYS, _line_of(raw_cred))
            dep.credentials.append(reader.credential(raw_cred, _line_of(raw_cred)))
        vendor.dependencies.append(dep)
    return vendor


def _items(reader: _Reader, rec: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = rec.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise reader.fail("must be a list of mappings", _line_of(rec, key), key)
    return value


def read_csv(text: str, file: str) -> list[VendorSpec]:
    """Parse a CSV registry: one row per credential (or per dependency / vendor without them)."""
    reader = _Reader(file)
    rows = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in rows.fieldnames or []]
    missing = [c for c in CSV_REQUIRED if c not in header]
    if missing:
        raise reader.fail(f"missing column {missing[0]!r} (required: {', '.join(CSV_REQUIRED)})", 1, missing[0])
    reader.only(dict.fromkeys(header), CSV_COLUMNS, 1)
    vendors: dict[str, VendorSpec] = {}
    for row in rows:
        line = rows.line_num
        rec = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        vendor = reader.vendor({**rec, "name": rec.get("vendor")}, line)
        known = vendors.setdefault(vendor.name, vendor)
        if known is not vendor and _vendor_fields(known) != _vendor_fields(vendor):
            raise reader.fail(f"vendor {vendor.name!r} differs from its row on line {known.line}", line, "vendor")
        _add_csv_dependency(reader, known, rec, line)
    return list(vendors.values())


def _vendor_fields(v: VendorSpec) -> tuple[Any, ...]:
    return (v.criticality, v.aliases, v.domains, v.category, v.owner, v.users, v.review_cadence_days)


def _add_csv_dependency(reader: _Reader, vendor: VendorSpec, rec: dict[str, str], line: int) -> None:
    if not rec.get("dependency"):
        if rec.get("credential"):
            raise reader.fail("a credential needs a dependency", line, "dependency")
        return
    dep_rec = {
        "name": rec.get("dependency"), "kind": rec.get("dependency_kind"),
        "revocation_sla": rec.get("revocation_sla"), "owner": rec.get("dependency_owner"),
        "users": rec.get("dependency_users"), "token_binding": rec.get("token_binding"),
        "privilege_scope": rec.get("privilege_scope"), "trust_width": rec.get("trust_width"),
        "reaches": rec.get("reaches"),
    }  # fmt: skip
    dep = reader.dependency(dep_rec, line)
    dep.kind = reader.text(dep_rec, "kind", line, required=True) if dep.kind else dep.kind
    existing = next((d for d in vendor.dependencies if d.name == dep.name), None)
    if existing is None:
        vendor.dependencies.append(dep)
        existing = dep
    if rec.get("credential") or rec.get("credential_kind"):
        cred_rec = {
            "name": rec.get("credential"), "kind": rec.get("credential_kind"),
            "owner": rec.get("credential_owner"), "rotation_sla": rec.get("rotation_sla"),
            "rotate_command": rec.get("rotate_command"), "rotate_webhook_env": rec.get("rotate_webhook_env"),
        }  # fmt: skip
        existing.credentials.append(reader.credential(cred_rec, line))


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
                    file=file, line=vendor.line if field == "name" else vendor.alias_line, field=field,
                )  # fmt: skip
            if key in seen and field == "name":
                raise RegistryImportError(
                    f"duplicate vendor name {term!r} (first on line {seen[key][1]})",
                    file=file, line=vendor.line, field="name",
                )  # fmt: skip
            seen.setdefault(key, (vendor.name, vendor.line))
        _unique([d.name for d in vendor.dependencies], vendor.dependencies, file, "dependency")
        for dep in vendor.dependencies:
            _unique([c.name for c in dep.credentials], dep.credentials, file, "credential")


def _unique(names: list[str], specs: list[Any], file: str, what: str) -> None:
    seen: set[str] = set()
    for name, spec in zip(names, specs, strict=True):
        if name in seen:
            raise RegistryImportError(f"duplicate {what} {name!r}", file=file, line=spec.line, field="name")
        seen.add(name)


def load_file(path: Path) -> list[VendorSpec]:
    """Read and validate a registry file; the format follows the extension (.yaml/.yml/.json/.csv)."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryImportError(f"cannot read file: {exc.__class__.__name__}", file=file) from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        vendors = read_csv(text, file)
    elif suffix == ".json":
        try:
            vendors = read_yaml(json.dumps(json.loads(text)), file)  # JSON is YAML; keeps one code path
        except json.JSONDecodeError as exc:
            raise RegistryImportError(f"malformed JSON: {exc.msg}", file=file, line=exc.lineno) from None
    else:
        vendors = read_yaml(text, file)
    validate(vendors, file)
    return vendors
