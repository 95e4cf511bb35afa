"""Database failures in one line a user can act on: which server or file, and why; never a password or SQL."""

from __future__ import annotations

import re

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from registry.readonly import driver_error

# (pattern in the driver's message, what we say); {where} is host:port or the SQLite file, {name} the first group.
_CAUSES: tuple[tuple[str, str], ...] = (
    (r"connection refused", "cannot connect to PostgreSQL at {where}: connection refused"),
    (r"database \"([^\"]+)\" does not exist", "database {name} does not exist (PostgreSQL at {where})"),
    (r"role \"([^\"]+)\" does not exist", "PostgreSQL at {where}: role {name} does not exist"),
    (
        r"password authentication failed for user \"([^\"]+)\"",
        "PostgreSQL at {where}: password authentication failed for user {name}",
    ),
    (r"no password supplied", "PostgreSQL at {where}: a password is required"),
    (r"failed to resolve host '([^']+)'", "cannot connect to PostgreSQL: host {name} not found"),
    (r"timeout expired|connection timeout", "cannot connect to PostgreSQL at {where}: no answer (connect timeout)"),
    (r"statement timeout", "PostgreSQL at {where}: a statement ran past statement_timeout"),
    (r"lock timeout", "PostgreSQL at {where}: waited past lock_timeout for a lock"),
    (
        r"server closed the connection|terminating connection|connection is lost|consuming input failed",
        "PostgreSQL at {where}: the connection was lost",
    ),
    (r"no route to host|network is unreachable", "cannot connect to PostgreSQL at {where}: no route to host"),
    (r"read-?only database", "SQLite file {where} is read-only"),
    (r"unable to open database file", "cannot open SQLite file {where} (missing folder or no permission)"),
    (r"database is locked", "SQLite file {where} is locked by another process (busy timeout passed)"),
    (r"disk is full|database or disk is full", "SQLite file {where}: the disk is full"),
    (r"disk i/o error", "SQLite file {where}: disk I/O error"),
    (r"file is not a database|malformed", "SQLite file {where} is not a database or is damaged"),
)


def where(url: str) -> str:
    """host:port of a PostgreSQL URL, or the SQLite file; never the user or password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}"


def describe(exc: BaseException, url: str) -> str:
    """What went wrong with the database at `url`, in one line (the driver's class when we do not know it)."""
    cause = getattr(exc, "orig", None) or exc
    message = str(cause)
    # libpq names the server it tried; trust it over the URL (a host list, or an environment default).
    server = re.search(r'server at "([^"]+)", port (\d+)', message)
    place = f"{server.group(1)}:{server.group(2)}" if server else where(url)
    for pattern, text in _CAUSES:
        found = re.search(pattern, message, re.IGNORECASE)
        if found:
            name = found.group(1) if found.groups() else ""
            return text.format(name=name, where=place)
    return f"database at {place}: {type(cause).__name__}"


def is_store_error(exc: BaseException) -> bool:
    """True for a failure of the database or its driver (callers outside registry/ need not know SQLAlchemy).

    The driver's own errors count too: registry.readonly reads without SQLAlchemy.
    """
    return isinstance(exc, SQLAlchemyError) or driver_error(exc)
