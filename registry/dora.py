"""The DORA register-of-information fields of a vendor and the `entity:` block, read and checked."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from registry.errors import RegistryImportError
from registry.isocodes import COUNTRIES, CURRENCIES, ICT_SERVICES, SUBSTITUTABILITY, lei_problem
from registry.records import line_of

if TYPE_CHECKING:
    from registry.records import RecordReader

DORA_KEYS = (
    "lei",
    "country",
    "parent",
    "ict_service",
    "substitutability",
    "critical_function",
    "contract",
    "data_location",
    "exit_plan",
    "last_audit",
)
CONTRACT_KEYS = ("ref", "start", "end", "annual_cost", "currency")
ENTITY_KEYS = ("name", "lei", "country", "authority")
MAX_COST = 10**15


def read_dora(reader: RecordReader, rec: dict[str, Any], line: int) -> dict[str, Any]:
    """The DORA fields of a vendor record, canonical (upper-case codes, ISO dates), empty ones left out."""
    out: dict[str, Any] = {
        "lei": _lei(reader, rec, "lei", line),
        "country": _country(reader, rec, "country", line),
        "parent": reader.text(rec, "parent", line),
        "ict_service": _code(reader, rec, "ict_service", line, ICT_SERVICES),
        "substitutability": _code(reader, rec, "substitutability", line, SUBSTITUTABILITY, upper=False),
        "critical_function": reader.text(rec, "critical_function", line),
        "contract": _contract(reader, rec, line),
        "data_location": _countries(reader, rec, line),
        "exit_plan": _flag(reader, rec, "exit_plan", line),
        "last_audit": _date(reader, rec, "last_audit", line),
    }
    return {k: v for k, v in out.items() if v not in ("", None, [], {})}


def read_entity(reader: RecordReader, rec: Any) -> dict[str, str]:
    """The `entity:` block: the financial entity that keeps the register."""
    if rec is None:
        return {}
    if not isinstance(rec, dict):
        raise reader.fail("must be a mapping (name, lei, country, authority)", line_of(rec) or 1, "entity")
    line = line_of(rec)
    reader.only(rec, ENTITY_KEYS, line)
    out = {
        "name": reader.text(rec, "name", line),
        "lei": _lei(reader, rec, "lei", line),
        "country": _country(reader, rec, "country", line),
        "authority": reader.text(rec, "authority", line),
    }
    return {k: v for k, v in out.items() if v}


def _lei(reader: RecordReader, rec: dict[str, Any], key: str, line: int) -> str:
    lei = reader.text(rec, key, line).upper()
    problem = lei_problem(lei) if lei else None
    if problem:
        raise reader.fail(f"{lei[:40]!r} {problem}", line_of(rec, key) or line, key)
    return lei


def _code(
    reader: RecordReader, rec: dict[str, Any], key: str, line: int, allowed: tuple[str, ...], *, upper: bool = True
) -> str:
    value = reader.text(rec, key, line)
    value = value.upper() if upper else value.lower()
    if value and value not in allowed:
        shown = f"{allowed[0]} to {allowed[-1]}" if upper else ", ".join(allowed)
        raise reader.fail(f"unknown value {value[:40]!r} (allowed: {shown})", line_of(rec, key) or line, key)
    return value


def _country(reader: RecordReader, rec: dict[str, Any], key: str, line: int) -> str:
    value = reader.text(rec, key, line).upper()
    if value and value not in COUNTRIES:
        raise reader.fail(f"{value[:40]!r} is no ISO 3166-1 alpha-2 country code", line_of(rec, key) or line, key)
    return value


def _countries(reader: RecordReader, rec: dict[str, Any], line: int) -> list[str]:
    codes = [c.upper() for c in reader.words(rec, "data_location", line)]
    for code in codes:
        _country(reader, {"data_location": code}, "data_location", line_of(rec, "data_location") or line)
    return list(dict.fromkeys(codes))


def _flag(reader: RecordReader, rec: dict[str, Any], key: str, line: int) -> bool | None:
    value = rec.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes"):
        return True
    if text in ("false", "no"):
        return False
    raise reader.fail(f"must be true or false, not {str(value)[:40]!r}", line_of(rec, key) or line, key)


def _date(reader: RecordReader, rec: dict[str, Any], key: str, line: int) -> str:
    value = rec.get(key)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = reader.text(rec, key, line)
    try:
        return dt.date.fromisoformat(text).isoformat() if text else ""
    except ValueError:
        raise reader.fail(f"must be a date (YYYY-MM-DD), not {text[:40]!r}", line_of(rec, key) or line, key) from None


def _contract(reader: RecordReader, rec: dict[str, Any], line: int) -> dict[str, Any]:
    raw = rec.get("contract")
    if raw is None or raw == {}:
        return {}
    if not isinstance(raw, dict):
        where = line_of(rec, "contract") or line
        raise reader.fail("must be a mapping (ref, start, end, annual_cost, currency)", where, "contract")
    at = line_of(raw) or line_of(rec, "contract") or line
    reader.only(raw, CONTRACT_KEYS, at)
    try:
        out: dict[str, Any] = {
            "ref": reader.text(raw, "ref", at),
            "start": _date(reader, raw, "start", at),
            "end": _date(reader, raw, "end", at),
            "annual_cost": _cost(reader, raw, at),
            "currency": _currency(reader, raw, at),
        }
    except RegistryImportError as exc:  # name the field as the user wrote it: contract.end
        if exc.field in CONTRACT_KEYS:
            raise reader.fail(exc.reason, exc.line, f"contract.{exc.field}") from None
        raise
    if out["start"] and out["end"] and out["end"] < out["start"]:
        raise reader.fail(
            f"ends ({out['end']}) before it starts ({out['start']})", line_of(raw, "end") or at, "contract.end"
        )
    return {k: v for k, v in out.items() if v not in ("", None)}


def _cost(reader: RecordReader, raw: dict[str, Any], line: int) -> int | float | None:
    value = raw.get("annual_cost")
    if value is None or value == "":
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        number = float(str(value).replace("_", "")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError, OverflowError):
        raise reader.fail(
            f"must be a number, not {str(value)[:40]!r}", line_of(raw, "annual_cost") or line, "annual_cost"
        ) from None
    if not 0 <= number <= MAX_COST:  # NaN fails this too
        raise reader.fail(f"must be between 0 and {MAX_COST:,}", line_of(raw, "annual_cost") or line, "annual_cost")
    return int(number) if number.is_integer() else round(number, 2)


def _currency(reader: RecordReader, raw: dict[str, Any], line: int) -> str:
    value = reader.text(raw, "currency", line).upper()
    if value and value not in CURRENCIES:
        raise reader.fail(f"{value[:40]!r} is no ISO 4217 currency code", line_of(raw, "currency") or line, "currency")
    return value
