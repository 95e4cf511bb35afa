"""The DORA register of information (Implementing Regulation (EU) 2024/2956) as the registry can fill it.

Templates are CSV files with the EBA column codes (c0010...) as headers and EBA value codes
(eba_GA:DE, eba_CU:EUR...). The mapping is documented in docs/regulation.md. It prepares the register;
it does not certify it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session

from registry.repo.register import VendorSpec, is_lei, read_register
from registry.safecsv import neutralise
from reports.dora_checks import Missing, missing_fields

LEI_CODE = "eba_qCO:qx2000"  # type of code: LEI
LEGAL_PERSON = "eba_CT:x212"
YES, NO = "eba_BT:x28", "eba_BT:x29"
OPEN_END = "9999-12-31"  # the EBA's end date of an open-ended arrangement
SUBSTITUTABILITY = {
    "not-substitutable": "eba_ZZ:x959",
    "difficult": "eba_ZZ:x960",
    "medium": "eba_ZZ:x961",
    "easy": "eba_ZZ:x962",
}
COLUMNS = {
    "b_01.01": 6,
    "b_02.01": 5,
    "b_02.02": 18,
    "b_05.01": 9,
    "b_05.02": 7,
    "b_06.01": 10,
    "b_07.01": 12,
}


@dataclass
class Register:
    """The templates' rows (EBA column code -> value) and what is missing before submission."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    missing: list[Missing] = field(default_factory=list)
    entity: dict[str, str] = field(default_factory=dict)  # the registry's entity block


def _code(prefix: str, value: Any) -> str:
    return f"{prefix}:{value}" if value else ""


def _row(*values: Any) -> dict[str, Any]:
    return {f"c{(i + 1) * 10:04d}": "" if v is None else v for i, v in enumerate(values)}


def build_register(session: Session, reported: dt.date) -> Register:
    """Every template from the registry, plus the missing mandatory fields."""
    data = read_register(session)
    vendors, entity = data.vendors, data.entity
    functions = _functions(vendors)
    lei_by_name = {v.name.casefold(): v.dora.get("lei", "") for v in vendors}
    entity_lei = entity.get("lei", "")
    reg = Register(missing=missing_fields(entity, vendors), entity=dict(entity))
    reg.tables["b_01.01"] = [
        _row(
            entity_lei,
            entity.get("name"),
            _code("eba_GA", entity.get("country")),
            "",
            entity.get("authority"),
            reported.isoformat(),
        )
    ]
    reg.tables["b_05.01"] = [_provider(v, lei_by_name) for v in vendors]
    reg.tables["b_06.01"] = [
        _row(fid, "", name, entity_lei, YES, "", "", "", "", "") for name, fid in functions.items()
    ]
    contracted = [v for v in vendors if v.dora.get("contract", {}).get("ref")]
    reg.tables["b_02.01"] = [_contract(v) for v in contracted]
    reg.tables["b_02.02"] = [_specific(v, entity_lei, functions) for v in contracted]
    reg.tables["b_05.02"] = [
        _row(_ref(v), _code("eba_TA", v.dora.get("ict_service")), *_provider_id(v), 1, "", "") for v in contracted
    ]
    reg.tables["b_07.01"] = [_assessment(v) for v in contracted]
    return reg


def _ref(v: VendorSpec) -> str:
    return str(v.dora.get("contract", {}).get("ref", ""))


def _provider_id(v: VendorSpec) -> tuple[str, str]:
    lei = v.dora.get("lei", "")
    return lei, LEI_CODE if lei else ""


def _functions(vendors: list[VendorSpec]) -> dict[str, str]:
    """Each supported function with its identifier F1, F2... (by name, stable between runs)."""
    names = sorted({v.dora["critical_function"] for v in vendors if v.dora.get("critical_function")}, key=str.casefold)
    return {name: f"F{i}" for i, name in enumerate(names, 1)}


def _provider(v: VendorSpec, lei_by_name: dict[str, str]) -> dict[str, Any]:
    contract = v.dora.get("contract", {})
    parent = v.dora.get("parent", "")
    # The ultimate parent is written by LEI or by the name of another vendor in the registry.
    parent_lei = lei_by_name.get(parent.casefold(), "") or (parent.upper() if is_lei(parent) else "")
    return _row(
        *_provider_id(v),
        v.name,
        LEGAL_PERSON,
        _code("eba_GA", v.dora.get("country")),
        _code("eba_CU", contract.get("currency")),
        contract.get("annual_cost"),
        parent_lei,
        LEI_CODE if parent_lei else "",
    )


def _contract(v: VendorSpec) -> dict[str, Any]:
    contract = v.dora["contract"]
    return _row(
        contract["ref"], "eba_CO:x1", "", _code("eba_CU", contract.get("currency")), contract.get("annual_cost")
    )


def _specific(v: VendorSpec, entity_lei: str, functions: dict[str, str]) -> dict[str, Any]:
    contract, where = v.dora["contract"], v.dora.get("data_location", [])
    end = contract.get("end") or (OPEN_END if contract.get("start") else "")
    return _row(
        contract["ref"],
        entity_lei,
        *_provider_id(v),
        functions.get(v.dora.get("critical_function", ""), ""),
        _code("eba_TA", v.dora.get("ict_service")),
        contract.get("start"),
        end,
        "",
        "",
        "",
        "",
        _code("eba_GA", v.dora.get("country")),
        YES if where else "",
        _code("eba_GA", where[0] if where else ""),
        "",
        "",
        "",
    )


def _assessment(v: VendorSpec) -> dict[str, Any]:
    flag = v.dora.get("exit_plan")
    return _row(
        _ref(v),
        *_provider_id(v),
        _code("eba_TA", v.dora.get("ict_service")),
        SUBSTITUTABILITY.get(v.dora.get("substitutability", ""), ""),
        "",
        v.dora.get("last_audit"),
        "" if flag is None else YES if flag else NO,
        "",
        "",
        "",
        "",
    )


def table_csv(name: str, rows: list[dict[str, Any]]) -> str:
    """One template as CSV: the EBA column codes as header, cells safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[f"c{(i + 1) * 10:04d}" for i in range(COLUMNS[name])], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise(v) for k, v in row.items()})
    return out.getvalue()


def write_validation(reg: Register, directory: Path) -> Path:
    """Write validation.csv: each mandatory field still missing (outside the package: it is not submitted)."""
    path = directory / "validation.csv"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["vendor", "template", "column", "field", "problem"])
    writer.writerows([[neutralise(c) for c in m.cells()] for m in reg.missing])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path
