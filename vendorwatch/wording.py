"""Small helpers for generated text: counts with the right plural."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 incident`, `2 incidents` (`many` for irregular plurals: plural(2, "was", "were"))."""
    return f"{count} {word if count == 1 else many or word + 's'}"
