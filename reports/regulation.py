"""The board report's regulatory view: ICT concentration by provider, ultimate parent and country (from the
same registry fields as `report dora-roi`), and each regime's reporting clocks met and missed in the quarter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from registry.repo import clocks
from registry.repo.register import VendorSpec, is_lei, read_register
from reports.concentration import is_critical
from reports.exposure import headcount
from reports.facts import VendorFacts
from reports.quarters import Quarter

UNKNOWN_COUNTRY = "(country not recorded)"


@dataclass(frozen=True)
class GroupShare:
    """One provider, ultimate parent or country: its providers, critical dependencies and people."""

    name: str
    providers: int
    critical_deps: int
    critical_share: float
    people: int  # the most users behind any one of its providers (the same people use several)
    people_share: float


@dataclass(frozen=True)
class ProviderConcentration:
    """Critical dependencies and people grouped three ways, largest critical share first."""

    by_provider: list[GroupShare]
    by_parent: list[GroupShare]
    by_country: list[GroupShare]
    total_critical: int
    people: int
    parents_differ: bool = True  # False: every provider is its own ultimate parent (by parent = by provider)


@dataclass(frozen=True)
class ClockTally:
    """One regime's reporting steps due in the quarter."""

    regime: str
    due: int
    met: int
    missed: int  # submitted late, or passed without a recorded submission
    pending: int  # not yet due


@dataclass(frozen=True)
class MissedClock:
    """A step that was missed: submitted after its deadline, or not recorded as submitted."""

    incident_id: int
    vendor: str
    label: str
    due: datetime
    submitted_at: datetime | None


@dataclass(frozen=True)
class Regulation:
    """What the board report says about the regulatory obligations the registry serves."""

    concentration: ProviderConcentration
    regimes: tuple[str, ...]
    clocks: list[ClockTally]
    missed: list[MissedClock]

    @property
    def missed_count(self) -> int:
        """Steps missed in the quarter, over every regime."""
        return sum(t.missed for t in self.clocks)

    @property
    def due_count(self) -> int:
        """Steps due in the quarter, over every regime."""
        return sum(t.due for t in self.clocks)


def ultimate_parents(specs: Sequence[VendorSpec]) -> dict[str, str]:
    """Vendor name -> its ultimate parent: a registry vendor (by name or LEI) followed up the chain, else the
    parent as written; a vendor without a parent is its own parent."""
    by_name = {v.name.casefold(): v for v in specs}
    by_lei = {str(v.dora["lei"]).upper(): v for v in specs if v.dora.get("lei")}

    def up(v: VendorSpec) -> VendorSpec | str | None:
        parent = str(v.dora.get("parent") or "")
        if not parent:
            return None
        return by_name.get(parent.casefold()) or by_lei.get(parent.upper()) or parent

    result: dict[str, str] = {}
    for v in specs:
        current: VendorSpec | str = v
        seen = {v.name}
        while isinstance(current, VendorSpec) and (nxt := up(current)) is not None:
            if isinstance(nxt, VendorSpec) and nxt.name in seen:
                break  # a loop in the registry: stop at the last vendor before it
            current = nxt
            if isinstance(current, VendorSpec):
                seen.add(current.name)
        result[v.name] = current.name if isinstance(current, VendorSpec) else _external(current)
    return result


def _external(parent: str) -> str:
    return f"LEI {parent.upper()}" if is_lei(parent) else parent


def _groups(
    vendors: Sequence[VendorFacts], key: Callable[[VendorFacts], str], total: int, people: int
) -> list[GroupShare]:
    members: dict[str, list[VendorFacts]] = {}
    for v in vendors:
        members.setdefault(key(v), []).append(v)
    rows = []
    for name, group in members.items():
        crit = sum(is_critical(v, d) for v in group for d in v.deps)
        most = max(v.people for v in group)
        rows.append(
            GroupShare(name, len(group), crit, crit / total if total else 0.0, most, most / people if people else 0.0)
        )
    return sorted(rows, key=lambda g: (-g.critical_deps, -g.people, g.name.casefold()))


def provider_concentration(specs: Sequence[VendorSpec], vendors: Sequence[VendorFacts]) -> ProviderConcentration:
    """Critical dependencies and people by ICT provider, by ultimate parent and by country of headquarters."""
    dora = {v.name: v.dora for v in specs}
    parents = ultimate_parents(specs)
    total = sum(is_critical(v, d) for v in vendors for d in v.deps)
    people = headcount(vendors)

    def provider(v: VendorFacts) -> str:
        lei = dora.get(v.name, {}).get("lei")
        return f"{v.name} ({lei})" if lei else v.name

    return ProviderConcentration(
        _groups(vendors, provider, total, people),
        _groups(vendors, lambda v: parents.get(v.name, v.name), total, people),
        _groups(vendors, lambda v: str(dora.get(v.name, {}).get("country") or UNKNOWN_COUNTRY), total, people),
        total,
        people,
        any(parents.get(v.name, v.name) != v.name for v in vendors),
    )


def clock_tallies(
    deadlines: Iterable[clocks.Deadline],
    regimes: Sequence[str],
    quarter: Quarter,
    now: datetime,
    vendor_of: dict[int, str],
) -> tuple[list[ClockTally], list[MissedClock]]:
    """Per regime, the steps due in the quarter met, missed and pending; the missed ones, by due time."""
    in_quarter = [d for d in deadlines if quarter.contains(d.due)]
    tallies, missed = [], []
    for regime in regimes:
        mine = [d for d in in_quarter if d.regime == regime]
        states = [d.status(now) for d in mine]
        tallies.append(
            ClockTally(
                regime,
                len(mine),
                states.count("met"),
                states.count("late") + states.count("overdue"),
                states.count("pending") + states.count("due-soon"),
            )
        )
        missed += [
            MissedClock(d.incident_id, vendor_of.get(d.incident_id, "?"), d.label, d.due, d.submitted_at)
            for d, state in zip(mine, states, strict=True)
            if state in ("late", "overdue")
        ]
    return tallies, sorted(missed, key=lambda m: (m.due, m.incident_id))


def regulation(
    session: Session,
    vendors: Sequence[VendorFacts],
    regimes: Sequence[str],
    quarter: Quarter,
    now: datetime,
    vendor_of: dict[int, str],
) -> Regulation:
    """The regulatory view of the quarter; `vendor_of` names each incident's vendor."""
    wanted = tuple(r for r in clocks.REGIMES if r in set(regimes))
    steps = clocks.deadlines(session, wanted, skip_dismissed=True)
    tallies, missed = clock_tallies(steps, wanted, quarter, now, vendor_of)
    return Regulation(provider_concentration(read_register(session).vendors, vendors), wanted, tallies, missed)
