"""What the DORA register still lacks before submission: each mandatory field missing, per vendor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from registry.repo.register import VendorSpec, is_lei

ENTITY = "(entity)"
NOT_HELD = "(every row)"
# Registry field -> (template, EBA column) it fills; mandatory for every ICT third-party provider.
VENDOR_FIELDS = (
    ("lei", "b_05.01", "c0010"),
    ("country", "b_05.01", "c0050"),
    ("contract.ref", "b_02.01", "c0010"),
    ("contract.currency", "b_02.01", "c0040"),
    ("contract.annual_cost", "b_02.01", "c0050"),
    ("critical_function", "b_02.02", "c0050"),
    ("ict_service", "b_02.02", "c0060"),
    ("contract.start", "b_02.02", "c0070"),
    ("substitutability", "b_07.01", "c0050"),
    ("last_audit", "b_07.01", "c0070"),
    ("exit_plan", "b_07.01", "c0080"),
)
ENTITY_FIELDS = (("lei", "c0010"), ("name", "c0020"), ("country", "c0030"), ("authority", "c0050"))
# Mandatory columns the registry does not hold at all: to be completed in the submission tool.
NOT_IN_REGISTRY = (
    ("b_01.01", "c0040", "type of entity"),
    ("b_06.01", "c0020", "licensed activity"),
    ("b_06.01", "c0070", "date of the last criticality assessment"),
    ("b_06.01", "c0080", "recovery time objective"),
    ("b_06.01", "c0090", "recovery point objective"),
    ("b_06.01", "c0100", "impact of discontinuing the function"),
    ("b_07.01", "c0090", "possibility of reintegration"),
    ("b_07.01", "c0100", "impact of discontinuing the service"),
    ("b_07.01", "c0110", "alternative providers identified"),
)


@dataclass(frozen=True)
class Missing:
    """One mandatory field that is empty."""

    vendor: str
    template: str
    column: str
    field: str
    problem: str

    def cells(self) -> list[str]:
        """The row of validation.csv."""
        return [self.vendor, self.template, self.column, self.field, self.problem]


def _value(dora: dict[str, Any], name: str) -> Any:
    if name.startswith("contract."):
        return dora.get("contract", {}).get(name.removeprefix("contract."))
    return dora.get(name)


def missing_fields(entity: dict[str, str], vendors: list[VendorSpec]) -> list[Missing]:
    """Every mandatory field missing: the entity's, each vendor's, then the columns no registry holds."""
    found = [
        Missing(ENTITY, "b_01.01", column, f"entity.{name}", "missing")
        for name, column in ENTITY_FIELDS
        if not entity.get(name)
    ]
    names = {v.name.casefold(): v for v in vendors}
    for v in vendors:
        found += [
            Missing(v.name, template, column, name, "missing")
            for name, template, column in VENDOR_FIELDS
            if _value(v.dora, name) in (None, "")
        ]
        parent = v.dora.get("parent", "")
        known = names.get(parent.casefold())
        if parent and not is_lei(parent) and not (known and known.dora.get("lei")):
            found.append(Missing(v.name, "b_05.01", "c0080", "parent", f"no LEI known for the parent {parent!r}"))
        if v.dora.get("substitutability") in ("not-substitutable", "difficult"):
            found.append(
                Missing(v.name, "b_07.01", "c0060", "", "reason it is hard to substitute (not in the registry)")
            )
    found += [Missing(NOT_HELD, t, c, "", f"{what} (not in the registry)") for t, c, what in NOT_IN_REGISTRY]
    return found
