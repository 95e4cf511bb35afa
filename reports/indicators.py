"""Page 1 of the board report: the four board indicators, the overall status and the quarter's incidents.

Every tile, sentence and line on the summary pages comes from this model, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reports.concentration import Concentration, VendorShare
from reports.exposure import Blast
from reports.history import PastRegistry
from reports.metrics import BoardMetrics, IncidentRow
from reports.render import _hours, _pct
from reports.trends import TrendPoint

RANK = {"green": 0, "amber": 1, "red": 2}
DETECT_GREEN_H, DETECT_AMBER_H = 1.0, 24.0  # "within minutes" is the promise; a day is the outer bound
DOMINANT_SHARE = 0.5  # one vendor in front of half our people or critical access dominates, whatever the HHI
BLAST_AMBER, BLAST_RED = 0.25, 0.5
CLIP_CHARS = 60
NO_HISTORY = "no data for {q}: no registry snapshot by its end"


@dataclass(frozen=True)
class Indicator:
    """One board indicator: status (red|amber|green|none), value, change since the previous quarter, reason."""

    name: str
    status: str
    value: str
    change: str
    reason: str
    short: str = ""  # the clause the overall status sentence uses; defaults to the reason


@dataclass(frozen=True)
class LateTask:
    """A rotation task that missed its deadline (closed late or still open past it)."""

    incident_id: int
    vendor: str
    title: str
    owner: str
    late: str
    still_open: bool


def clip(text: str, limit: int = CLIP_CHARS) -> str:
    """Text cut to `limit` characters with an ellipsis, so one long title cannot push page 1 over."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plural(n: int, word: str) -> str:
    """ "1 task", "2 tasks"."""
    return f"{n} {word}{'s' * (n != 1)}"


def _arrow(delta: float, text: str) -> str:
    return ("▲ " if delta > 0 else "▼ " if delta < 0 else "► ") + text


def late_tasks(rows: Sequence[IncidentRow], m: BoardMetrics) -> list[LateTask]:
    """The quarter's incidents' tasks that missed their deadline, latest first."""
    found = []
    for r in rows:
        for t in r.incident.tasks:
            if t.late_hours is not None:
                found.append(
                    (
                        t.late_hours,
                        LateTask(
                            r.incident.id,
                            r.incident.vendor,
                            t.title,
                            t.owner,
                            f"closed {_hours(t.late_hours)} late",
                            False,
                        ),
                    )
                )
            elif t.open_at(m.as_of) and t.due_at < m.as_of:
                hours = (m.as_of - t.due_at).total_seconds() / 3600.0
                found.append(
                    (
                        hours,
                        LateTask(
                            r.incident.id, r.incident.vendor, t.title, t.owner, f"open, {_hours(hours)} past due", True
                        ),
                    )
                )
    return [late for _, late in sorted(found, key=lambda f: -f[0])]


def detect_indicator(cur: TrendPoint, prev: TrendPoint) -> Indicator:
    """Median vendor-disclosure-to-alert time over the quarter's incidents that were not back-filled."""
    name = "Time to detect"
    skipped = f"; {cur.backfilled} back-filled not counted" if cur.backfilled else ""
    if not cur.covered:
        return Indicator(name, "none", "no data", f"vendorwatch was not running in {cur.quarter}", "")
    if cur.median_ttd_hours is None:
        why = "no incident measurable" if cur.incidents else "no vendor incident"
        return Indicator(name, "none", "no data", _prev_ttd(cur, prev), f"{why} in {cur.quarter}{skipped}")
    v = cur.median_ttd_hours
    status = "green" if v <= DETECT_GREEN_H else "amber" if v <= DETECT_AMBER_H else "red"
    reason = f"median {_hours(v)} from the vendor's disclosure to our alert (target 1 h){skipped}"
    short = f"we detect vendor incidents in {_hours(v)} (median; target 1 h)"
    return Indicator(name, status, _hours(v), _prev_ttd(cur, prev), reason, short)


def _prev_ttd(cur: TrendPoint, prev: TrendPoint) -> str:
    if not prev.covered:
        return f"no data for {prev.quarter}: vendorwatch was not running"
    if prev.median_ttd_hours is None or cur.median_ttd_hours is None:
        return f"no measured incident in {prev.quarter if prev.median_ttd_hours is None else cur.quarter}"
    delta = cur.median_ttd_hours - prev.median_ttd_hours
    return _arrow(delta, f"{_hours(abs(delta))} vs {prev.quarter} ({_hours(prev.median_ttd_hours)})")


def revoke_indicator(cur: TrendPoint, prev: TrendPoint, late: Sequence[LateTask]) -> Indicator:
    """Incidents whose rotation tasks all closed within the SLA, naming the tasks that were late."""
    name = "Time to revoke against SLA"
    if not cur.covered:
        return Indicator(name, "none", "no data", f"vendorwatch was not running in {cur.quarter}", "")
    if not cur.sla_known:
        return Indicator(name, "none", "no data", _prev_sla(prev), f"no incident with a settled SLA in {cur.quarter}")
    # No median time beside it: a quick median next to "0 within SLA" reads as a contradiction.
    value = f"{cur.sla_met} of {cur.sla_known} within SLA"
    status = "green" if not cur.sla_missed else "red"
    names = "; ".join(f"{clip(t.title)} (#{t.incident_id} {t.vendor}, {t.late})" for t in late[:3])
    more = f" and {len(late) - 3} more" if len(late) > 3 else ""
    reason = f"late: {names}{more}" if late else "every rotation task closed by its deadline"
    still = sum(t.still_open for t in late)
    due = " due so far" if cur.sla_known < cur.incidents else ""  # the others have not reached their deadline yet
    short = (
        f"{cur.sla_missed} of {cur.sla_known} incidents{due} missed the revocation SLA "
        f"({plural(len(late), 'task')} late, {still} of them still open)"
    )
    return Indicator(name, status, value, _prev_sla(prev, cur), reason, short)


def _prev_sla(prev: TrendPoint, cur: TrendPoint | None = None) -> str:
    if not prev.covered:
        return f"no data for {prev.quarter}: vendorwatch was not running"
    if not prev.sla_known or cur is None:
        return f"no incident with a settled SLA in {prev.quarter}"
    delta = cur.sla_met / cur.sla_known - prev.sla_met / prev.sla_known
    return _arrow(delta, f"{abs(round(100 * delta))} pts vs {prev.quarter} ({prev.sla_met} of {prev.sla_known})")


def leader(c: Concentration) -> VendorShare | None:
    """The vendor in front of most people and critical access together (None for an empty registry)."""
    # Both shares count: the IdP in front of 99% of people and 22% of critical access outranks a tool
    # everyone has installed that holds less critical access.
    return max(c.shares, key=lambda s: (s.users_share + s.critical_share, s.vendor), default=None)


def dominant(c: Concentration) -> VendorShare | None:
    """The vendor in front of most people or most critical access, when it holds at least half of either."""
    top = leader(c)
    return top if top is not None and max(top.users_share, top.critical_share) >= DOMINANT_SHARE else None


def _points(now: float, then: float, quarter: str, was: str) -> str:
    """ "▲ 4 pts vs 2026Q3 (Okta: 95%)", or "► unchanged vs ..." when the rounded shares agree."""
    delta = round(100 * now) - round(100 * then)
    if not delta:
        return f"► unchanged vs {quarter} ({was})"
    return _arrow(delta, f"{abs(delta)} pts vs {quarter} ({was})")


def _concentration_change(c: Concentration, past: PastRegistry | None, quarter: str) -> str:
    if past is None:
        return NO_HISTORY.format(q=quarter)
    top, then = dominant(c), leader(past.concentration)
    if top is None or then is None:  # today's figure is the HHI: compare it
        delta = c.hhi - past.concentration.hhi
        was = f"HHI {past.concentration.hhi:,}"
        return _arrow(delta, f"{abs(delta):,} vs {quarter} ({was})") if delta else f"► unchanged vs {quarter} ({was})"
    return _points(top.users_share, then.users_share, quarter, f"{then.vendor}: {_pct(then.users_share, 0)}")


def concentration_headline(c: Concentration) -> tuple[str, str]:
    """(status, one sentence): one vendor dominating people or critical access makes it concentrated."""
    top = dominant(c)
    spof = {s.vendor for s in c.single_points}
    if top is not None:
        alone = " and nothing else in its category could take over" if top.vendor in spof else ""
        hhi = "" if c.hhi > 1800 else f" (the spread index HHI of {c.hhi:,} alone would read {c.hhi_band})"
        return ("red" if alone else "amber"), (
            f"Concentrated: {top.vendor} sits in front of {_pct(top.users_share, 0)} of our people and holds "
            f"{_pct(top.critical_share, 0)} of our critical access{alone}{hhi}."
        )
    if c.hhi > 1000:
        return "amber", f"Concentrated: our dependencies are spread over few vendors (HHI {c.hhi:,}, {c.hhi_band})."
    return "green", f"Not concentrated: no vendor holds half of our people or critical access (HHI {c.hhi:,})."


def concentration_indicator(c: Concentration, prev: TrendPoint, past: PastRegistry | None = None) -> Indicator:
    """Identity concentration: the reconciled headline, and its change since the registry at `prev`'s end."""
    status, sentence = concentration_headline(c)
    top = dominant(c)
    value = f"{top.vendor}: {_pct(top.users_share, 0)} of people" if top else f"HHI {c.hhi:,}"
    short = f"{top.vendor} sits in front of {_pct(top.users_share, 0)} of our people" if top else sentence
    change = _concentration_change(c, past, prev.quarter)
    return Indicator("Identity concentration", status, value, change, sentence, short)


def blast_indicator(blast: Blast | None, prev: TrendPoint, past: PastRegistry | None = None) -> Indicator:
    """Tenant isolation: the largest share of our dependencies one vendor's breach would reach, and its change."""
    if blast is None:
        return Indicator("Tenant isolation (blast radius)", "none", "no data", "", "no vendor in the registry")
    b = blast.radius
    status = "red" if b >= BLAST_RED else "amber" if b >= BLAST_AMBER else "green"
    reason = (
        f"a breach of {blast.vendor} reaches {blast.exposed_deps} of our {blast.total_deps} dependencies, "
        f"its own and those of the vendors it connects to"
    )
    value = f"{blast.vendor}: {_pct(b, 0)}"
    short = f"a breach of {blast.vendor} reaches {_pct(b, 0)} of our dependencies"
    then = past.blast if past is not None else None
    change = NO_HISTORY.format(q=prev.quarter)
    if then is not None:
        change = _points(b, then.radius, prev.quarter, f"{then.vendor}: {_pct(then.radius, 0)}")
    elif past is not None:
        change = f"no vendor in the registry at the end of {prev.quarter}"
    return Indicator("Tenant isolation (blast radius)", status, value, change, reason, short)
