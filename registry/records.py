"""Loosely typed records (from YAML, JSON or CSV) to specs: every value checked, every error located."""

from __future__ import annotations

import difflib
from typing import Any

from registry.durations import DurationError, parse_duration
from registry.errors import RegistryImportError
from registry.limits import MAX_LIST, MAX_RECORDS, number_problem, sla_problem, text_problem
from registry.models import PRIVILEGE_SCOPES, TOKEN_BINDINGS
from registry.spec import CredentialSpec, DependencySpec, VendorSpec
from registry.vocab import Criticality
from registry.yamlstream import Located


def read_dora(reader: RecordReader, rec: dict[str, Any], line: int) -> dict[str, Any]:
    """The DORA fields of a vendor record (late import: registry.dora builds on this module)."""
    from registry.dora import read_dora as read

    return read(reader, rec, line)


def read_entity(reader: RecordReader, rec: Any) -> dict[str, str]:
    """The `entity:` block of a registry file."""
    from registry.dora import read_entity as read

    return read(reader, rec)


def line_of(rec: Any, key: str | None = None) -> int:
    """The line a record (or one of its keys) was read from, 0 when unknown."""
    if isinstance(rec, Located):
        return rec.key_lines.get(key, rec.line) if key else rec.line
    return 0


class RecordReader:
    """Turns loosely typed records into specs, raising located errors."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.records = 0

    def _count(self, line: int) -> None:
        self.records += 1
        if self.records > MAX_RECORDS:
            raise self.fail(f"more than {MAX_RECORDS:,} vendors, dependencies and credentials in one file", line)

    def fail(self, message: str, line: int | None, field: str | None = None) -> RegistryImportError:
        """A located error for this file."""
        return RegistryImportError(message, file=self.file, line=line, field=field)

    def text(self, rec: dict[str, Any], key: str, line: int, *, required: bool = False) -> str:
        """A text field, checked for length and control characters; "" when absent."""
        line = line_of(rec, key) or line
        value = rec.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail("is required", line, key)
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise self.fail(f"must be text, not {type(value).__name__}", line, key)
        # Only spaces and line breaks are trimmed: stripping a tab would turn "\t=1+1" into a formula.
        text = str(value)
        if key == "notes":  # one kind of line break: a bare CR is no line end to the CSV writer (found by fuzzing)
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = text.strip(" \r\n")
        problem = text_problem(text, key)
        if problem:
            raise self.fail(problem, line, key)
        return text

    def words(self, rec: dict[str, Any], key: str, line: int) -> list[str]:
        """A list of short text (a `;`-separated string in CSV)."""
        line = line_of(rec, key) or line
        value = rec.get(key)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            value = [v for v in (p.strip(" ") for p in value.split(";")) if v]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail("must be a list of text", line, key)
        if len(value) > MAX_LIST:
            raise self.fail(f"has {len(value):,} entries (allowed: at most {MAX_LIST})", line, key)
        if any(";" in v for v in value):  # CSV separates list items with `;`: an export would split this one
            raise self.fail("an entry contains ';' (it separates entries in CSV)", line, key)
        return [self.text({key: v}, key, line) for v in value if v.strip()]

    def number(self, rec: dict[str, Any], key: str, line: int, default: int) -> int:
        """A whole number within its field's range."""
        line = line_of(rec, key) or line
        value = rec.get(key)
        if value is None or value == "":
            return default
        try:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            number = int(value)
        except (TypeError, ValueError, OverflowError):
            raise self.fail(f"must be a whole number, not {str(value)[:40]!r}", line, key) from None
        problem = number_problem(number, key)
        if problem:
            raise self.fail(problem, line, key)
        return number

    def duration(self, rec: dict[str, Any], key: str, line: int) -> int | None:
        """An SLA or cadence in seconds, within 1 minute to 2 years."""
        line = line_of(rec, key) or line
        value = rec.get(key)
        if value is None or value == "":
            return None
        try:
            seconds = parse_duration(value)
        except DurationError as exc:
            raise self.fail(str(exc), line, key) from None
        problem = sla_problem(seconds, key)
        if problem:
            raise self.fail(problem, line, key)
        return seconds

    def choice(self, rec: dict[str, Any], key: str, line: int, allowed: tuple[str, ...], default: str) -> str:
        """One of `allowed` (case-insensitive)."""
        line = line_of(rec, key) or line
        value = self.text(rec, key, line) or default
        if value.lower() not in allowed:
            raise self.fail(f"unknown value {value[:40]!r} (allowed: {', '.join(allowed)})", line, key)
        return value.lower()

    def only(self, rec: dict[str, Any], known: tuple[str, ...], line: int) -> None:
        """Refuse keys we do not know: a typo (`revocation_sl`) must not silently drop an SLA."""
        for key in rec:
            if key not in known:
                close = difflib.get_close_matches(str(key)[:50], known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known)})"
                raise self.fail(f"unknown field{hint}", line_of(rec, str(key)) or line, str(key)[:50])

    def credential(self, rec: dict[str, Any], line: int) -> CredentialSpec:
        """A credential record."""
        self._count(line)
        return CredentialSpec(
            name=self.text(rec, "name", line, required=True),
            kind=self.text(rec, "kind", line, required=True),
            owner=self.text(rec, "owner", line),
            rotation_sla_s=self.duration(rec, "rotation_sla", line),
            rotate_command=self.text(rec, "rotate_command", line) or None,
            rotate_webhook_env=self.text(rec, "rotate_webhook_env", line) or None,
            line=line,
        )

    def dependency(self, rec: dict[str, Any], line: int) -> DependencySpec:
        """A dependency record (without its credentials)."""
        self._count(line)
        return DependencySpec(
            name=self.text(rec, "name", line, required=True),
            kind=self.text(rec, "kind", line, required=True),
            revocation_sla_s=self.duration(rec, "revocation_sla", line),
            owner=self.text(rec, "owner", line),
            users=self.number(rec, "users", line, 0),
            token_binding=self.choice(rec, "token_binding", line, TOKEN_BINDINGS, "none"),
            privilege_scope=self.choice(rec, "privilege_scope", line, PRIVILEGE_SCOPES, "read"),
            trust_width=max(1, self.number(rec, "trust_width", line, 1)),
            reaches=self.words(rec, "reaches", line),
            line=line,
        )

    def vendor(self, rec: dict[str, Any], line: int) -> VendorSpec:
        """A vendor record (without its dependencies)."""
        self._count(line)
        cadence = rec.get("review_cadence")
        return VendorSpec(
            name=self.text(rec, "name", line, required=True),
            criticality=Criticality(self.choice(rec, "criticality", line, tuple(Criticality), Criticality.medium)),
            aliases=self.words(rec, "aliases", line),
            domains=[d.lower() for d in self.words(rec, "domains", line)],
            category=self.text(rec, "category", line),
            owner=self.text(rec, "owner", line),
            users=self.number(rec, "users", line, 0),
            review_cadence_days=None if cadence in (None, "") else self._days(rec, line),
            notes=self.text(rec, "notes", line),
            dora=read_dora(self, rec, line),
            line=line,
            alias_line=line_of(rec, "aliases") or line,
        )

    def entity(self, rec: Any) -> dict[str, str]:
        """The top-level `entity:` block."""
        return read_entity(self, rec)

    def _days(self, rec: dict[str, Any], line: int) -> int:
        line = line_of(rec, "review_cadence") or line
        seconds = self.duration({"review_cadence": rec.get("review_cadence")}, "review_cadence", line) or 0
        if seconds % 86400:
            raise self.fail("must be whole days (e.g. 90d)", line, "review_cadence")
        return seconds // 86400
