"""Registry history: a compact snapshot of the registry's shape after each change, checked at most daily.

Reports compare quarters with it (identity concentration, blast radius at the previous quarter's end). A
snapshot holds from `taken_at` until the next one, so an unchanged registry adds no row: the latest row is
only marked as checked again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session, col

from registry.models import Dependency, RegistrySnapshot, Vendor
from registry.vocab import Criticality, parse

DAILY = timedelta(days=1)


@dataclass(frozen=True)
class VendorTally:
    """What the quarter-on-quarter figures need of one vendor: counts, people, and whom it reaches."""

    name: str
    category: str
    criticality: Criticality
    users: int  # the vendor's own figure
    dep_users: int  # the sum over its dependencies
    deps: int
    admin_deps: int
    reaches: tuple[str, ...]  # names its dependencies reach, sorted and without repeats


def tallies(session: Session) -> list[VendorTally]:
    """Every vendor's tally, by name (two reads: vendors, then their dependencies)."""
    per: dict[int, list[Dependency]] = {}
    for d in session.execute(select(Dependency)).scalars():
        per.setdefault(d.vendor_id, []).append(d)
    result = []
    for v in session.execute(select(Vendor).order_by(col(Vendor.name))).scalars():
        deps = per.get(v.id or 0, [])
        result.append(
            VendorTally(
                name=v.name,
                category=v.category,
                criticality=v.criticality,
                users=v.users,
                dep_users=sum(d.users for d in deps),
                deps=len(deps),
                admin_deps=sum(d.privilege_scope == "admin" for d in deps),
                reaches=tuple(sorted({name for d in deps for name in d.reaches or ()})),
            )
        )
    return result


def _row(t: VendorTally) -> dict[str, object]:
    return {**asdict(t), "reaches": list(t.reaches)}


def latest(session: Session) -> RegistrySnapshot | None:
    """The most recent snapshot."""
    query = select(RegistrySnapshot).order_by(col(RegistrySnapshot.taken_at).desc(), col(RegistrySnapshot.id).desc())
    return session.execute(query.limit(1)).scalars().first()


def record(session: Session, now: datetime, *, at_most_every: timedelta | None = None) -> RegistrySnapshot | None:
    """Snapshot the registry as of `now`: a new row if it changed since the latest, else that row re-checked.

    With `at_most_every`, when the latest check is younger than that, only its time is read (the poll path:
    every tick of every worker), and None is returned.
    """
    if at_most_every is not None:
        checked = select(col(RegistrySnapshot.checked_at)).order_by(col(RegistrySnapshot.checked_at).desc()).limit(1)
        when = session.execute(checked).scalar()
        if when is not None and now - when < at_most_every:
            return None
    last = latest(session)
    found = tallies(session)
    rows = [_row(t) for t in found]
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()
    if last is not None and last.digest == digest:
        last.checked_at = max(last.checked_at, now)
        return last
    snap = RegistrySnapshot(
        taken_at=now,
        checked_at=now,
        digest=digest,
        vendors=len(found),
        dependencies=sum(t.deps for t in found),
        tallies=rows,
    )
    session.add(snap)
    session.flush()
    return snap


@dataclass(frozen=True)
class Snapshot:
    """The registry's tallies as they stood from `taken_at`."""

    taken_at: datetime
    tallies: list[VendorTally]


def before(session: Session, when: datetime) -> Snapshot | None:
    """The registry's tallies just before `when` (e.g. a quarter's end): the latest snapshot taken before it.

    None when no snapshot is that old (vendorwatch kept no history then).
    """
    query = (
        select(RegistrySnapshot)
        .where(col(RegistrySnapshot.taken_at) < when)
        .order_by(col(RegistrySnapshot.taken_at).desc(), col(RegistrySnapshot.id).desc())
    )
    snap = session.execute(query.limit(1)).scalars().first()
    if snap is None:
        return None
    where = f"the database's registry_snapshot {snap.id}"
    return Snapshot(
        snap.taken_at,
        [
            VendorTally(
                **{
                    **r,
                    "criticality": parse(Criticality, str(r.get("criticality")), where=f"{where} criticality"),
                    "reaches": tuple(r.get("reaches", ())),
                }
            )
            for r in snap.tallies
        ],
    )


def count(session: Session) -> int:
    """How many snapshots are stored."""
    return int(session.execute(select(func.count(col(RegistrySnapshot.id)))).scalar_one())
