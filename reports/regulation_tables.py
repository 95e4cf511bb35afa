"""The regulatory view's tables in the board report's appendix (cells formatted, constant columns dropped)."""

from __future__ import annotations

from collections.abc import Sequence

from reports.regulation import ClockTally, GroupShare, MissedClock
from reports.render import _pct
from reports.tables import Column, Table, table

REGIME_NAMES = {"dora": "DORA", "nis2": "NIS2", "sec": "SEC"}


def group_table(head: str, rows: Sequence[GroupShare], top: int) -> Table:
    """Providers, critical dependencies and people of each group (provider, ultimate parent or country)."""
    cols = (
        Column(head, 40, keep=True),
        Column("Providers", 12, True),
        Column("Critical deps", 14, True, True),
        Column("Critical share", 14, True, True),
        Column("People", 10, True),
        Column("People share", 12, True),
    )
    cells = [
        (g.name, str(g.providers), str(g.critical_deps), _pct(g.critical_share), f"{g.people:,}", _pct(g.people_share))
        for g in rows[:top]
    ]
    return table(cols, cells)


def clocks_table(tallies: Sequence[ClockTally]) -> Table:
    """Per regime: the steps due in the quarter, met, missed and not yet due."""
    cols = (
        Column("Regime", 25, keep=True),
        Column("Due in the quarter", 25, True, True),
        Column("Met", 15, True, True),
        Column("Missed", 15, True, True),
        Column("Not yet due", 20, True, True),
    )
    rows = [(REGIME_NAMES[t.regime], str(t.due), str(t.met), str(t.missed), str(t.pending)) for t in tallies]
    return table(cols, rows)


def missed_line(m: MissedClock) -> str:
    """One missed step, e.g. '#4 Okta: DORA initial notification due 2026-11-26 09:00 UTC, not recorded as sent'."""
    due = m.due.strftime("%Y-%m-%d %H:%M UTC")
    sent = f"sent {m.submitted_at.strftime('%Y-%m-%d %H:%M UTC')}" if m.submitted_at else "not recorded as sent"
    return f"#{m.incident_id} {m.vendor}: {m.label} due {due}, {sent}"
