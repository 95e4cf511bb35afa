"""Calendar quarters ("2026Q4"): parsing, bounds and the quarters before one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


class QuarterError(ValueError):
    """A quarter string is not of the form 2026Q4."""


@dataclass(frozen=True, order=True)
class Quarter:
    """One calendar quarter in UTC."""

    year: int
    q: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Parse "2026Q4" (case-insensitive); raises QuarterError otherwise."""
        m = _QUARTER.match(text.strip().upper())
        if not m:
            raise QuarterError(f"quarter must look like 2026Q4, got {text!r}")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def containing(cls, when: datetime) -> Quarter:
        """The quarter a moment falls in."""
        when = when.astimezone(UTC)
        return cls(when.year, (when.month - 1) // 3 + 1)

    @property
    def start(self) -> datetime:
        """First instant of the quarter."""
        return datetime(self.year, 3 * self.q - 2, 1, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        """First instant after the quarter."""
        return self.next().start

    def next(self) -> Quarter:
        """The following quarter."""
        return Quarter(self.year + 1, 1) if self.q == 4 else Quarter(self.year, self.q + 1)

    def previous(self) -> Quarter:
        """The quarter before."""
        return Quarter(self.year - 1, 4) if self.q == 1 else Quarter(self.year, self.q - 1)

    def contains(self, when: datetime | None) -> bool:
        """Whether a moment falls in this quarter."""
        return when is not None and self.start <= when < self.end

    def __str__(self) -> str:
        return f"{self.year}Q{self.q}"
