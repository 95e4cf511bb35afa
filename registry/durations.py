"""SLA durations written as 30m, 4h, 2d, 1w (and back)."""

from __future__ import annotations

import re

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_PATTERN = re.compile(r"^\s*(\d{1,12})\s*([smhdw])\s*$")
# Bounds for SLAs and cadences: a deadline computed from a larger one overflows datetime.
MIN_SLA_S = 60
MAX_SLA_S = 730 * 86400


class DurationError(ValueError):
    """A duration that is not a whole number followed by s, m, h, d or w."""


def parse_duration(text: str | int) -> int:
    """Seconds in `text` (e.g. '4h' -> 14400); a bare integer counts as seconds."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    match = _PATTERN.match(str(text))
    if not match or int(match.group(1)) <= 0:
        raise DurationError(f"invalid duration {str(text)[:40]!r} (use e.g. 30m, 4h, 2d, 1w)")
    return int(match.group(1)) * _UNITS[match.group(2)]


def format_duration(seconds: int) -> str:
    """The shortest exact spelling of `seconds` in the largest whole unit."""
    for unit, size in sorted(_UNITS.items(), key=lambda kv: -kv[1]):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def clamp_sla(seconds: float) -> float:
    """`seconds` capped at MAX_SLA_S: a value stored before import bounded it still gives a valid deadline."""
    return min(seconds, MAX_SLA_S)
