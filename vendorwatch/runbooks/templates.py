"""Runbook templates: YAML steps per dependency/credential kind and incident kind, validated with pydantic."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from registry.durations import DurationError, clamp_sla, parse_duration
from registry.vocab import ACTIONABLE_KINDS, IncidentKind
from vendorwatch.bundled import bundled
from vendorwatch.settings import ConfigError

DEFAULT_SLA = timedelta(hours=24)
PLACEHOLDERS = {"vendor", "dependency", "credential", "artifact", "since"}
_DUE = re.compile(r"^\s*(revocation_sla|rotation_sla)\s*(?:\*\s*(\d+(?:\.\d+)?))?\s*$")

# The kinds a step may apply to: those that call for clean-up, in the vocabulary's order.
INCIDENT_KINDS: tuple[IncidentKind, ...] = tuple(k for k in IncidentKind if k in ACTIONABLE_KINDS)
Scope = Literal["vendor", "dependency", "credential", "artifact"]
Owner = Literal["credential", "dependency", "vendor"]


@dataclass(frozen=True)
class Due:
    """A deadline: a fraction of an SLA (`rotation_sla * 0.5`) or a fixed duration (`4h`)."""

    base: Literal["revocation_sla", "rotation_sla", "fixed"]
    factor: float = 1.0
    fixed_s: int = 0

    def after(self, revocation_sla_s: int | None, rotation_sla_s: int | None) -> timedelta:
        """The time allowed, given the entity's SLAs (a missing SLA counts as DEFAULT_SLA)."""
        if self.base == "fixed":
            return timedelta(seconds=clamp_sla(self.fixed_s))
        sla_s = revocation_sla_s if self.base == "revocation_sla" else rotation_sla_s
        seconds = clamp_sla(sla_s) if sla_s else DEFAULT_SLA.total_seconds()
        # Capped: an SLA stored before imports bounded it (500000w) made `now + sla` overflow on every poll.
        return timedelta(seconds=clamp_sla(seconds * self.factor))


class AppliesTo(BaseModel):
    """Which entities and incidents a step is for; an empty list means any."""

    model_config = ConfigDict(extra="forbid")
    incidents: list[IncidentKind] = list(INCIDENT_KINDS)
    dependency_kinds: list[str] = []
    credential_kinds: list[str] = []
    vendor_categories: list[str] = []

    @field_validator("incidents")
    @classmethod
    def _actionable(cls, kinds: list[IncidentKind]) -> list[IncidentKind]:
        if other := [k for k in kinds if k not in ACTIONABLE_KINDS]:
            allowed = ", ".join(INCIDENT_KINDS)
            raise ValueError(f"'{other[0]}' incidents open no tasks (a step applies to {allowed})")
        return kinds


class Step(BaseModel):
    """One runbook step; it opens one task per matching entity of its scope."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    scope: Scope
    title: str = Field(min_length=1)
    applies_to: AppliesTo = AppliesTo()
    due: str
    owner: Owner
    # A fallback step applies to an entity only when no regular step of the same scope does.
    fallback: bool = False

    @field_validator("title")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        unknown = names - PLACEHOLDERS
        if unknown:
            raise ValueError(f"unknown placeholder {sorted(unknown)[0]!r} (use {', '.join(sorted(PLACEHOLDERS))})")
        return value

    @field_validator("due")
    @classmethod
    def _valid_due(cls, value: str) -> str:
        parse_due(value)
        return value

    def deadline(self) -> Due:
        """The parsed `due` expression."""
        return parse_due(self.due)

    def matches(self, incident_kind: IncidentKind, category: str, dep_kind: str | None, cred_kind: str | None) -> bool:
        """Whether this step applies to an entity of these kinds in an incident of this kind."""
        rule = self.applies_to
        return (
            incident_kind in rule.incidents
            and (not rule.vendor_categories or category in rule.vendor_categories)
            and (not rule.dependency_kinds or dep_kind in rule.dependency_kinds)
            and (not rule.credential_kinds or cred_kind in rule.credential_kinds)
        )


class RunbookFile(BaseModel):
    """A template file: a list of steps."""

    model_config = ConfigDict(extra="forbid")
    steps: list[Step]


def parse_due(text: str) -> Due:
    """Parse `revocation_sla`, `rotation_sla * 0.5` or a fixed duration such as `4h`."""
    match = _DUE.match(text)
    if match:
        factor = float(match.group(2)) if match.group(2) else 1.0
        if factor <= 0:
            raise ValueError("the SLA factor must be positive")
        return Due(base=match.group(1), factor=factor)  # type: ignore[arg-type]
    try:
        return Due(base="fixed", fixed_s=parse_duration(text))
    except DurationError:
        raise ValueError(f"invalid due {text!r} (use revocation_sla, rotation_sla * 0.5 or e.g. 4h)") from None


@dataclass(frozen=True)
class Runbooks:
    """Every step in effect, in file order (built-ins first, overrides in place)."""

    steps: tuple[Step, ...]


def read_file(path: Path) -> list[Step]:
    """The steps of one template file; ConfigError names the file and the field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: malformed YAML: {exc}") from None
    try:
        steps = RunbookFile.model_validate(data).steps
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(file)"
        raise ConfigError(f"{path}: {where}: {err['msg']}") from None
    for step in steps:
        if step.scope == "dependency" and step.deadline().base == "rotation_sla":
            raise ConfigError(f"{path}: steps.{step.id}.due: a dependency step has no rotation_sla")
    return steps


def load_runbooks(extra_dir: str | Path | None = None) -> Runbooks:
    """Built-in templates, then the team's `runbooks_dir` whose steps override built-ins by id."""
    merged: dict[str, Step] = {s.id: s for s in _builtin()}
    if extra_dir is not None:
        folder = Path(extra_dir)
        if not folder.is_dir():
            raise ConfigError(f"runbooks_dir: {folder} is not a directory")
        for path in sorted(folder.glob("*.y*ml")):
            for step in read_file(path):
                merged[step.id] = step
    return Runbooks(steps=tuple(merged.values()))


@cache
def _builtin() -> tuple[Step, ...]:
    steps: dict[str, Step] = {}
    for path in sorted(bundled("runbooks").glob("*.yaml")):
        for step in read_file(path):
            steps[step.id] = step
    return tuple(steps.values())
