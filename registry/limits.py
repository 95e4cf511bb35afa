"""What a registry file may hold: text lengths, list sizes, number and duration ranges, characters.

Bounds keep one bad value from hurting later: a 500000w SLA overflowed every deadline computed from
it, a 100 MB note made every export slow. Out-of-range values are refused with the allowed range.
"""

from __future__ import annotations

import re
import unicodedata

from registry.durations import MAX_SLA_S, MIN_SLA_S, format_duration

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32  # a registry nests five levels; anything deeper is not a registry
MAX_NAME = 200
MAX_NOTES = 10_000
MAX_COMMAND = 2_000
MAX_TEXT = 1_000  # category, owner, kind and other short text
TEXT_CAPS = {"notes": MAX_NOTES, "rotate_command": MAX_COMMAND, "category": MAX_TEXT, "owner": MAX_TEXT}
MAX_LIST = 100  # aliases, domains, reaches
MAX_CHILDREN = 1_000  # dependencies per vendor, credentials per dependency
MAX_VENDORS = 100_000
NUMBER_RANGES = {"users": (0, 1_000_000_000), "dependency_users": (0, 1_000_000_000), "trust_width": (0, 1_000_000)}
MIN_CADENCE_DAYS, MAX_CADENCE_DAYS = 1, MAX_SLA_S // 86400
# Bidirectional overrides reorder what a reviewer sees ("Trojan Source"): never part of a name.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_MULTILINE_OK = frozenset("\t\n\r")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def text_cap(field: str) -> int:
    """The longest value allowed in `field` (names and other short fields: 200)."""
    return TEXT_CAPS.get(field, MAX_NAME)


def text_problem(value: str, field: str) -> str | None:
    """Why `value` may not stand in `field` (length, control or bidi characters), or None."""
    cap = text_cap(field)
    if len(value) > cap:
        return f"is {len(value):,} characters long (allowed: at most {cap:,})"
    allowed = _MULTILINE_OK if field == "notes" else frozenset()
    for index, char in enumerate(value):
        if char in allowed:
            continue
        category = unicodedata.category(char)
        if category == "Cs":  # a lone surrogate (JSON "\ud800"): not text, and no database or writer takes it
            return f"unpaired surrogate U+{ord(char):04X} at character {index + 1} is not allowed"
        if category == "Cc" or char in _BIDI:
            return f"control character U+{ord(char):04X} at character {index + 1} is not allowed"
    if field == "rotate_webhook_env" and value and not _ENV_NAME.match(value):
        return "must be the name of an environment variable (letters, digits, _)"
    return None


def sla_problem(seconds: int, field: str) -> str | None:
    """Why an SLA or cadence of `seconds` is out of range, or None."""
    low = MIN_CADENCE_DAYS * 86400 if field == "review_cadence" else MIN_SLA_S
    if low <= seconds <= MAX_SLA_S:
        return None
    return f"{format_duration(seconds)} is out of range (allowed: {format_duration(low)} to 730d, 2 years)"


def number_problem(number: int, field: str) -> str | None:
    """Why `number` is out of range for `field`, or None."""
    low, high = NUMBER_RANGES.get(field, (0, 1_000_000_000))
    if low <= number <= high:
        return None
    return f"{number} is out of range (allowed: {low} to {high:,})"
