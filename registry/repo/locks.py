"""Locks that make several `vendorwatch run` processes safe: one per SQLite file, singletons on PostgreSQL.

SQLite: an exclusive `flock` on `<dbfile>.lock`, held for the life of the process (the kernel drops it when
the process dies, even on SIGKILL). PostgreSQL: a session-level `pg_try_advisory_lock` on a dedicated
connection elects the one worker that runs singleton jobs; it is released when that connection closes.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

logger = logging.getLogger("vendorwatch.ops.locks")  # the name operators know from the logs of `run`
SINGLETON_KEY = 0x7677_0002  # pg advisory lock key: the worker that runs reminders and reports
MIGRATE_KEY = 0x7677_0003  # pg advisory lock key: one worker migrates, the others wait
SYNC_KEY = 0x7677_0004  # pg advisory xact lock key: one worker inserts the configured sources


class AlreadyRunning(Exception):
    """Another `vendorwatch run` holds the database file."""


class ProcessLock:
    """Exclusive lock on `<dbfile>.lock` for SQLite; a no-op for PostgreSQL (several workers allowed)."""

    def __init__(self, database_url: str) -> None:
        url = make_url(database_url)
        db = url.database if url.get_backend_name() == "sqlite" else None
        self.path: Path | None = Path(db + ".lock") if db and db != ":memory:" else None
        self._db = db
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock or raise AlreadyRunning naming the file and the holder's pid."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            pid = handle.read().strip() or "unknown"
            handle.close()
            raise AlreadyRunning(f"another vendorwatch run is using {self._db} (pid {pid})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        """Drop the lock (closing the file releases the flock)."""
        if self._file is not None:
            self._file.close()
            self._file = None


class SingletonLock:
    """Whether this process may run singleton jobs: always on SQLite, the advisory-lock holder on PostgreSQL."""

    def __init__(self, engine: Engine, key: int = SINGLETON_KEY) -> None:
        self.engine = engine
        self.key = key
        self._conn: Connection | None = None
        self.postgres = engine.dialect.name == "postgresql"

    def held(self) -> bool:
        """True when this process holds the lock, trying to take it if nobody does."""
        if not self.postgres:
            return True
        try:
            if self._conn is not None:
                self._conn.execute(text("SELECT 1"))  # a dropped connection has lost the lock with it
                return True
            conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar())
        except DBAPIError as exc:
            logger.warning("singleton lock: database unavailable (%s)", type(exc).__name__)
            self.release()
            return False
        if got:
            self._conn = conn
            logger.info("this worker now runs the singleton jobs (reminders, reports)")
        else:
            conn.close()
        return got

    def holding(self) -> bool:
        """Whether this process held the lock at its last check (no database round trip)."""
        return not self.postgres or self._conn is not None

    def release(self) -> None:
        """Give the lock up so another worker can take over."""
        if self._conn is None:
            return
        try:
            self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
            self._conn.close()
        except DBAPIError:
            pass  # the connection is gone, and the lock with it
        self._conn = None


def migrate_once(url: str, connect_timeout_s: float, migrate: Callable[[], object]) -> bool:
    """Run `migrate`; on PostgreSQL under an advisory lock so workers starting together take turns.

    Returns True on PostgreSQL (several workers may share it), False on SQLite (one process per file).
    """
    if not url.startswith("postgresql"):
        migrate()
        return False
    # No statement timeout here: the others wait on the lock for as long as the migration takes.
    connect = {"connect_timeout": max(2, round(connect_timeout_s))}
    guard = create_engine(url, isolation_level="AUTOCOMMIT", connect_args=connect)
    with guard.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATE_KEY})
        try:
            migrate()
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATE_KEY})
    guard.dispose()
    return True


def lock_source_sync(session: Session) -> None:
    """One worker at a time inserts the configured sources, until this transaction ends (PostgreSQL)."""
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SYNC_KEY})
