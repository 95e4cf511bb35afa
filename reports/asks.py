"""Page 2 rules: the top three risks in plain words and what we ask of the board (accept, fund, replace)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from reports.indicators import BLAST_RED, RANK, Indicator, clip, dominant, plural
from reports.metrics import BoardMetrics
from reports.render import _hours, _pct

FALLBACK_OWNER = "CISO"
TOP_RISKS = 3


@dataclass(frozen=True)
class Risk:
    """One of the top risks, in plain words."""

    status: str
    title: str
    text: str


@dataclass(frozen=True)
class Ask:
    """A decision asked of the board: accept, fund or replace, with who carries it out."""

    decision: str
    subject: str
    text: str
    owner: str


def owner_of(m: BoardMetrics, vendor: str) -> str:
    """The vendor's owner in the registry, or the CISO when none is recorded."""
    return m.owners.get(vendor) or FALLBACK_OWNER


def _names(names: Sequence[str], limit: int = 3) -> str:
    unique = [clip(n, 40) for n in dict.fromkeys(names)]
    more = f" and {len(unique) - limit} more" if len(unique) > limit else ""
    return ", ".join(unique[:limit]) + more


def _is(n: int) -> str:
    return "is" if n == 1 else "are"


def _candidates(m: BoardMetrics, ind: Sequence[Indicator]) -> list[Risk]:
    detect, revoke, conc, blast = ind
    c, found = m.concentration, []
    top = dominant(c)
    if top is not None:
        spof = (
            " and no other vendor of its kind holds critical access to take over"
            if top.vendor in {s.vendor for s in c.single_points}
            else ""
        )
        found.append(
            Risk(
                conc.status,
                f"Everyone signs in through {top.vendor}",
                f"If {top.vendor} is breached or down, {_pct(top.users_share, 0)} of our people are exposed "
                f"or locked out{spof}.",
            )
        )
    if m.overdue_tasks:
        oldest, n = m.overdue_list[0], m.overdue_tasks
        found.append(
            Risk(
                "red",
                "Exposed credentials still work",
                f"{plural(n, 'credential rotation')} {_is(n)} past the deadline (the oldest by "
                f"{_hours(oldest.hours_overdue)}); until done, credentials exposed at "
                f"{_names([r.vendor for r in m.overdue_list])} can still be used.",
            )
        )
    if revoke.status == "red":
        found.append(
            Risk(
                "red",
                "We revoke too slowly",
                f"{revoke.short[0].upper()}{revoke.short[1:]}; page 1 names the latest tasks.",
            )
        )
    if detect.status in ("red", "amber"):
        found.append(
            Risk(
                detect.status,
                "We learn of breaches late",
                f"We alerted a median {detect.value} after the vendor disclosed; an attacker holding our "
                f"tokens had that long before we started revoking.",
            )
        )
    if blast.status in ("red", "amber"):
        found.append(Risk(blast.status, "One breach reaches far", f"{blast.reason[0].upper()}{blast.reason[1:]}."))
    if m.overdue_reviews:
        never, n = sum(r.days_overdue is None for r in m.overdue_reviews), len(m.overdue_reviews)
        found.append(
            Risk(
                "amber",
                "Vendors we have not checked",
                f"{plural(n, 'vendor review')} {_is(n)} due ({never} never reviewed): we rely on "
                f"them without a current check.",
            )
        )
    return found


def risks(m: BoardMetrics, indicators: Sequence[Indicator]) -> list[Risk]:
    """The three most severe risks (red before amber; stable in the order above)."""
    found = _candidates(m, indicators)
    return sorted(found, key=lambda r: -RANK.get(r.status, -1))[:TOP_RISKS]


def asks(m: BoardMetrics) -> list[Ask]:
    """Decisions with owners, each tied to a figure on page 1."""
    result = []
    top = dominant(m.concentration)
    if top is not None:
        result.append(
            Ask(
                "Accept",
                top.vendor,
                f"Accept {top.vendor} in front of {_pct(top.users_share, 0)} of our people for another year, "
                f"on condition that break-glass access is tested every quarter; otherwise fund a second "
                f"provider.",
                owner_of(m, top.vendor),
            )
        )
    if m.overdue_tasks:
        owners = Counter(r.task.owner or FALLBACK_OWNER for r in m.overdue_list)
        result.append(
            Ask(
                "Fund",
                "overdue rotations",
                f"Fund the clean-up of {plural(m.overdue_tasks, 'overdue rotation')} within 30 days.",
                _names([o for o, _ in owners.most_common()], 2),
            )
        )
    hit = {r.incident.vendor for r in m.incidents if r.sla_state in ("missed", "overdue")}
    # Replacing is only worth asking about for a vendor that matters: critical access or a wide blast radius.
    critical = {v.vendor for v in m.concentration.shares if v.critical_deps}
    hit = {v for v in hit if v in critical} | {
        e.vendor for e in m.exposure if e.vendor in hit and e.blast_radius >= BLAST_RED
    }
    worst = next((e for e in m.exposure if e.vendor in hit), None)
    if worst is not None:
        result.append(
            Ask(
                "Replace",
                worst.vendor,
                f"Decide whether to replace or re-contract {worst.vendor}: breached this quarter, "
                f"its clean-up "
                f"missed its SLA, and a breach there reaches {_pct(worst.blast_radius, 0)} of our "
                f"dependencies.",
                owner_of(m, worst.vendor),
            )
        )
    if not result:
        result.append(Ask("Accept", "this report", "No decision is needed this quarter.", FALLBACK_OWNER))
    return result
