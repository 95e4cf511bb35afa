"""Small helpers for generated text: counts with the right plural, the one way a confidence is written."""

from __future__ import annotations


def percent(share: float) -> str:
    """A 0-1 share as every confidence is written (alerts, `incidents show`, reports): 0.95 -> `95%`."""
    return f"{round(share * 100)}%"


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 incident`, `2 incidents` (`many` for irregular plurals: plural(2, "was", "were"))."""
    return f"{count} {word if count == 1 else many or word + 's'}"
