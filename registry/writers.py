"""Writing the registry back out (YAML, JSON, CSV): stable byte for byte, defaults omitted."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import yaml

from registry.csvread import DORA_COLUMNS
from registry.durations import format_duration
from registry.fileformat import CSV_COLUMNS
from registry.safecsv import neutralise
from registry.spec import CredentialSpec, DependencySpec, VendorSpec


def to_records(vendors: list[VendorSpec]) -> list[dict[str, Any]]:
    """Vendors as the nested records of the YAML/JSON format, omitting defaults."""
    return [_vendor_record(v) for v in sorted(vendors, key=lambda v: v.name.casefold())]


def _vendor_record(v: VendorSpec) -> dict[str, Any]:
    rec: dict[str, Any] = {"name": v.name, "aliases": v.aliases, "domains": v.domains}
    rec.update({"category": v.category, "criticality": str(v.criticality), "owner": v.owner})
    _put(rec, "users", v.users, 0)
    _put(rec, "review_cadence", f"{v.review_cadence_days}d" if v.review_cadence_days else None, None)
    _put(rec, "notes", v.notes, "")
    rec.update(v.dora)  # already canonical and without empty fields
    rec["dependencies"] = [_dependency_record(d) for d in sorted(v.dependencies, key=lambda d: d.name)]
    return rec


def _dependency_record(d: DependencySpec) -> dict[str, Any]:
    rec: dict[str, Any] = {"name": d.name, "kind": d.kind}
    _put(rec, "revocation_sla", format_duration(d.revocation_sla_s) if d.revocation_sla_s else None, None)
    for key, value, default in [
        ("owner", d.owner, ""),
        ("users", d.users, 0),
        ("token_binding", d.token_binding, "none"),
        ("privilege_scope", d.privilege_scope, "read"),
        ("trust_width", d.trust_width, 1),
        ("reaches", d.reaches, []),
    ]:
        _put(rec, key, value, default)
    rec["credentials"] = [_credential_record(c) for c in sorted(d.credentials, key=lambda c: c.name)]
    return rec


def _credential_record(c: CredentialSpec) -> dict[str, Any]:
    rec: dict[str, Any] = {"name": c.name, "kind": c.kind, "owner": c.owner}
    _put(rec, "rotation_sla", format_duration(c.rotation_sla_s) if c.rotation_sla_s else None, None)
    _put(rec, "rotate_command", c.rotate_command, None)
    _put(rec, "rotate_webhook_env", c.rotate_webhook_env, None)
    return rec


def _put(rec: dict[str, Any], key: str, value: Any, default: Any) -> None:
    if value != default:
        rec[key] = value


def _document(vendors: list[VendorSpec], entity: dict[str, str] | None) -> dict[str, Any]:
    return {**({"entity": dict(entity)} if entity else {}), "vendors": to_records(vendors)}


def dump_yaml(vendors: list[VendorSpec], entity: dict[str, str] | None = None) -> str:
    """The registry as YAML, stable byte for byte for the same content."""
    return yaml.safe_dump(_document(vendors, entity), sort_keys=False, allow_unicode=True, width=120)


def dump_json(vendors: list[VendorSpec], entity: dict[str, str] | None = None) -> str:
    """The registry as JSON in the same shape as the YAML."""
    return json.dumps(_document(vendors, entity), indent=2, ensure_ascii=False) + "\n"


def _dora_cells(rec: dict[str, Any], entity: dict[str, str]) -> dict[str, Any]:
    cells: dict[str, Any] = {k: rec.get(k, "") for k in DORA_COLUMNS if not k.startswith("contract_")}
    cells["data_location"] = ";".join(rec.get("data_location", []))
    flag = rec.get("exit_plan")
    cells["exit_plan"] = "" if flag is None else str(flag).lower()
    cells.update({f"contract_{k}": v for k, v in rec.get("contract", {}).items()})
    cells.update({f"entity_{k}": v for k, v in entity.items()})
    return cells


def dump_csv(vendors: list[VendorSpec], entity: dict[str, str] | None = None) -> str:
    """The registry as CSV, one row per credential; the entity repeated on every row."""
    out = io.StringIO()
    writer = _SafeWriter(out)
    for rec in to_records(vendors):
        base = {
            **_dora_cells(rec, entity or {}),
            "vendor": rec["name"],
            "aliases": ";".join(rec["aliases"]),
            "domains": ";".join(rec["domains"]),
            "category": rec["category"],
            "criticality": rec["criticality"],
            "owner": rec["owner"],
            "users": rec.get("users", ""),
            "review_cadence": rec.get("review_cadence", ""),
            "notes": rec.get("notes", ""),
        }
        if not rec["dependencies"]:
            writer.writerow(base)
        for dep in rec["dependencies"]:
            drow = {
                **base,
                "dependency": dep["name"],
                "dependency_kind": dep["kind"],
                "revocation_sla": dep.get("revocation_sla", ""),
                "dependency_owner": dep.get("owner", ""),
                "dependency_users": dep.get("users", ""),
                "token_binding": dep.get("token_binding", ""),
                "privilege_scope": dep.get("privilege_scope", ""),
                "trust_width": dep.get("trust_width", ""),
                "reaches": ";".join(dep.get("reaches", [])),
            }
            if not dep["credentials"]:
                writer.writerow(drow)
            for cred in dep["credentials"]:
                writer.writerow(
                    {
                        **drow,
                        "credential": cred["name"],
                        "credential_kind": cred["kind"],
                        "credential_owner": cred["owner"],
                        "rotation_sla": cred.get("rotation_sla", ""),
                        "rotate_command": cred.get("rotate_command", ""),
                        "rotate_webhook_env": cred.get("rotate_webhook_env", ""),
                    }
                )
    return out.getvalue()


class _SafeWriter:
    """A DictWriter whose every text cell is neutralised against spreadsheet formulas."""

    def __init__(self, out: io.StringIO) -> None:
        self.writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
        self.writer.writeheader()

    def writerow(self, row: dict[str, Any]) -> None:
        self.writer.writerow({key: neutralise(value) for key, value in row.items()})
