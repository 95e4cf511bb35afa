"""How the store connects, without importing SQLAlchemy: timeouts, libpq options and the shipped schema head.

Shared by the engine (registry.db) and the read-only reader (registry.readonly), which must start fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class Timeouts:
    """How long the store waits for PostgreSQL: to connect, for one statement, for a lock (seconds)."""

    connect_s: float = 5.0
    statement_s: float = 30.0
    lock_s: float = 10.0


def pg_connect_args(t: Timeouts) -> dict[str, Any]:
    """libpq options: connect timeout, server-side statement and lock timeouts, TCP keepalives (a dead peer)."""
    return {
        "connect_timeout": max(2, round(t.connect_s)),  # libpq's minimum is 2 s
        "options": f"-c statement_timeout={int(t.statement_s * 1000)} -c lock_timeout={int(t.lock_s * 1000)}",
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 5,
        "keepalives_count": 3,
    }


_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*(?:None|['\"]([^'\"]+)['\"])\s*$", re.MULTILINE)


def head_from_files() -> str | None:
    """head_revision read off the migration files' text, without importing Alembic (a second at start-up).

    None unless the files form one chain this reading understands (Alembic then decides).
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if revision is None or down is None:
            return None
        revisions.add(revision.group(1))
        if down.group(1):
            parents.add(down.group(1))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None
