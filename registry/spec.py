"""The registry as plain data: what a registry file says, independent of its format."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from registry.vocab import Criticality


@dataclass
class CredentialSpec:
    """A credential to rotate, as written in a registry file."""

    name: str
    kind: str
    owner: str = ""
    rotation_sla_s: int | None = None
    rotate_command: str | None = None
    rotate_webhook_env: str | None = None
    line: int = 0


@dataclass
class DependencySpec:
    """A dependency on a vendor, with the credentials it involves."""

    name: str
    kind: str
    revocation_sla_s: int | None = None
    owner: str = ""
    users: int = 0
    token_binding: str = "none"
    privilege_scope: str = "read"
    trust_width: int = 1
    reaches: list[str] = field(default_factory=list)
    credentials: list[CredentialSpec] = field(default_factory=list)
    line: int = 0


@dataclass
class VendorSpec:
    """A vendor and everything that depends on it."""

    name: str
    criticality: Criticality
    aliases: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    category: str = ""
    owner: str = ""
    users: int = 0
    review_cadence_days: int | None = None
    notes: str = ""
    dependencies: list[DependencySpec] = field(default_factory=list)
    dora: dict[str, Any] = field(default_factory=dict)  # DORA register fields (registry/dora.py), canonical
    line: int = 0
    alias_line: int = 0


@dataclass
class RegistryDoc:
    """A whole registry file: its vendors and the `entity:` block (the financial entity keeping it)."""

    vendors: list[VendorSpec]
    entity: dict[str, str] = field(default_factory=dict)
