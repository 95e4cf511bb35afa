"""Errors raised by the registry store and its file formats."""

from __future__ import annotations


class RegistryError(Exception):
    """Base class for registry errors that users see."""


class RegistryImportError(RegistryError):
    """Bad registry input, located by file, line and field."""

    def __init__(self, message: str, *, file: str, line: int | None = None, field: str | None = None) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.reason = message
        shown = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in field or "")  # a key is input too
        where = file + (f":{line}" if line else "") + (f": field '{shown}'" if field else "")
        super().__init__(f"{where}: {message}")


class NotFoundError(RegistryError):
    """A named vendor, incident or task does not exist."""
