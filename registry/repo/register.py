"""The read model of the DORA register of information: the registry's vendors and its entity block."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from registry.entity import read_entity
from registry.isocodes import lei_problem
from registry.spec import VendorSpec
from registry.store import read_registry

__all__ = ["RegisterData", "VendorSpec", "is_lei", "read_register"]


@dataclass(frozen=True)
class RegisterData:
    """Everything the register's templates are filled from."""

    vendors: list[VendorSpec]
    entity: dict[str, str]


def read_register(session: Session) -> RegisterData:
    """The vendors (by name) and the entity keeping the register."""
    return RegisterData(read_registry(session), read_entity(session))


def is_lei(text: str) -> bool:
    """True for a valid ISO 17442 LEI (check digits included)."""
    return lei_problem(text.upper()) is None
