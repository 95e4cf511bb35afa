"""Read-only reads over the plain DB-API driver (sqlite3, psycopg), without SQLAlchemy: what `status` reads.

`status` is a health check: a container's HEALTHCHECK or a monitor runs it every few seconds, so it must
start fast, and importing the ORM alone takes most of a second. These reads are the only ones `status` makes:
`open_reader` runs them on a connection of their own when the schema is current, and `Reader.of_session`
runs them on an ORM session's connection (the store's path, which creates or migrates the schema first).
Tests hold them to the ORM queries of registry.repo on SQLite and PostgreSQL.

Nothing here writes: the SQLite connection is `query_only`, the PostgreSQL one `read_only`.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from registry.connect import BUSY_TIMEOUT_MS, Timeouts, head_from_files, pg_connect_args
from registry.deadlines import MAJOR, MATERIAL, NOTIFIED
from registry.rows import WorkerBeat
from registry.vocab import OPEN_DELIVERIES, DeliveryStatus, IncidentStatus, TaskStatus

if TYPE_CHECKING:
    from sqlmodel import Session

_NAMED = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")
_SQLITE = ("sqlite:///", "sqlite+pysqlite:///")
_POSTGRES = ("postgresql://", "postgresql+psycopg://")


class Reader:
    """One read-only connection: SQL with `:name` parameters on either driver.

    A list expands to an IN list (`IN (:ids)`), or to one row per value after VALUES (`VALUES :ids`).
    """

    def __init__(self, connection: Any, dialect: str, *, owned: bool) -> None:
        self._conn = connection
        self.dialect = dialect  # "sqlite" or "postgresql"
        self._owned = owned  # opened here (closed here) or borrowed from an ORM session

    @classmethod
    def of_session(cls, session: Session) -> Reader:
        """The reads on an ORM session's own connection and transaction."""
        raw = session.connection().connection.driver_connection
        return cls(raw, session.get_bind().dialect.name, owned=False)

    def rows(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        """Every row of one query."""
        sql, values = _expand(sql, params)
        if self.dialect == "postgresql":
            sql = _NAMED.sub(r"%(\1)s", sql)
        cur = self._conn.cursor()
        try:
            cur.execute(sql, values)
            return [tuple(row) for row in cur.fetchall()]
        finally:
            cur.close()

    def one(self, sql: str, **params: Any) -> Any:
        """The first column of the first row (None when there is none)."""
        found = self.rows(sql, **params)
        return found[0][0] if found else None

    def close(self) -> None:
        """End the read (nothing was written) and close a connection opened here."""
        if self._owned:
            self._conn.rollback()
            self._conn.close()


def _expand(sql: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    values: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, list | tuple | set | frozenset):
            names = [f"{name}_{i}" for i in range(len(value))]
            values.update(zip(names, (str(v) if isinstance(v, str) else v for v in value), strict=True))
            rows = ", ".join(f"(:{n})" for n in names)  # `VALUES :name`: one row per value
            sql = re.sub(rf"VALUES :{name}\b", f"VALUES {rows}", sql)
            listed = ", ".join(f":{n}" for n in names) or "NULL"  # `IN (:name)`; IN (NULL) matches nothing
            sql = re.sub(rf":{name}\b", listed, sql)
        else:
            values[name] = str(value) if isinstance(value, str) else value  # a StrEnum binds as its word
    return sql, values


def open_reader(url: str, timeouts: Timeouts) -> Reader | None:
    """A reader of the database at `url` when its schema is current; None where only the full store can open it.

    None for a SQLite file that does not exist yet, an in-memory database, a driver other than sqlite3 or
    psycopg, or a schema that is not at this version's head (the store then creates or migrates it). A database
    that cannot be reached raises the driver's error, as the store would.
    """
    head = head_from_files()
    if head is None:
        return None
    reader = _connect(url, timeouts)
    if reader is None:
        return None
    try:
        stamped = reader.rows("SELECT version_num FROM alembic_version")
    except Exception as exc:
        if not driver_error(exc):
            raise
        stamped = []  # no such table yet: the store creates the schema
    if stamped != [(head,)]:
        reader.close()
        return None
    return reader


def _connect(url: str, timeouts: Timeouts) -> Reader | None:
    if "?" in url:
        return None  # driver options in the URL: the store knows how to pass them
    if url.startswith(_SQLITE):
        file = unquote(url.split(":///", 1)[1])  # as SQLAlchemy reads the URL: `my%20db.db` is `my db.db`
        if not file or file == ":memory:" or not Path(file).is_file():
            return None
        # mode=ro: not even the close of the last connection checkpoints a left-over WAL into the file.
        uri = f"{Path(file).absolute().as_uri()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.execute("PRAGMA query_only=ON")
        conn.execute("BEGIN")  # one snapshot for every read
        return Reader(conn, "sqlite", owned=True)
    if url.startswith(_POSTGRES):
        import psycopg

        conninfo = "postgresql://" + url.split("://", 1)[1]
        pg = psycopg.connect(conninfo, **pg_connect_args(timeouts))
        pg.read_only = True
        pg.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ  # one snapshot for every read
        return Reader(pg, "postgresql", owned=True)
    return None


def driver_error(exc: BaseException) -> bool:
    """An error of sqlite3 or psycopg (the database said no), not of this code."""
    psycopg = sys.modules.get("psycopg")  # loaded only once a PostgreSQL URL was opened
    return isinstance(exc, sqlite3.Error) or (psycopg is not None and isinstance(exc, psycopg.Error))


def when(value: Any) -> datetime | None:
    """A stored time as an aware UTC datetime (SQLite keeps text without a zone, PostgreSQL a timestamptz)."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def document(value: Any) -> Any:
    """A stored JSON value (SQLite keeps text; psycopg may already have parsed it)."""
    return json.loads(value) if isinstance(value, str | bytes) else value


# --- what `status` reads ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceRow:
    """A source's last poll and health."""

    id: str
    last_polled_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    consecutive_failures: int
    next_poll_at: datetime | None


def configured_sources(r: Reader, ids: Sequence[str]) -> list[SourceRow]:
    """The rows of these sources in the database's order of ids; one not stored yet reads as never polled."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    rows = r.rows(
        "SELECT v.column1, s.last_polled_at, s.last_success_at, s.last_error, s.consecutive_failures, s.next_poll_at"
        " FROM (VALUES :ids) AS v LEFT JOIN source s ON s.id = v.column1 ORDER BY v.column1",
        ids=wanted,
    )
    return [SourceRow(row[0], when(row[1]), when(row[2]), row[3], int(row[4] or 0), when(row[5])) for row in rows]


def outbox_counts(r: Reader) -> tuple[int, int]:
    """Deliveries waiting to be sent, and those that failed for good."""
    waiting = r.one("SELECT count(*) FROM delivery WHERE status IN (:open)", open=OPEN_DELIVERIES)
    failed = r.one("SELECT count(*) FROM delivery WHERE status = :failed", failed=DeliveryStatus.failed)
    return int(waiting or 0), int(failed or 0)


def oldest_waiting(r: Reader) -> datetime | None:
    """When the oldest waiting delivery was queued."""
    return when(r.one("SELECT min(created_at) FROM delivery WHERE status IN (:open)", open=OPEN_DELIVERIES))


def collecting_until(r: Reader) -> list[datetime]:
    """When each held digest (coalesced follow-ups) is due to be released."""
    rows = r.rows("SELECT next_attempt_at FROM delivery WHERE status = :held", held=DeliveryStatus.collecting)
    return [t for (value,) in rows if (t := when(value)) is not None]


def open_tasks(r: Reader) -> list[tuple[int, datetime]]:
    """Each open task's id and due time."""
    rows = r.rows("SELECT id, due_at FROM task WHERE status = :open", open=TaskStatus.open)
    return [(int(i), due) for i, value in rows if (due := when(value)) is not None]


def quarantined_items(r: Reader) -> int:
    """Items whose triage failed too often to retry."""
    return int(r.one("SELECT count(*) FROM item WHERE quarantined_at IS NOT NULL") or 0)


def counts_since(r: Reader, *, action: str, entity: str, reset: str) -> dict[str, int]:
    """How often `action` was audited per entity id since that entity's latest `reset` (e.g. `tasks resume`)."""
    last = {
        str(entity_id): int(n)
        for entity_id, n in r.rows(
            "SELECT entity_id, max(id) FROM auditevent WHERE action = :reset AND entity = :entity GROUP BY entity_id",
            reset=reset,
            entity=entity,
        )
    }
    if not last:  # the common case: counted by the database
        query = (
            "SELECT entity_id, count(*) FROM auditevent WHERE action = :action AND entity = :entity GROUP BY entity_id"
        )
        return {str(entity_id): int(n) for entity_id, n in r.rows(query, action=action, entity=entity)}
    counts: dict[str, int] = {}
    for entity_id, event_id in r.rows(
        "SELECT entity_id, id FROM auditevent WHERE action = :action AND entity = :entity", action=action, entity=entity
    ):
        if int(event_id) > last.get(str(entity_id), 0):
            counts[str(entity_id)] = counts.get(str(entity_id), 0) + 1
    return counts


def workers(r: Reader) -> list[WorkerBeat]:
    """Every recorded worker, newest beat first."""
    rows = r.rows(
        "SELECT worker_id, host, pid, started_at, last_beat_at, interval_s, stopped_at, jobs"
        " FROM worker_heartbeat ORDER BY last_beat_at DESC"
    )
    beats = []
    for worker_id, host, pid, started, beat, interval, stopped, jobs in rows:
        started_at, last_beat_at = when(started), when(beat)
        assert started_at is not None and last_beat_at is not None  # NOT NULL columns
        beats.append(
            WorkerBeat(
                worker_id, host, int(pid), started_at, last_beat_at, float(interval), when(stopped), document(jobs)
            )
        )
    return beats


@dataclass(frozen=True)
class AuditRow:
    """An audit event as the regulatory clocks read it (registry.deadlines.ClockEvent)."""

    entity_id: str
    action: str
    after: dict[str, Any] | None
    actor: str


def clock_events(r: Reader) -> list[AuditRow]:
    """The decisions and submissions that start and stop regulatory clocks, in the order recorded."""
    rows = r.rows(
        "SELECT entity_id, action, after, actor FROM auditevent"
        " WHERE entity = 'incident' AND action IN (:actions) ORDER BY id",
        actions=[MAJOR, MATERIAL, NOTIFIED],
    )
    return [AuditRow(str(entity_id), action, document(after), actor) for entity_id, action, after, actor in rows]


def dismissed(r: Reader, ids: Iterable[int]) -> set[int]:
    """Which of these incidents were dismissed."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    query = "SELECT id FROM incident WHERE id IN (:ids) AND status = :dismissed"
    return {int(i) for (i,) in r.rows(query, ids=wanted, dismissed=IncidentStatus.dismissed)}


@dataclass(frozen=True)
class GateRow:
    """A channel's circuit breaker and capability warning."""

    key: str
    failures: int
    last_error: str | None
    warning: str | None


def gates(r: Reader) -> list[GateRow]:
    """Every channel gate, by key."""
    rows = r.rows("SELECT key, failures, last_error, warning FROM channelgate ORDER BY key")
    return [GateRow(key, int(failures or 0), error, warning) for key, failures, error, warning in rows]


def target_problems(r: Reader) -> list[tuple[str, str, str]]:
    """Channel names that could not be resolved to ids: kind, name and why, by name."""
    rows = r.rows("SELECT kind, name, problem FROM channeltarget WHERE problem IS NOT NULL ORDER BY name")
    return [(kind, name, problem) for kind, name, problem in rows]
