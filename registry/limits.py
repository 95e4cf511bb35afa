"""What a registry file may hold: text lengths, list sizes, number and duration ranges, characters.

Bounds keep one bad value from hurting later: a 500000w SLA overflowed every deadline computed from
it, a 100 MB note made every export slow. Out-of-range values are refused with the allowed range.
"""

from __future__ import annotations

import re

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
# Vendors + dependencies + credentials per file: YAML aliases can repeat one list of a thousand credentials
# under a thousand dependencies from a few lines (a "billion laughs" made of records).
MAX_RECORDS = 1_000_000
MAX_ALIAS_VALUES = 200_000  # values a YAML file may build through aliases (merge keys use a few each)
NUMBER_RANGES = {"users": (0, 1_000_000_000), "dependency_users": (0, 1_000_000_000), "trust_width": (0, 1_000_000)}
MIN_CADENCE_DAYS, MAX_CADENCE_DAYS = 1, MAX_SLA_S // 86400
# Control characters (Unicode category Cc), lone surrogates (Cs: JSON "\ud800", which no database or
# writer takes) and bidirectional overrides, which reorder what a reviewer sees ("Trojan Source").
_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_BAD = re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff{_BIDI}]")
_BAD_IN_NOTES = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_BIDI}]")  # tab, LF, CR allowed
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def text_cap(field: str) -> int:
    """The longest value allowed in `field` (names and other short fields: 200)."""
    return TEXT_CAPS.get(field, MAX_NAME)


def text_problem(value: str, field: str) -> str | None:
    """Why `value` may not stand in `field` (length, control or bidi characters), or None."""
    cap = text_cap(field)
    if len(value) > cap:
        return f"is {len(value):,} characters long (allowed: at most {cap:,})"
    bad = (_BAD_IN_NOTES if field == "notes" else _BAD).search(value)
    if bad:
        char = bad.group()
        what = "unpaired surrogate" if "\ud800" <= char <= "\udfff" else "control character"
        return f"{what} U+{ord(char):04X} at character {bad.start() + 1} is not allowed"
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
