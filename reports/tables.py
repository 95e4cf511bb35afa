"""Report tables as data: columns constant across every row are dropped and stated once beneath."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    """A column: its header, relative width and whether it holds numbers (right-aligned)."""

    head: str
    weight: float
    num: bool = False
    keep: bool = False  # never dropped (e.g. the vendor name)


@dataclass(frozen=True)
class Table:
    """Rows of already formatted cells under columns, with widths in percent."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    constant: tuple[str, ...] = field(default=())  # "Binding 1.0": dropped columns and their one value

    @property
    def widths(self) -> tuple[float, ...]:
        """Column widths in percent of the table, from the weights."""
        total = sum(c.weight for c in self.columns) or 1.0
        return tuple(round(100 * c.weight / total, 1) for c in self.columns)


def table(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> Table:
    """A table without the columns whose value is the same on every row (when there are two rows or more)."""
    cols, data = list(columns), [tuple(r) for r in rows]
    drop = [i for i, c in enumerate(cols) if not c.keep and len(data) > 1 and len({r[i] for r in data}) == 1]
    keep = [i for i in range(len(cols)) if i not in drop]
    return Table(
        tuple(cols[i] for i in keep),
        tuple(tuple(r[i] for i in keep) for r in data),
        tuple(f"{cols[i].head} {data[0][i]}" for i in drop),
    )
